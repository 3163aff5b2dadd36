/**
 * The agent ids every test uses. The emulator knows AGENT_A and AGENT_B when a test seeds them; no test
 * seeds UNKNOWN_AGENT, so it always reads as an agent that does not exist.
 */
export const AGENT_A = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
export const AGENT_B = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
export const AGENT_C = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";
export const UNKNOWN_AGENT = "00000000-0000-4000-8000-000000000000";

/** A well-formed webhook id that no emulator issues (it draws random UUIDs), so it names no webhook. */
export const UNKNOWN_WEBHOOK_ID = "11111111-2222-4333-8444-555555555555";

/**
 * The answers an API may give for an unknown agent: the documentation names neither status nor code, so the
 * client and the CLI must recognise all four (the emulator's `unknownAgent` option gives each).
 */
export const UNKNOWN_AGENT_ANSWERS = [
  [400, "NOT_FOUND"],
  [404, "NOT_FOUND"],
  [400, "AGENT_NOT_FOUND"],
  [404, "AGENT_NOT_FOUND"],
] as const;

/** The i-th of a numbered set of agents: a well-formed UUID that no other fixture uses. */
export function numberedAgentId(i: number): string {
  return `a9e17000-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
}

/**
 * `count` agents for an emulator's `agents` option, numbered from 1, named "Agent 001", "Agent 002", ...;
 * every tenth on "livekit", the others on "vapi", so that a `provider` filter has something to leave out.
 */
export function numberedAgents(count: number): { id: string; name: string; provider: string }[] {
  return Array.from({ length: count }, (_, k) => ({
    id: numberedAgentId(k + 1),
    name: `Agent ${String(k + 1).padStart(3, "0")}`,
    provider: (k + 1) % 10 === 0 ? "livekit" : "vapi",
  }));
}
