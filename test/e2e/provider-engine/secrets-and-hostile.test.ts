/**
 * Hostile values and secret hygiene on the provider engine, with real cdktf synthesis and the real terraform
 * binary: shell- and template-like descriptions and URLs reach the API verbatim and execute nothing; the
 * webhook secret (from a sensitive variable) and the API key (from the environment) appear in no synthesized
 * file, state, backup or terraform output, through create, a rotation with TF_LOG=debug, a failed update
 * whose answer echoes both, and destroy.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { cdktfWs, describeWithTerraform, expectNoLeaks, useCdktfWorkspace } from "../../support/e2e";
import { emulator, useSharedEmulator } from "../../support/emulator";
import { HOSTILE_DESCRIPTIONS, HOSTILE_URLS, MARK } from "../../support/inputs";
import { zipEntries } from "../../support/zip";
import { webhookProgram, type Decl } from "../../support/provider-engine";
import { PreclinicalEngine } from "../../../src";
import { changeInUi, writeRequests } from "../../support/webhook-config";
import { applySummary } from "../../support/terraform";

const API_KEY = "sk_live_" + "ProvLeakCheckKey0123456789abcdefghijklmn".slice(0, 40);
const SECRET = "whsec_leakcheck_" + "Pv8nM4".repeat(5);
const ROTATED = "whsec_rotatedleak_" + "Qj5kL1".repeat(5);
const ORG = "acme";
const agent = (i: number) => `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`;

const cases = [
  ...HOSTILE_DESCRIPTIONS.map((description) => ({ url: "https://hooks.example.com/safe", description })),
  ...HOSTILE_URLS.map((url) => ({ url, description: "hostile url" })),
];

const program = (...decls: Decl[]) =>
  webhookProgram({ engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url }, ...decls);

useSharedEmulator({ organizations: { [API_KEY]: ORG }, agents: cases.map((_, i) => ({ id: agent(i) })) });
beforeAll(() => fs.rmSync(MARK, { force: true }));
afterAll(() => fs.rmSync(MARK, { force: true }));
useCdktfWorkspace(SECRET, API_KEY);

describeWithTerraform("provider engine: hostile inputs and secret hygiene (cdktf synth + terraform + emulator)", () => {
  test(`${cases.length} shell- and template-like descriptions and URLs reach the API verbatim, none executes, and a second deploy sees no change`, async () => {
    const hostile = program(...cases.map((c, i) => ({ id: `hostile-${i}`, ...c, agentId: agent(i) })));

    const result = await cdktfWs.deploy(hostile);

    expect(result.code).toBe(0);
    const stored = emulator.webhooks(ORG);
    const received = cases.map((_, i) => {
      const w = stored.find((s) => s.agent_id === agent(i));
      return { url: w?.url, description: w?.description };
    });
    expect(received).toEqual(cases);
    expect(fs.existsSync(MARK)).toBe(false);

    // What the state holds equals what the program declares: nothing to do, nothing written
    emulator.clearRequests();
    const again = await cdktfWs.deploy(hostile);
    expect(applySummary(again)).toBe("no changes");
    expect(writeRequests(emulator.requests())).toEqual([]);
    expect(fs.existsSync(MARK)).toBe(false);
  });

  test("no secret or API key in synthesized files, state, backups or any terraform output, TF_LOG=debug included", async () => {
    const org = (url: string): Decl => ({
      id: "org",
      url,
      description: "leak check",
      withSecret: true,
      outputId: true,
    });

    // Given a create, then a rotation with TF_LOG=debug
    expect((await cdktfWs.deploy(program(org("https://hooks.example.com/a")))).code).toBe(0);
    expect(emulator.webhooks(ORG)[0].secret).toBe(SECRET);
    const debug = await cdktfWs.deploy(program(org("https://hooks.example.com/b")), {
      TF_VAR_webhook_secret: ROTATED,
      TF_LOG: "debug",
    });
    expect(debug.code).toBe(0);
    expect(debug.output).toContain("[DEBUG]"); // the debug log is really there...
    expect(debug.output).toMatch(/provider\.terraform-provider-preclinical\S*: .*PUT \/webhooks\/[0-9a-f-]+: 200/); // ...with the provider's lines
    const id = emulator.webhooks(ORG)[0].id;
    expect(emulator.webhooks(ORG)[0]).toMatchObject({ id, url: "https://hooks.example.com/b", secret: ROTATED });

    // And drift repaired while the rotated secret is in the environment, then an update whose error echoes both values
    await changeInUi(emulator.url, id, { is_enabled: false }, API_KEY);
    expect(
      (await cdktfWs.deploy(program(org("https://hooks.example.com/b")), { TF_VAR_webhook_secret: ROTATED })).code,
    ).toBe(0);
    const echo = JSON.stringify({ error: `rejected ${SECRET} for ${API_KEY}`, code: "INVALID_FIELD_VALUE" });
    emulator.injectFault({ method: "PUT", path: "/webhooks", fault: { kind: "status", status: 400, body: echo } });
    const failed = await cdktfWs.deploy(program(org("https://hooks.example.com/c")));
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain("Error: PUT /webhooks/{id} failed"); // the failure is explained...
    expect(failed.output).toContain("[REDACTED]"); // ...with the echoed values masked

    // And the state shown, the output read, and the stack destroyed
    expect((await cdktfWs.terraform(cdktfWs.lastStackDir, ["show", "-json"])).code).toBe(0);
    expect((await cdktfWs.terraform(cdktfWs.lastStackDir, ["output", "-json"])).code).toBe(0);
    expect((await cdktfWs.destroy(program(org("https://hooks.example.com/c")))).code).toBe(0);
    expect(emulator.webhooks(ORG)).toHaveLength(0);

    // Then no artifact holds either secret or the key
    const files = cdktfWs.files();
    for (const name of ["cdk.tf.json", "terraform.tfstate", "terraform.tfstate.backup", ".terraform.lock.hcl"]) {
      expect({ name, found: files.some((f) => f.endsWith(`/${name}`)) }).toEqual({ name, found: true });
    }
    expectNoLeaks(cdktfWs, [SECRET, ROTATED, API_KEY]);
  });

  // `cdktf diff` runs `terraform plan -out plan` in the stack folder, and Terraform writes the values of
  // non-ephemeral root variables, sensitive ones included, into it. An ephemeral variable stays out; the
  // fingerprint cannot be computed from it, so `secretVersion` says when to send the secret again.
  test("with an ephemeral secret variable and secretVersion, a saved plan as cdktf diff writes it holds neither the secret nor the API key, and the secret reaches the API", async () => {
    const ephemeral = (...decls: Decl[]) =>
      webhookProgram({ engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url, ephemeralSecret: true }, ...decls);
    const stackDir = cdktfWs.synth(
      ephemeral({ id: "org", url: "https://hooks.example.com/a", withSecret: true, secretVersion: "2026-11" }),
    );
    expect((await cdktfWs.terraform(stackDir, ["init", "-input=false", "-no-color"])).code).toBe(0);

    const plan = await cdktfWs.terraform(stackDir, ["plan", "-input=false", "-no-color", "-out", "plan"]);

    expect(plan.code).toBe(0);
    const entries = zipEntries(fs.readFileSync(path.join(stackDir, "plan")));
    expect(entries.map((e) => e.name)).toContain("tfplan");
    const holding = entries
      .filter((e) => [SECRET, API_KEY].some((v) => e.data.toString("latin1").includes(v)))
      .map((e) => e.name);
    expect(holding).toEqual([]);
    expect((await cdktfWs.terraform(stackDir, ["apply", "-input=false", "-no-color", "-auto-approve"])).code).toBe(0);
    expect(emulator.webhooks(ORG)[0]).toMatchObject({ url: "https://hooks.example.com/a", secret: SECRET });
  });
});
