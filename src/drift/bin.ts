#!/usr/bin/env node
/**
 * preclinical-drift: reports webhooks whose live configuration no longer matches what Terraform applied.
 *
 *   preclinical-drift [--stack-dir DIR | --show-json FILE] [--json] [--ignore-unmanaged]
 *
 * --stack-dir runs `terraform show -json` in a synthesized stack folder (after `terraform init`), so any
 * backend works; --show-json reads a saved `terraform show -json` output ("-" for stdin).
 * Exit codes: 0 in sync, 2 drift found, 1 error. The API key comes from the environment variable the
 * stack names (PRECLINICAL_API_KEY by default), as at apply time.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import { PreclinicalClient } from "../api/client";
import { useProgramV8Flags } from "../api/startup";
import { messages } from "../messages";
import type { LedgerEntry } from "../provisioner/protocol";
import { appliedWebhooks, checkDrift, formatReport } from "./drift";

const USAGE = "usage: preclinical-drift [--stack-dir DIR | --show-json FILE] [--json] [--ignore-unmanaged]";

export async function runDrift(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
  err: (s: string) => void,
): Promise<number> {
  let values: { "stack-dir"?: string; "show-json"?: string; json?: boolean; "ignore-unmanaged"?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "stack-dir": { type: "string" },
        "show-json": { type: "string" },
        json: { type: "boolean", default: false },
        "ignore-unmanaged": { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 1;
  }
  const clients: PreclinicalClient[] = [];
  try {
    const show = JSON.parse(readShowJson(values["stack-dir"], values["show-json"], env));
    const applied = appliedWebhooks(show);
    const clientFor = (entry: LedgerEntry) => {
      const apiKey = env[entry.apiKeyEnvVar];
      if (!apiKey) throw new Error(messages.missingApiKey(entry.apiKeyEnvVar));
      const client = new PreclinicalClient({ apiKey, baseUrl: entry.apiUrl });
      clients.push(client);
      return client;
    };
    const report = await checkDrift(applied, clientFor, { ignoreUnmanaged: values["ignore-unmanaged"] });
    out(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
    return report.drifted ? 2 : 0;
  } catch (e) {
    err(`preclinical-drift: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    await Promise.all(clients.map((c) => c.close()));
  }
}

function readShowJson(stackDir: string | undefined, file: string | undefined, env: NodeJS.ProcessEnv): string {
  if (stackDir && file) throw new Error(`give --stack-dir or --show-json, not both\n${USAGE}`);
  if (file) return fs.readFileSync(file === "-" ? 0 : file, "utf8");
  if (!stackDir) throw new Error(`give --stack-dir (a synthesized stack folder) or --show-json\n${USAGE}`);
  try {
    return execFileSync("terraform", ["show", "-json", "-no-color"], {
      cwd: stackDir,
      env: { ...env, CHECKPOINT_DISABLE: "1" },
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? "";
    throw new Error(`terraform show -json failed in ${stackDir} (run terraform init there first): ${stderr.trim()}`);
  }
}

if (require.main === module) {
  useProgramV8Flags();
  runDrift(
    process.argv.slice(2),
    process.env,
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  ).then((code) => (process.exitCode = code));
}
