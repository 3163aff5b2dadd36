/**
 * The API client against a real emulator on a random loopback port, with fast retries so that retry tests
 * take milliseconds: shared by test/api/client.test.ts (the operations) and transport.test.ts (how a request
 * is sent, retried and turned into an error).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PreclinicalClient, type PreclinicalClientOptions } from "../../src/api";
import { KEY, emulator, useSharedEmulator } from "./emulator";

/** Registers the file's emulator (./emulator.ts) and closes the clients a test made after it. */
export function useApiClients(): void {
  useSharedEmulator();
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
}

const clients: PreclinicalClient[] = [];

/** A client against the file's emulator, closed after the test. */
export function client(overrides: Partial<PreclinicalClientOptions> = {}): PreclinicalClient {
  const c = new PreclinicalClient({
    apiKey: KEY,
    baseUrl: emulator.url,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  });
  clients.push(c);
  return c;
}

/**
 * Runs `run` with a client of a real HTTP server on a loopback port that answers every request 200 with the
 * JSON `answer` gives for its URL (an API that misbehaves in ways the emulator does not act out); `urls` are
 * the requests it got, path and query.
 */
export async function withJsonServer<T>(
  answer: (url: URL) => unknown,
  run: (api: PreclinicalClient, urls: string[]) => Promise<T>,
): Promise<T> {
  const urls: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://server.invalid");
    urls.push(`${url.pathname}${url.search}`);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(answer(url)));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const api = client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` });
  try {
    return await run(api, urls);
  } finally {
    await api.close();
    await new Promise((r) => server.close(r));
  }
}
