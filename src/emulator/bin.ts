#!/usr/bin/env node
/**
 * Runs the Preclinical emulator until SIGINT or SIGTERM:
 *
 *   preclinical-emulator [--port 0] [--host 127.0.0.1] [--api-key KEY[=ORGANIZATION]]... [--agent UUID[=NAME]]...
 *                        [--rate-limit N] [--unpaged-webhook-list]
 *
 * Prints "Preclinical emulator listening on <base URL>" as its first line, then the API key(s) it accepts
 * and how it treats agents. Without --api-key it accepts EMULATOR_DEFAULT_API_KEY; keys without
 * "=ORGANIZATION" belong to organization "default". Without --agent it accepts every agent id, so a first
 * deploy of any program works; with --agent only those (an unknown one is then refused, as the API does),
 * each named NAME when given. More agents (with providers, descriptions, inactive ones): POST
 * /_emulator/agents.
 * Drive it through the /_emulator control endpoints (see control.ts).
 */
import { parseArgs } from "node:util";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "./server";
import type { EmulatorOptions } from "./types";

const USAGE =
  "usage: preclinical-emulator [--port 0] [--host 127.0.0.1] [--api-key KEY[=ORGANIZATION]]... " +
  "[--agent UUID[=NAME]]... [--rate-limit N] [--unpaged-webhook-list]";

const HELP = `${USAGE}

A local emulator of the Preclinical webhooks API, for trying cdktf-preclinical-webhooks without an account.
  --port N              port to listen on (0: a free one)
  --host H              address to listen on (default 127.0.0.1)
  --api-key KEY[=ORG]   an API key it accepts, once per key (default ${EMULATOR_DEFAULT_API_KEY})
  --agent UUID[=NAME]   an agent it knows (named NAME), once per agent; without any, every agent id is accepted
  --rate-limit N        at most N requests per second per API key (bursts of N); beyond it 429 with
                        Retry-After, nothing applied (default: no limit)
  --unpaged-webhook-list
                        GET /webhooks sends the whole list, limit and offset or not, as the API documents
                        it (default: pages of at most 100 when asked, as the agents list does)
Deploy against it with PRECLINICAL_API_URL=<the URL it prints> and PRECLINICAL_API_KEY=<the key>.
Stops on Ctrl-C or SIGTERM.`;

/** Reads the command line; throws with a readable message on bad input. */
export function parseCommandLine(args: string[]): EmulatorOptions & { help?: boolean } {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      "api-key": { type: "string", multiple: true, default: [] },
      agent: { type: "string", multiple: true, default: [] },
      "rate-limit": { type: "string" },
      "unpaged-webhook-list": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port: ${values.port}`);
  const keys = values["api-key"].length > 0 ? values["api-key"] : [EMULATOR_DEFAULT_API_KEY];
  const rate = values["rate-limit"] === undefined ? undefined : Number(values["rate-limit"]);
  if (rate !== undefined && !(Number.isFinite(rate) && rate > 0)) {
    throw new Error(`invalid --rate-limit: ${values["rate-limit"]} (requests per second per API key, above 0)`);
  }
  return {
    port,
    host: values.host,
    organizations: Object.fromEntries(keys.map(parseApiKey)),
    agents: values.agent.map(parseAgent),
    anyAgent: values.agent.length === 0,
    ...(rate !== undefined && { rateLimit: { requestsPerSecond: rate } }),
    ...(values["unpaged-webhook-list"] && { pagedWebhookList: false }),
    ...(values.help && { help: true }),
  };
}

function parseAgent(value: string): { id: string; name?: string } {
  const at = value.indexOf("=");
  const [id, name] = at < 0 ? [value, undefined] : [value.slice(0, at), value.slice(at + 1)];
  if (id === "" || name === "") throw new Error(`invalid --agent: expected UUID or UUID=NAME`);
  return { id, ...(name !== undefined && { name }) };
}

function parseApiKey(value: string): [string, string] {
  const [key, organization = "default"] = value.split("=", 2);
  if (key === "" || organization === "") throw new Error(`invalid --api-key: expected KEY or KEY=ORGANIZATION`);
  return [key, organization];
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const emulator = await PreclinicalEmulator.start(options);
  const keys = Object.keys(options.organizations ?? {});
  process.stdout.write(
    `Preclinical emulator listening on ${emulator.url}\n` +
      `API key${keys.length > 1 ? "s" : ""}: ${keys.join(", ")}\n` +
      (options.anyAgent
        ? "Agents: every agent id is accepted (pass --agent UUID, once per agent, to accept only those)\n"
        : `Agents: ${(options.agents ?? []).map((a) => (a.name ? `${a.id} (${a.name})` : a.id)).join(", ")} ` +
          "(others are refused, as the API does)\n") +
      (options.rateLimit
        ? `Rate limit: ${options.rateLimit.requestsPerSecond} requests per second per API key (429 with Retry-After)\n`
        : "") +
      (options.pagedWebhookList === false ? "Webhook list: sent whole, limit and offset or not\n" : "") +
      `Try: PRECLINICAL_API_URL=${emulator.url} PRECLINICAL_API_KEY=${keys[0]} npx cdktf deploy\n`,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`failed to stop the emulator: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
