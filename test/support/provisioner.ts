/**
 * Runs the provisioner CLI (src/provisioner/cli.ts) in-process against the real emulator on a random
 * loopback port: the PRECLINICAL_* environment the construct would set, one command run with
 * `runProvisioner`, and what it printed. Shared by the test/provisioner tests, which call useSharedEmulator()
 * and read what reached the API with apiRequests() and byAgent() (./emulator.ts).
 */
import { runProvisioner } from "../../src/provisioner/cli";
import { Env } from "../../src/provisioner/protocol";
import { KEY, emulator } from "./emulator";
import { HOOK_URL } from "./inputs";

export const CONSTRUCT_PATH = "stack/triage-webhook";

export type Environment = Record<string, string | undefined>;

/** The environment the construct sets on a provisioner, with fast timeouts; `undefined` removes a variable. */
export function env(overrides: Environment = {}, apiUrl: string = emulator.url): Environment {
  const all: Environment = {
    [Env.API_URL]: apiUrl,
    PRECLINICAL_API_KEY: KEY,
    [Env.PATH]: CONSTRUCT_PATH,
    [Env.AGENT_ID]: "",
    [Env.URL]: HOOK_URL,
    [Env.IS_ENABLED]: "true",
    [Env.REQUEST_TIMEOUT_MS]: "2000",
    [Env.DEADLINE_MS]: "5000",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

export interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  /** Every printed line, stdout then stderr (a line may hold several text lines). */
  readonly lines: string[];
  readonly text: string;
}

/** Runs one command of the CLI in-process with `environment`, collecting what it prints. */
export async function run(args: readonly string[], environment: Environment): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runProvisioner(args, environment, { out: (l) => out.push(l), err: (l) => err.push(l) });
  const lines = [...out, ...err];
  return { code, out, err, lines, text: lines.join("\n") };
}
