/**
 * The API client against a real emulator on a random loopback port, with fast retries so that retry tests
 * take milliseconds: shared by test/api/client.test.ts (the operations) and transport.test.ts (how a request
 * is sent, retried and turned into an error).
 */
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
