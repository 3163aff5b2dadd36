/** Network helpers for tests of what happens when nothing answers. */
import { createServer, type AddressInfo } from "node:net";

/** A loopback port on which nothing listens: bound by a server that is closed again before it returns. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
