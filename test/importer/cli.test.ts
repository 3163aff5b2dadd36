/**
 * preclinical-import against the emulator, in-process: what it writes for an organization made in the UI,
 * the part of it `--agent` and `--org-only` take, `--dry-run` and `--force`, and every failure, each of which
 * says what to do and leaves no file behind, half-written or whole.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { emulator, useSharedEmulator } from "../support/emulator";
import {
  HOSTILE_AGENTS,
  UNREADABLE_AGENT,
  hostileAgent,
  importCli,
  prettierCheck,
  seedHostileOrganization,
} from "../support/importer";
import { LEAK_CHECK_API_KEY } from "../support/inputs";
import { closedPort } from "../support/net";
import { UNKNOWN_AGENT } from "../support/agents";

const ORG = "acme";
const HCL_FILES = ["preclinical-imports.tf", "preclinical-provider.tf", "preclinical-webhooks.tf"];

useSharedEmulator({ organizations: { [LEAK_CHECK_API_KEY]: ORG }, agents: HOSTILE_AGENTS });

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-import-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({
  PRECLINICAL_API_URL: emulator.url,
  PRECLINICAL_API_KEY: LEAK_CHECK_API_KEY,
  ...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) => importCli(args, env(extra), dir);
const read = (name: string) => fs.readFileSync(path.join(dir, name), "utf8");
const listing = () => fs.readdirSync(dir).sort();

describe("preclinical-import", () => {
  test("writes webhooks.ts declaring every webhook the library can declare, warns of those it cannot and of an unreadable agent, and passes Prettier", async () => {
    const { declared, leftOut } = seedHostileOrganization(emulator, ORG);

    const result = await cli([]);

    expect(result.code).toBe(0);
    expect(listing()).toEqual(["webhooks.ts"]);
    const text = read("webhooks.ts");
    const imported = [...text.matchAll(/importById\(webhooks\.(\w+), "([0-9a-f-]{36})"\);/g)].map((m) => m[2]);
    expect(imported.sort()).toEqual(declared.map((w) => w.id).sort());
    for (const w of leftOut) expect(text).toMatch(new RegExp(`// Left out: webhook ${w.id} `));
    expect(result.stdout).toContain(`Wrote webhooks.ts: ${declared.length} webhook(s) to import.`);
    expect(result.stderr).toContain(
      `Webhook ${leftOut[0].id} (scope of agent ${hostileAgent(HOSTILE_AGENTS.length - 2)}) is left out`,
    );
    expect(result.stderr).toContain(
      'its url is "http://hooks.example.com/plain", and the library asks for an absolute https URL',
    );
    expect(result.stderr).toContain(
      'its description is "\\u001b[31mred", and the library asks for at most 1000 characters with no control',
    );
    expect(result.stderr).toContain(
      `The name of agent ${UNREADABLE_AGENT} could not be read (no such agent: deleted since?)`,
    );
    await prettierCheck([path.join(dir, "webhooks.ts")]);
    // Read only: one list and one read per agent
    expect(emulator.requests().filter((r) => r.method !== "GET")).toEqual([]);
    expect(emulator.requests().filter((r) => r.path === "/api/v1/webhooks")).toHaveLength(1);
  });

  test("writes the same bytes for the same organization, and --force overwrites", async () => {
    seedHostileOrganization(emulator, ORG);
    expect((await cli([])).code).toBe(0);
    const first = read("webhooks.ts");

    const again = await cli(["--force"]);

    expect(again.code).toBe(0);
    expect(read("webhooks.ts")).toBe(first);
    expect(listing()).toEqual(["webhooks.ts"]);
  });

  test("refuses an existing file without --force before any API call, and leaves it as it was", async () => {
    seedHostileOrganization(emulator, ORG);
    fs.writeFileSync(path.join(dir, "webhooks.ts"), "// mine\n");
    emulator.clearRequests();

    const result = await cli([]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `${path.join(dir, "webhooks.ts")} already exists. Nothing was written. Pass --force`,
    );
    expect(read("webhooks.ts")).toBe("// mine\n");
    expect(listing()).toEqual(["webhooks.ts"]);
    expect(emulator.requests()).toEqual([]);
  });

  test("--dry-run prints the module and writes nothing", async () => {
    seedHostileOrganization(emulator, ORG);

    const result = await cli(["--dry-run"]);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^==> webhooks\.ts <==\n\/\/ The webhooks of the Preclinical organization/);
    expect(result.stdout).toContain(
      "export function declareWebhooks(scope: Construct, connection?: PreclinicalConnection)",
    );
    expect(listing()).toEqual([]);
  });

  test("--agent takes only those agents' webhooks; --org-only only the organization-level one", async () => {
    const { org, declared } = seedHostileOrganization(emulator, ORG);
    const triage = declared.filter((w) => w.agent_id === hostileAgent(0) || w.agent_id === hostileAgent(16));

    const agents = await cli(["--agent", hostileAgent(0), "--agent", hostileAgent(16).toUpperCase(), "--dry-run"]);
    const orgOnly = await cli(["--org-only", "--dry-run"]);

    expect(agents.code).toBe(0);
    const ids = (text: string) =>
      [...text.matchAll(/importById\(webhooks\.\w+, "([0-9a-f-]{36})"\);/g)].map((m) => m[1]);
    expect(ids(agents.stdout).sort()).toEqual(triage.map((w) => w.id).sort());
    // Alone, the first "Triage bot" needs no suffix; Billing is Billing
    expect(agents.stdout).toContain('triageBot: new PreclinicalWebhook(scope, "triageBot", {');
    expect(agents.stdout).toContain('billing: new PreclinicalWebhook(scope, "billing", {');
    expect(orgOnly.code).toBe(0);
    expect(ids(orgOnly.stdout)).toEqual([org.id]);
    expect(orgOnly.stdout).toContain('org: new PreclinicalWebhook(scope, "org", {');
  });

  test("an --agent without a webhook, or unknown, fails naming each, and writes nothing", async () => {
    seedHostileOrganization(emulator, ORG);
    emulator.addAgent({ id: hostileAgent(99), name: "Quiet agent" });

    const result = await cli(["--agent", hostileAgent(0), "--agent", hostileAgent(99), "--agent", UNKNOWN_AGENT]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`--agent ${hostileAgent(99)}: agent "Quiet agent" has no webhook`);
    expect(result.stderr).toContain(`--agent ${UNKNOWN_AGENT}: no agent with this id exists`);
    expect(result.stderr).toContain("Nothing was written.");
    expect(listing()).toEqual([]);
  });

  test.each([
    ["--agent with --org-only", ["--agent", hostileAgent(0), "--org-only"], "give --agent or --org-only, not both"],
    ["an --agent that is not a UUID", ["--agent", "triage"], "`--agent` must be a UUID such as"],
    ["an unknown format", ["--format", "json"], "--format must be ts or hcl, got json"],
    ["--out that is not a .ts file", ["--out", "webhooks.js"], "--out must name a .ts file"],
    ["--cdktn with hcl", ["--format", "hcl", "--cdktn"], "--cdktn is for the TypeScript module"],
    ["an http --api-url on a public host", ["--api-url", "http://api.example.com/api/v1"], "`--api-url` must be"],
    ["a bad key variable name", ["--api-key-env-var", "MY-KEY"], "`--api-key-env-var` must be the name of"],
    ["an unknown flag", ["--verbose"], "Unknown option '--verbose'"],
  ])("%s is refused with the usage, before any API call", async (_, args, message) => {
    const result = await cli(args);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("usage: preclinical-import");
    expect(emulator.requests()).toEqual([]);
    expect(listing()).toEqual([]);
  });

  test("--help prints every flag", async () => {
    const result = await cli(["--help"]);

    expect(result.code).toBe(0);
    for (const flag of [
      "--out",
      "--format",
      "--agent",
      "--org-only",
      "--api-url",
      "--api-key-env-var",
      "--cdktn",
      "--dry-run",
      "--force",
    ]) {
      expect(result.stdout).toContain(flag);
    }
  });

  test.each([
    [
      "no API key",
      {},
      ["--api-key-env-var", "MY_PRECLINICAL_KEY"],
      "The environment variable MY_PRECLINICAL_KEY is not set.",
    ],
    [
      "a key the API rejects",
      { PRECLINICAL_API_KEY: "sk_live_wrong" },
      [],
      "rejected the API key in PRECLINICAL_API_KEY (401)",
    ],
  ])("%s fails saying what to do, and writes nothing", async (_, extra, args, message) => {
    seedHostileOrganization(emulator, ORG);

    const result = await cli(args as string[], extra);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Nothing was written.");
    expect(listing()).toEqual([]);
  });

  test("an unreachable API fails naming its URL and the flag that sets it, and writes nothing", async () => {
    const url = `http://127.0.0.1:${await closedPort()}/api/v1`;

    const result = await cli(["--api-url", url]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Could not reach the Preclinical API at ${url}: GET /webhooks failed after 5 attempts: ECONNREFUSED`,
    );
    expect(result.stderr).toContain("Check --api-url (or PRECLINICAL_API_URL");
    expect(listing()).toEqual([]);
  }, 30_000);

  test("an organization without webhooks, or without an organization-level one for --org-only, has nothing to import", async () => {
    const none = await cli([]);
    emulator.seedWebhook(ORG, { url: "https://hooks.example.com/a", agent_id: hostileAgent(0) });
    const noOrg = await cli(["--org-only"]);

    expect(none.code).toBe(1);
    expect(none.stderr).toContain("holds no webhooks, so there is nothing to import");
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain("has no organization-level webhook");
    expect(listing()).toEqual([]);
  });

  test("an organization whose webhooks the library can declare none of fails, and writes nothing", async () => {
    emulator.seedWebhook(ORG, { url: "http://hooks.example.com/plain" });

    const result = await cli([]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("None of the 1 webhook(s) to import can be declared");
    expect(listing()).toEqual([]);
  });

  test("a folder that cannot be made fails, and leaves no temporary file", async () => {
    seedHostileOrganization(emulator, ORG);
    fs.writeFileSync(path.join(dir, "taken"), "a file, not a folder");

    const result = await cli(["--out", "taken/webhooks.ts"]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("Could not write the generated code:");
    expect(result.stderr).toContain("Nothing was written.");
    expect(listing()).toEqual(["taken"]);
  });

  test("--format hcl writes the three .tf files into --out, refuses them once they exist, and --force overwrites", async () => {
    seedHostileOrganization(emulator, ORG);

    const first = await cli(["--format", "hcl", "--out", "tf"]);
    const again = await cli(["--format", "hcl", "--out", "tf"]);
    const forced = await cli(["--format", "hcl", "--out", "tf", "--force"]);

    expect(first.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, "tf")).sort()).toEqual(HCL_FILES);
    expect(first.stdout).toContain(
      "Wrote tf/preclinical-provider.tf, tf/preclinical-webhooks.tf, tf/preclinical-imports.tf:",
    );
    expect(read("tf/preclinical-provider.tf")).toContain(`api_url = "${emulator.url}"`);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exist. Nothing was written.");
    expect(forced.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, "tf")).sort()).toEqual(HCL_FILES);
  });

  test("the API key appears in no file and no output, PRECLINICAL_DEBUG=1 included", async () => {
    seedHostileOrganization(emulator, ORG);

    const ts = await cli([], { PRECLINICAL_DEBUG: "1" });
    const hcl = await cli(["--format", "hcl", "--out", "tf"], { PRECLINICAL_DEBUG: "1" });

    expect(ts.stderr).toContain("preclinical-import: GET /webhooks");
    const texts = [
      ts.stdout,
      ts.stderr,
      hcl.stdout,
      hcl.stderr,
      read("webhooks.ts"),
      ...HCL_FILES.map((f) => read(`tf/${f}`)),
    ];
    expect(texts.filter((t) => t.includes(LEAK_CHECK_API_KEY))).toEqual([]);
  });
});
