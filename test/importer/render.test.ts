/**
 * What preclinical-import's code does when it runs: the generated module, transpiled and run against the
 * library, synthesizes each webhook with exactly the values the API returned and an import block with its id,
 * and returns the webhooks by construct id; the organization listed in another order gives the same bytes;
 * Prettier's layout of long values is the generated one; the .tf files are as terraform fmt lays them out.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as constructs from "constructs";
import * as ts from "typescript";
import { TerraformStack, Testing } from "cdktf";
import * as library from "../../src";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import { PreclinicalClient } from "../../src/api/client";
import { escapeTemplate } from "../../src/construct/hcl";
import { renderConfiguration } from "../../src/importer/hcl";
import { readOrganization, type ImportedWebhook } from "../../src/importer/organization";
import { renderModule } from "../../src/importer/typescript";
import { describeWithTerraform } from "../support/e2e";
import { emulator, KEY, useSharedEmulator } from "../support/emulator";
import { HOSTILE_AGENTS, prettierCheck, seedHostileOrganization } from "../support/importer";
import { runTerraform } from "../support/terraform";
import type { Json } from "../support/synth";

useSharedEmulator({ agents: HOSTILE_AGENTS });

let client: PreclinicalClient;
beforeEach(() => {
  client = new PreclinicalClient({ apiKey: KEY, baseUrl: emulator.url });
});
afterEach(() => client.close());

const moduleOf = (webhooks: ImportedWebhook[]) =>
  renderModule(webhooks, { apiUrl: emulator.url, defaultApiUrl: false, library: "cdktf-preclinical-webhooks" });

type DeclareWebhooks = (
  scope: constructs.Construct,
  connection?: library.PreclinicalConnection,
) => Record<string, library.PreclinicalWebhook>;

/** The generated module, transpiled and run with the library and constructs of this repository. */
function load(text: string): DeclareWebhooks {
  const { outputText } = ts.transpileModule(text, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const modules: Record<string, unknown> = { "cdktf-preclinical-webhooks": library, constructs };
  const exports: Record<string, unknown> = {};
  new Function("require", "exports", outputText)((id: string) => modules[id], exports);
  return exports.declareWebhooks as DeclareWebhooks;
}

describe("the generated TypeScript module", () => {
  test("synthesizes every webhook with the API's values and an import block with its id, and returns them by construct id", async () => {
    const { declared } = seedHostileOrganization(emulator);
    const { webhooks } = await readOrganization(client, {});
    const declareWebhooks = load(moduleOf(webhooks));

    const stack = new TerraformStack(Testing.app(), "stack");
    const connection = new library.PreclinicalConnection(stack, "preclinical", { apiUrl: emulator.url });
    const hooks = declareWebhooks(stack, connection);
    const json = JSON.parse(Testing.synth(stack)) as Json;

    // Returned by construct id, in the generated order
    const ids = webhooks.filter((w) => w.refusals.length === 0).map((w) => w.constructId);
    expect(Object.keys(hooks)).toEqual(ids);
    expect(ids[0]).toBe("org");
    const byId = (id: string) => declared.find((w) => w.id === id)!;
    const resources = json.resource.preclinical_webhook as Record<string, Json>;
    const imports = json.import as { to: string; id: string }[];
    expect(imports).toHaveLength(declared.length);
    for (const [constructId, hook] of Object.entries(hooks)) {
      expect(hook.node.id).toBe(constructId);
      const address = `preclinical_webhook.${hook.webhookResource.friendlyUniqueId}`;
      const imported = imports.find((i) => i.to === address)!;
      const api = byId(imported.id);
      // What Terraform reads equals what the API holds: cdktf's JSON with templates escaped
      expect(resources[hook.webhookResource.friendlyUniqueId]).toEqual({
        provider: expect.stringMatching(/^preclinical\.org_/),
        url: escapeTemplate(api.url),
        ...(api.description !== null && { description: escapeTemplate(api.description) }),
        ...(api.agent_id !== null && { agent_id: api.agent_id }),
        is_enabled: api.is_enabled,
      });
    }
  });

  test("without a connection, uses the stack's default one", async () => {
    emulator.seedWebhook("default", { url: "https://hooks.example.com/org" });
    const { webhooks } = await readOrganization(client, {});
    const stack = new TerraformStack(Testing.app(), "stack");

    load(moduleOf(webhooks))(stack);

    const json = JSON.parse(Testing.synth(stack)) as Json;
    expect(json.provider.preclinical).toEqual([expect.objectContaining({ api_url: DEFAULT_API_URL })]);
  });

  test("is the same bytes when the API lists the organization in another order", async () => {
    seedHostileOrganization(emulator);
    const forward = moduleOf((await readOrganization(client, {})).webhooks);
    const reversed = Object.create(client) as PreclinicalClient;
    reversed.listWebhooks = async () => (await client.listWebhooks()).reverse();

    const backward = moduleOf((await readOrganization(reversed, {})).webhooks);

    expect(backward).toBe(forward);
  });

  test("lays out descriptions just under, at and over Prettier's 120 columns as Prettier does", async () => {
    // `      description: "<d>",` is 22 columns and the description
    const lengths = [97, 98, 99, 150];
    lengths.forEach((n, i) =>
      emulator.seedWebhook("default", {
        url: `https://hooks.example.com/${i}`,
        agent_id: HOSTILE_AGENTS[i + 16].id,
        description: `${'"'.repeat(i)}${"d".repeat(n - i)}`,
      }),
    );
    const { webhooks } = await readOrganization(client, {});
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-import-layout-"));
    try {
      const file = path.join(dir, "webhooks.ts");
      fs.writeFileSync(file, moduleOf(webhooks));

      await prettierCheck([file]);
      expect(fs.readFileSync(file, "utf8").match(/description:\n/g)).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeWithTerraform("the generated .tf files", () => {
  test("are as terraform fmt lays them out", async () => {
    seedHostileOrganization(emulator);
    const { webhooks } = await readOrganization(client, {});
    const files = renderConfiguration(webhooks, {
      apiUrl: emulator.url,
      defaultApiUrl: false,
      apiKeyEnvVar: "PRECLINICAL_STAGING_KEY",
    });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-import-fmt-"));
    try {
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);

      const fmt = await runTerraform(dir, ["fmt", "-check", "-diff", "-no-color"], {}, []);

      expect(fmt.stdout).toBe("");
      expect(fmt.code).toBe(0);
      expect(files["preclinical-provider.tf"]).toContain('  api_key_env_var = "PRECLINICAL_STAGING_KEY"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
