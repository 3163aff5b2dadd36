/**
 * `npx preclinical-import` as a user runs it: from the packed library installed in a fresh app, against an
 * organization made in the UI (an organization-level webhook and 22 agent webhooks with hostile names,
 * descriptions and URLs, mixed enabled states, an agent that cannot be read, two webhooks the library refuses).
 * The module it writes passes the project's Prettier and the strictest type-check, and its first deploy plans
 * only imports, keeps every id and sends the API no POST, PUT or DELETE; the next plan has no changes. The
 * same through `--format hcl` with plain terraform.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeWithTerraform } from "../support/e2e";
import { emulator, useSharedEmulator } from "../support/emulator";
import { STRICT_COMPILER_OPTIONS, freshApp, packLibrary, run } from "../support/fresh-app";
import { HOSTILE_AGENTS, prettierCheck, seedHostileOrganization } from "../support/importer";
import { LEAK_CHECK_API_KEY, MARK } from "../support/inputs";
import { filesBelow, runTerraform, type RunResult } from "../support/terraform";
import { writeRequests } from "../support/webhook-config";

const ORG = "acme";

/** The app's program: the generated webhooks on an explicit connection, their ids as an output. */
const MAIN = `
import { App, TerraformOutput, TerraformStack } from "cdktf";
import { PreclinicalConnection } from "cdktf-preclinical-webhooks";
import { declareWebhooks } from "./webhooks";

const apiUrl = process.env["EMULATOR_URL"];
if (!apiUrl) throw new Error("EMULATOR_URL is not set");
const app = new App();
const stack = new TerraformStack(app, "webhooks");
const webhooks = declareWebhooks(stack, new PreclinicalConnection(stack, "preclinical", { apiUrl }));
const ids = Object.fromEntries(Object.entries(webhooks).map(([id, webhook]) => [id, webhook.webhookId]));
new TerraformOutput(stack, "ids", { value: ids });
app.synth();
`;

/** Compiled, never run: the connection is optional, and the returned type is exported. */
const CHECK = `
import { App, TerraformStack } from "cdktf";
import { declareWebhooks, type ImportedWebhooks } from "./webhooks";

export const onDefaultConnection: ImportedWebhooks = declareWebhooks(new TerraformStack(new App(), "other"));
`;

/** Every check TypeScript has beyond `strict`, so that the generated module passes wherever it is put. */
const TSCONFIG = {
  compilerOptions: {
    ...STRICT_COMPILER_OPTIONS,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noPropertyAccessFromIndexSignature: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    noImplicitReturns: true,
    noImplicitOverride: true,
    isolatedModules: true,
    declaration: true,
    isolatedDeclarations: true,
  },
  include: ["main.ts", "check.ts", "webhooks.ts"],
};

let work: string;
let app: string;

useSharedEmulator({ organizations: { [LEAK_CHECK_API_KEY]: ORG }, agents: HOSTILE_AGENTS });

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-import-e2e-"));
  app = path.join(work, "app");
  const tarball = packLibrary(work);
  await freshApp(app, { "main.ts": MAIN, "check.ts": CHECK, "tsconfig.json": JSON.stringify(TSCONFIG) }, [
    "cdktf@0.21.0",
    "constructs@10.4.2",
    "typescript@~5.9.3",
    "@types/node@^20",
    tarball,
  ]);
  fs.rmSync(MARK, { force: true });
}, 180_000);

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(MARK, { force: true });
});

const env = () => ({
  ...process.env,
  CHECKPOINT_DISABLE: "1",
  PRECLINICAL_API_URL: emulator.url,
  PRECLINICAL_API_KEY: LEAK_CHECK_API_KEY,
  EMULATOR_URL: emulator.url,
});
const bin = (name: string) => path.join(app, "node_modules", ".bin", name);
/** terraform in `dir`, without color (the flag goes first: Go's flags end at the first positional argument). */
const terraform = (dir: string, [command, ...args]: string[], log: string[]) =>
  runTerraform(dir, [command, "-no-color", ...args], env() as Record<string, string>, log);

/** A plan saved and shown as JSON: every resource change, with what it does. */
async function plannedChanges(dir: string, log: string[]) {
  const plan = await terraform(dir, ["plan", "-input=false", "-out=import.tfplan"], log);
  expect(plan.code).toBe(0);
  const shown = await terraform(dir, ["show", "-json", "import.tfplan"], log);
  const changes = (JSON.parse(shown.stdout).resource_changes ?? []) as {
    address: string;
    change: { actions: string[]; importing?: { id: string }; after: { id?: string } };
  }[];
  return { plan, changes };
}

/** Plans, checks that the plan only imports the `expected` webhook ids, applies, and plans again. */
async function deployOnlyImports(dir: string, expected: readonly string[], log: string[]): Promise<RunResult> {
  expect((await terraform(dir, ["init", "-input=false"], log)).code).toBe(0);
  const { plan, changes } = await plannedChanges(dir, log);
  expect(plan.stdout).toContain(`Plan: ${expected.length} to import, 0 to add, 0 to change, 0 to destroy.`);
  expect(changes.map((c) => c.change.actions)).toEqual(expected.map(() => ["no-op"]));
  expect(changes.map((c) => c.change.importing?.id).sort()).toEqual([...expected].sort());

  const apply = await terraform(dir, ["apply", "-input=false", "import.tfplan"], log);
  expect(apply.code).toBe(0);
  expect(apply.stdout).toContain(`Resources: ${expected.length} imported, 0 added, 0 changed, 0 destroyed.`);

  const again = await terraform(dir, ["plan", "-input=false", "-detailed-exitcode"], log);
  expect(again.stdout).toContain("No changes.");
  expect(again.code).toBe(0);
  return again;
}

describeWithTerraform("preclinical-import, installed from the packed library", () => {
  test("writes a module that passes Prettier and the strictest type-check, and whose first deploy only imports", async () => {
    const { declared, leftOut } = seedHostileOrganization(emulator, ORG);
    const before = emulator.webhooks(ORG);
    const log: string[] = [];

    // When the user runs the command in their app
    const imported = await run(bin("preclinical-import"), [], { cwd: app, env: env() });

    // Then it wrote webhooks.ts, which Prettier and tsc accept as it is
    expect(imported.stdout).toContain(`Wrote webhooks.ts: ${declared.length} webhook(s) to import.`);
    await prettierCheck([path.join(app, "webhooks.ts")]);
    await run(bin("tsc"), ["-p", "."], { cwd: app });

    // And the first deploy plans only imports of the declared webhooks, applies them and has nothing left to do
    await run(process.execPath, ["main.js"], { cwd: app, env: { ...env(), CDKTF_OUTDIR: "out" } });
    const stack = path.join(app, "out", "stacks", "webhooks");
    await deployOnlyImports(
      stack,
      declared.map((w) => w.id),
      log,
    );

    // And the API saw no write, holds the webhooks as they were, and each construct id has its webhook's id
    expect(writeRequests(emulator.requests())).toEqual([]);
    expect(emulator.webhooks(ORG)).toEqual(before);
    const ids = JSON.parse((await terraform(stack, ["output", "-json", "ids"], log)).stdout) as Record<string, string>;
    const generated = fs.readFileSync(path.join(app, "webhooks.ts"), "utf8");
    const expectedIds = Object.fromEntries(
      [...generated.matchAll(/importById\(webhooks\.(\w+), "([0-9a-f-]{36})"\);/g)].map((m) => [m[1], m[2]]),
    );
    expect(ids).toEqual(expectedIds);
    expect(Object.values(ids).sort()).toEqual(declared.map((w) => w.id).sort());
    expect(ids.org).toBe(declared[0].id);
    for (const w of leftOut) expect(Object.values(ids)).not.toContain(w.id);
    expect(fs.existsSync(MARK)).toBe(false);
    const artifacts = [...filesBelow(stack, [".terraform", "terraform.d"]), path.join(app, "webhooks.ts")];
    expect(artifacts.filter((f) => fs.readFileSync(f, "utf8").includes(LEAK_CHECK_API_KEY))).toEqual([]);
    expect(log.filter((line) => line.includes(LEAK_CHECK_API_KEY))).toEqual([]);
  }, 240_000);

  test("--format hcl writes .tf files as terraform fmt lays them out, whose first apply only imports", async () => {
    const { declared } = seedHostileOrganization(emulator, ORG);
    const before = emulator.webhooks(ORG);
    const log: string[] = [];
    const dir = path.join(app, "hcl");

    const imported = await run(bin("preclinical-import"), ["--format", "hcl", "--out", "hcl"], {
      cwd: app,
      env: env(),
    });
    await run(bin("preclinical-provider"), ["install", dir], { cwd: app, env: env() });

    expect(imported.stdout).toContain(`: ${declared.length} webhook(s) to import.`);
    const fmt = await terraform(dir, ["fmt", "-check", "-diff"], log);
    expect(fmt.stdout).toBe("");
    expect(fmt.code).toBe(0);
    await deployOnlyImports(
      dir,
      declared.map((w) => w.id),
      log,
    );
    expect(writeRequests(emulator.requests())).toEqual([]);
    expect(emulator.webhooks(ORG)).toEqual(before);
    const state = JSON.parse((await terraform(dir, ["show", "-json"], log)).stdout);
    const resources = state.values.root_module.resources as { values: { id: string } }[];
    expect(resources.map((r) => r.values.id).sort()).toEqual(declared.map((w) => w.id).sort());
    expect(fs.existsSync(MARK)).toBe(false);
  }, 240_000);
});
