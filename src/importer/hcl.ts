/**
 * The plain-Terraform configuration preclinical-import writes with `--format hcl`: native HCL (`.tf`), as
 * `terraform fmt` lays it out, in three files, so that each can be dropped on its own: the provider's
 * requirement and settings, one `preclinical_webhook` block per webhook, and one `import` block per webhook.
 */
import { DEFAULT_API_KEY_ENV_VAR } from "../api/assumptions";
import { agentComment, comment, count, leftOut } from "./layout";
import type { ImportedWebhook } from "./organization";
import { hclString } from "./quote";

export const HCL_FILES = {
  provider: "preclinical-provider.tf",
  webhooks: "preclinical-webhooks.tf",
  imports: "preclinical-imports.tf",
} as const;

export interface ConfigurationOptions {
  /** The API base URL the webhooks were read from, and whether it is the provider's default. */
  readonly apiUrl: string;
  readonly defaultApiUrl: boolean;
  /** The environment variable that holds the API key. */
  readonly apiKeyEnvVar: string;
}

/** The files of the configuration, by name. */
export function renderConfiguration(
  webhooks: readonly ImportedWebhook[],
  options: ConfigurationOptions,
): Record<(typeof HCL_FILES)[keyof typeof HCL_FILES], string> {
  const declared = webhooks.filter((w) => w.refusals.length === 0);
  const left = webhooks.filter((w) => w.refusals.length > 0);
  const settings: [string, string][] = [
    ...(options.defaultApiUrl ? [] : [["api_url", hclString(options.apiUrl)] as [string, string]]),
    ...(options.apiKeyEnvVar === DEFAULT_API_KEY_ENV_VAR
      ? []
      : [["api_key_env_var", hclString(options.apiKeyEnvVar)] as [string, string]]),
  ];
  const provider = [
    ...comment(
      "#",
      `The preclinical provider, for the webhooks in ${HCL_FILES.webhooks}. Lay it out in this folder with ` +
        "`npx preclinical-provider install .` before `terraform init` (the cdktf-preclinical-webhooks README " +
        "tells how). If your configuration declares the provider already, delete this file.",
    ),
    "terraform {",
    "  required_providers {",
    "    preclinical = {",
    '      source = "preclinical/preclinical"',
    "    }",
    "  }",
    "}",
    "",
    ...(settings.length === 0 ? ['provider "preclinical" {}'] : block('provider "preclinical"', settings)),
  ];
  const resources = [
    ...comment(
      "#",
      `The webhooks of the Preclinical organization, as preclinical-import read them: ${count(declared.length, "webhook")}, ` +
        `imported by ${HCL_FILES.imports}. Generated code: review it, then it is yours to change.\n\n` +
        "Secrets: the API never returns a webhook's signing secret, so none is declared here, and each webhook " +
        "keeps the one it has. To set one, add `secret` (from an ephemeral, sensitive variable) and `secret_version` " +
        "to a webhook after the import: the next apply sends it, an update in place, as a rotation does." +
        (left.length === 0
          ? ""
          : `\n\nLeft out: ${count(left.length, "webhook")} that the provider cannot declare as the API returns ` +
            `${left.length === 1 ? "it" : "them"}; see the end of this file.`),
    ),
    ...declared.flatMap((w) => ["", ...resource(w)]),
    ...left.flatMap((w) => ["", ...comment("#", `Left out: ${leftOut(w)}`)]),
  ];
  const imports = [
    ...comment(
      "#",
      `Imports each webhook of ${HCL_FILES.webhooks} by its id on the next apply (Terraform 1.5 or later), so ` +
        `that apply plans "${declared.length} to import" and nothing to add, change or destroy. After that ` +
        "apply this file does nothing and can be deleted.",
    ),
    ...declared.flatMap((w) => [
      "",
      ...block("import", [
        ["to", `preclinical_webhook.${w.resourceName}`],
        ["id", hclString(w.id)],
      ]),
    ]),
  ];
  const text = (lines: string[]) => `${lines.join("\n")}\n`;
  return {
    [HCL_FILES.provider]: text(provider),
    [HCL_FILES.webhooks]: text(resources),
    [HCL_FILES.imports]: text(imports),
  };
}

function resource(w: ImportedWebhook): string[] {
  const attributes: [string, string, string?][] = [
    ["url", hclString(w.url)],
    ...(w.description === null ? [] : [["description", hclString(w.description)] as [string, string]]),
    ...(w.agentId === null ? [] : [["agent_id", hclString(w.agentId), agentComment(w)] as [string, string, string]]),
    ["is_enabled", String(w.isEnabled)],
  ];
  return [
    ...(w.agentId === null
      ? ["# The organization-level webhook: the test runs of every agent that has no webhook of its own."]
      : []),
    ...block(`resource "preclinical_webhook" "${w.resourceName}"`, attributes),
  ];
}

/** A block of attributes, their `=` aligned as terraform fmt aligns them; a third element is a trailing comment. */
function block(header: string, attributes: readonly (readonly [string, string, string?])[]): string[] {
  const width = Math.max(...attributes.map(([name]) => name.length));
  return [
    `${header} {`,
    ...attributes.map(
      ([name, value, note]) => `  ${name.padEnd(width)} = ${value}${note === undefined ? "" : ` # ${note}`}`,
    ),
    "}",
  ];
}
