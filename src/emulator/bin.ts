#!/usr/bin/env node
/**
 * Runs the Preclinical emulator until SIGINT or SIGTERM:
 *
 *   preclinical-emulator [--port 0] [--host 127.0.0.1] [--api-key KEY[=ORGANIZATION]]... [--agent UUID]...
 *
 * Prints one line, "Preclinical emulator listening on <base URL>", to stdout. Without --api-key the
 * emulator accepts EMULATOR_DEFAULT_API_KEY; keys without "=ORGANIZATION" belong to organization "default".
 * Drive it through the /_emulator control endpoints (see control.ts).
 */
import { parseArgs } from "node:util";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator, type EmulatorOptions } from "./server";

const USAGE =
  "usage: preclinical-emulator [--port 0] [--host 127.0.0.1] [--api-key KEY[=ORGANIZATION]]... [--agent UUID]...";

/** Reads the command line; throws with a readable message on bad input. */
export function parseCommandLine(args: string[]): EmulatorOptions {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      "api-key": { type: "string", multiple: true, default: [] },
      agent: { type: "string", multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid --port: ${values.port}`);
  const keys = values["api-key"].length > 0 ? values["api-key"] : [EMULATOR_DEFAULT_API_KEY];
  return {
    port,
    host: values.host,
    organizations: Object.fromEntries(keys.map(parseApiKey)),
    agents: values.agent.map((id) => ({ id })),
  };
}

function parseApiKey(value: string): [string, string] {
  const [key, organization = "default"] = value.split("=", 2);
  if (key === "" || organization === "") throw new Error(`invalid --api-key: expected KEY or KEY=ORGANIZATION`);
  return [key, organization];
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const emulator = await PreclinicalEmulator.start(options);
  process.stdout.write(`Preclinical emulator listening on ${emulator.url}\n`);

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
