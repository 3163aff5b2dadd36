#!/usr/bin/env node
/**
 * preclinical-import: reads the webhooks of a Preclinical organization and writes code that declares each one
 * with the values the API returns and imports it by its id, so that the first deploy takes the organization
 * under code without changing it. See HELP for the flags. It reads everything before it writes anything, and
 * writes all its files or none.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_API_KEY_ENV_VAR, DEFAULT_API_URL } from "../api/assumptions";
import { PreclinicalClient } from "../api/client";
import { PreclinicalNetworkError, isApiError, isPreclinicalError } from "../api/errors";
import { rules } from "../api/rules";
import { useProgramV8Flags } from "../api/startup";
import { messages } from "../messages";
import { existing, writeAll, type OutputFile } from "./files";
import { HCL_FILES, renderConfiguration } from "./hcl";
import { ImportError, readOrganization } from "./organization";
import { renderModule } from "./typescript";

const USAGE =
  "usage: preclinical-import [--out webhooks.ts | --format hcl --out DIR] [--agent ID]... [--org-only]\n" +
  "                          [--api-url URL] [--api-key-env-var NAME] [--cdktn] [--dry-run] [--force]";

const HELP = `${USAGE}

Reads the webhooks of a Preclinical organization and writes code that declares each one as the API returns it
and imports it by its id, so that the first deploy plans only imports: nothing is created, changed or deleted.
  --out PATH              the TypeScript module to write (default webhooks.ts); with --format hcl, the folder
                          for the .tf files (default: the current folder)
  --format ts|hcl         ts (default): a module exporting declareWebhooks(scope, connection?) for cdktf;
                          hcl: preclinical_webhook and import blocks for plain Terraform
  --agent ID              import only this agent's webhook; repeat it for more agents
  --org-only              import only the organization-level webhook
  --api-url URL           the API base URL (default: PRECLINICAL_API_URL, else ${DEFAULT_API_URL})
  --api-key-env-var NAME  the environment variable that holds the API key (default ${DEFAULT_API_KEY_ENV_VAR})
  --cdktn                 import the constructs from cdktf-preclinical-webhooks/cdktn (CDK Terrain)
  --dry-run               print what would be written, and write nothing
  --force                 overwrite files that exist
Exit code 0 when the code was written (or, with --dry-run, printed); 1 when nothing was written.`;

const LIBRARY = "cdktf-preclinical-webhooks";

interface Options {
  readonly format: "ts" | "hcl";
  readonly out: string;
  readonly agents: string[];
  readonly orgOnly: boolean;
  readonly apiUrl: string;
  readonly apiKeyEnvVar: string;
  readonly library: string;
  readonly dryRun: boolean;
  readonly force: boolean;
}

/** Runs the command; returns its exit code. `cwd` resolves a relative --out. */
export async function runImport(
  args: string[],
  env: NodeJS.ProcessEnv,
  out: (s: string) => void,
  err: (s: string) => void,
  cwd: string = process.cwd(),
): Promise<number> {
  let options: Options | "help";
  try {
    options = parseOptions(args, env, cwd);
  } catch (e) {
    err(`preclinical-import: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 1;
  }
  if (options === "help") {
    out(HELP);
    return 0;
  }
  let client: PreclinicalClient | undefined;
  try {
    // Refused before any API call: an existing file fails the same way, sooner.
    if (!options.dryRun && !options.force) {
      const clash = existing(plannedFiles(options));
      if (clash.length > 0) throw new ImportError(messages.importOutputExists(clash));
    }
    const apiKey = env[options.apiKeyEnvVar];
    if (!apiKey || apiKey.trim() === "") throw new ImportError(messages.importNeedsApiKey(options.apiKeyEnvVar));
    client = new PreclinicalClient({
      apiKey,
      baseUrl: options.apiUrl,
      ...(env.PRECLINICAL_DEBUG === "1" && { debug: (line: string) => err(`preclinical-import: ${line}`) }),
    });
    const { webhooks, warnings } = await readOrganization(client, {
      agents: options.agents,
      orgOnly: options.orgOnly,
    });
    const apiUrl = client.baseUrl;
    const defaultApiUrl = apiUrl === DEFAULT_API_URL;
    const files: OutputFile[] =
      options.format === "ts"
        ? [{ path: options.out, text: renderModule(webhooks, { apiUrl, defaultApiUrl, library: options.library }) }]
        : Object.entries(
            renderConfiguration(webhooks, { apiUrl, defaultApiUrl, apiKeyEnvVar: options.apiKeyEnvVar }),
          ).map(([name, text]) => ({ path: path.join(options.out, name), text }));
    for (const warning of warnings) err(`preclinical-import: warning: ${warning}`);
    const shown = files.map((f) => path.relative(cwd, f.path) || f.path);
    if (options.dryRun) {
      files.forEach((f, i) => out(`==> ${shown[i]} <==\n${f.text}`));
      const clash = existing(files);
      if (clash.length > 0 && !options.force) err(`preclinical-import: note: ${messages.importOutputExists(clash)}`);
      return 0;
    }
    writeAll(files, options.force);
    const count = webhooks.filter((w) => w.refusals.length === 0).length;
    out(messages.importWrote(shown, count, nextStep(options, shown)));
    return 0;
  } catch (e) {
    err(`preclinical-import: ${failure(e, options)}`);
    return 1;
  } finally {
    await client?.close();
  }
}

function parseOptions(args: string[], env: NodeJS.ProcessEnv, cwd: string): Options | "help" {
  const { values, positionals } = parseArgs({
    args,
    options: {
      out: { type: "string" },
      format: { type: "string", default: "ts" },
      agent: { type: "string", multiple: true, default: [] },
      "org-only": { type: "boolean", default: false },
      "api-url": { type: "string" },
      "api-key-env-var": { type: "string", default: DEFAULT_API_KEY_ENV_VAR },
      cdktn: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      force: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return "help";
  if (positionals.length > 0) throw new Error(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const format = values.format === "typescript" ? "ts" : values.format;
  if (format !== "ts" && format !== "hcl") throw new Error(`--format must be ts or hcl, got ${values.format}`);
  if (values.cdktn && format === "hcl") throw new Error("--cdktn is for the TypeScript module (--format ts) only");
  if (values["org-only"] && values.agent.length > 0) throw new Error("give --agent or --org-only, not both");
  for (const id of values.agent) if (!rules.agentId(id)) throw new Error(messages.importAgentIdRule(id));

  const fromFlag = values["api-url"];
  const apiUrl = fromFlag ?? (env.PRECLINICAL_API_URL || DEFAULT_API_URL);
  if (!rules.apiUrl(apiUrl)) {
    throw new Error(messages.apiUrlRule(apiUrl, fromFlag === undefined ? "PRECLINICAL_API_URL" : "--api-url"));
  }
  const apiKeyEnvVar = values["api-key-env-var"];
  if (!rules.apiKeyEnvVar(apiKeyEnvVar)) throw new Error(messages.apiKeyEnvVarRule(apiKeyEnvVar, "--api-key-env-var"));

  const out = path.resolve(cwd, values.out ?? (format === "ts" ? "webhooks.ts" : "."));
  const isDirectory = fs.existsSync(out) && fs.statSync(out).isDirectory();
  if (format === "ts" && (isDirectory || !out.endsWith(".ts"))) {
    throw new Error(`--out must name a .ts file for the TypeScript module, got ${values.out}`);
  }
  if (format === "hcl" && fs.existsSync(out) && !isDirectory) {
    throw new Error(`--out must name a folder for --format hcl, and ${values.out} is a file`);
  }
  return {
    format,
    out,
    agents: values.agent,
    orgOnly: values["org-only"],
    apiUrl,
    apiKeyEnvVar,
    library: values.cdktn ? `${LIBRARY}/cdktn` : LIBRARY,
    dryRun: values["dry-run"],
    force: values.force,
  };
}

/** The paths the command will write, known before anything is read. */
function plannedFiles(options: Options): OutputFile[] {
  const paths =
    options.format === "ts" ? [options.out] : Object.values(HCL_FILES).map((f) => path.join(options.out, f));
  return paths.map((p) => ({ path: p, text: "" }));
}

function nextStep(options: Options, shown: readonly string[]): string {
  if (options.format === "ts") {
    const module = `./${shown[0].replace(/\.ts$/, "")}`;
    return `Call declareWebhooks(stack) (import it from "${module}") in your cdktf program and run cdktf diff.`;
  }
  return `Then, in ${path.dirname(shown[0])}: npx preclinical-provider install . (once), terraform init, terraform plan.`;
}

/** What the user reads when the command fails. */
function failure(e: unknown, options: Options): string {
  if (e instanceof ImportError) return e.message;
  if (isApiError(e) && e.status === 401) return messages.importUnauthorized(options.apiKeyEnvVar);
  if (isApiError(e) && e.status === 403) return messages.importForbidden(options.apiKeyEnvVar);
  if (e instanceof PreclinicalNetworkError) return messages.importUnreachable(options.apiUrl, e.message);
  if (isPreclinicalError(e)) return messages.importApiFailed(e.message);
  return messages.importFailed(e instanceof Error ? e.message : String(e));
}

if (require.main === module) {
  useProgramV8Flags();
  runImport(
    process.argv.slice(2),
    process.env,
    (s) => process.stdout.write(`${s}\n`),
    (s) => process.stderr.write(`${s}\n`),
  ).then((code) => (process.exitCode = code));
}
