/**
 * The TypeScript module preclinical-import writes: `declareWebhooks(scope, connection?)` declares each webhook
 * as a PreclinicalWebhook with the values the API returned, imports it by id on its first deploy, and returns
 * the webhooks by construct id. The text is laid out as Prettier (120 columns) lays it out, and type-checks
 * under `strict`, `exactOptionalPropertyTypes` and `noUncheckedIndexedAccess`.
 */
import type { ImportedWebhook } from "./organization";
import { agentComment, comment, count, leftOut } from "./layout";
import { commentString, tsString } from "./quote";

export interface ModuleOptions {
  /** The API base URL the webhooks were read from. */
  readonly apiUrl: string;
  /** Whether that is the default one, which a stack's default connection reaches. */
  readonly defaultApiUrl: boolean;
  /** The package the module imports the constructs from (the cdktf or the CDK Terrain entry). */
  readonly library: string;
}

const PRINT_WIDTH = 120;
/** The indentation of a PreclinicalWebhook's props in the generated module. */
const PROP_INDENT = "      ";

export function renderModule(webhooks: readonly ImportedWebhook[], options: ModuleOptions): string {
  const declared = webhooks.filter((w) => w.refusals.length === 0);
  const left = webhooks.filter((w) => w.refusals.length > 0);
  const agents = declared.filter((w) => w.agentId !== null).length;
  const what =
    declared.length === agents
      ? count(agents, "agent webhook")
      : `the organization-level webhook and ${count(agents, "agent webhook")}`;
  const header = [
    `The webhooks of the Preclinical organization at ${commentString(options.apiUrl)}, as preclinical-import ` +
      `read them: ${declared.length} to import (${what}). Generated code: review it, then it is yours to change.`,
    "",
    'Imports: each webhook is imported by its id on the deploy that first declares it, so that deploy plans "' +
      `${declared.length} to import" and nothing to add, change or destroy; after it the imports do nothing and ` +
      "can be deleted. They need the provider engine (the default); on the provisioner engine, set " +
      "`adoptExisting: true` on each webhook instead.",
    "",
    "Secrets: the API never returns a webhook's signing secret, so none is declared here, and each webhook " +
      "keeps the one it has. To set one, add `secret` (from a sensitive TerraformVariable) to a webhook in a " +
      'later deploy: that deploy sends it, an update in place, as a rotation does (README, "Rotating a secret").',
    ...(options.defaultApiUrl
      ? []
      : [
          "",
          "Connection: pass `declareWebhooks` a PreclinicalConnection whose `apiUrl` is the URL above (or set " +
            "PRECLINICAL_API_URL to it when you synthesize): a stack's default connection reaches the default API URL.",
        ]),
    ...(left.length === 0
      ? []
      : [
          "",
          `Left out: ${count(left.length, "webhook")} that this library cannot declare as the API returns ` +
            `${left.length === 1 ? "it" : "them"}; see the end of this file.`,
        ]),
  ].join("\n");

  return [
    ...comment("//", header),
    "",
    'import type { Construct } from "constructs";',
    `import { PreclinicalWebhook, type PreclinicalConnection } from ${tsString(options.library)};`,
    "",
    "/** The imported webhooks, by construct id. */",
    "export interface ImportedWebhooks {",
    ...declared.map((w) => `  readonly ${w.constructId}: PreclinicalWebhook;`),
    "}",
    "",
    "/**",
    " * Declares the organization's webhooks in `scope` (a stack, or a construct in one), each imported by its id",
    " * on the deploy that first declares it, through `connection` (by default, the stack's default connection).",
    " */",
    "export function declareWebhooks(scope: Construct, connection?: PreclinicalConnection): ImportedWebhooks {",
    "  const withConnection = connection ? { connection } : {};",
    "  const webhooks: ImportedWebhooks = {",
    ...declared.flatMap(declaration),
    "  };",
    ...declared.map((w) => `  importById(webhooks.${w.constructId}, ${tsString(w.id)});`),
    "  return webhooks;",
    "}",
    "",
    "/** Imports a webhook that already exists, by its id, on the deploy that first declares it. */",
    "function importById(webhook: PreclinicalWebhook, id: string): void {",
    "  webhook.webhookResource.importFrom(id);",
    "}",
    ...left.flatMap((w) => ["", ...comment("//", `Left out: ${leftOut(w)}`)]),
    "",
  ].join("\n");
}

function declaration(w: ImportedWebhook): string[] {
  return [
    ...(w.agentId === null
      ? ["    // The organization-level webhook: the test runs of every agent that has no webhook of its own."]
      : []),
    `    ${w.constructId}: new PreclinicalWebhook(scope, ${tsString(w.constructId)}, {`,
    `${PROP_INDENT}...withConnection,`,
    `${PROP_INDENT}url: ${tsString(w.url)},`,
    ...(w.description === null ? [] : prop("description", tsString(w.description))),
    ...(w.agentId === null ? [] : [`${PROP_INDENT}agentId: ${tsString(w.agentId)}, // ${agentComment(w)}`]),
    `${PROP_INDENT}isEnabled: ${w.isEnabled},`,
    "    }),",
  ];
}

/**
 * A prop whose value is a string literal, as Prettier lays it out: on the key's line when it fits, else on the
 * next line (Prettier never moves a literal under a key shorter than 5 columns, such as `url`).
 */
function prop(key: string, literal: string): string[] {
  const line = `${PROP_INDENT}${key}: ${literal},`;
  if (line.length <= PRINT_WIDTH || key.length < 5) return [line];
  return [`${PROP_INDENT}${key}:`, `${PROP_INDENT}  ${literal},`];
}
