import {
  EMULATOR_DEFAULT_API_KEY,
  PreclinicalEmulator,
  WebhookReceiver,
  type EmulatorOptions,
} from "../../src/emulator";
import { AGENT_A, AGENT_B } from "./agents";

/** The API key every emulator accepts unless it is started with others. */
export const KEY = EMULATOR_DEFAULT_API_KEY;

/** Runs `run` against an emulator of its own (other agents, organizations or unknown-agent styles), then closes it. */
export async function withEmulator<T>(
  options: EmulatorOptions,
  run: (e: PreclinicalEmulator) => Promise<T>,
): Promise<T> {
  const own = await PreclinicalEmulator.start(options);
  try {
    return await run(own);
  } finally {
    await own.close();
  }
}

/**
 * The test file's shared emulator, set by the beforeAll that useSharedEmulator registers. It is a live
 * binding: importers always see the current emulator.
 */
export let emulator: PreclinicalEmulator;

/**
 * Starts the shared emulator before the file's tests (by default it knows AGENT_A, named "Triage bot", and
 * AGENT_B; `options` for other agents or organizations), resets it after each test (unless told not to) and
 * closes it after the last. Call it once, at the top level of a test file.
 */
export function useSharedEmulator(
  options: EmulatorOptions = { agents: [{ id: AGENT_A, name: "Triage bot" }, { id: AGENT_B }] },
  /** false: the file's tests are one story over one workspace, and the webhooks stay between them. */
  { resetAfterEach = true }: { resetAfterEach?: boolean } = {},
): void {
  beforeAll(async () => {
    emulator = await PreclinicalEmulator.start(options);
  });
  if (resetAfterEach) afterEach(() => emulator.reset());
  afterAll(() => emulator.close());
}

/** The file's loopback receiver (useSharedReceiver). */
export let receiver: WebhookReceiver;

/**
 * One real receiver on a random loopback port for the file's tests, beside the shared emulator: before each
 * test it answers 200 again with nothing received, and the emulator's request log is empty.
 */
export function useSharedReceiver(): void {
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
  });
  beforeEach(() => {
    receiver.reset();
    emulator.clearRequests();
  });
  afterAll(() => receiver.close());
}

/** The shared emulator's request log, optionally of one method only. */
export function apiRequests(method?: string) {
  return emulator.requests().filter((r) => method === undefined || r.method === method);
}

/** The shared emulator's webhook of a scope (`null`: the organization-level scope) in one organization. */
export function byAgent(agentId: string | null, organization = "default") {
  return emulator.webhooks(organization).find((w) => w.agent_id === agentId);
}
