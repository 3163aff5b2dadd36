/**
 * The drift check against a stack really applied by terraform, with out-of-band changes made through the
 * API, as a person in the Preclinical UI would make them.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { TerraformVariable, type TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../src";
import { PreclinicalClient } from "../../src/api";
import { runDrift } from "../../src/drift/bin";
import { DriftStatus, type DriftReport } from "../../src/drift/drift";
import { AGENT_A, AGENT_B } from "../support/agents";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../support/e2e";
import { emulator, KEY, useSharedEmulator } from "../support/emulator";

const SECRET = "whsec_drift_" + "Pq2wE5".repeat(5);

useSharedEmulator({ agents: [{ id: AGENT_A }, { id: AGENT_B }] });
useCdktfWorkspace(SECRET);

describeWithTerraform("preclinical-drift", () => {
  let api: PreclinicalClient;
  const env = () => ({ ...process.env, PRECLINICAL_API_KEY: KEY });

  const program = (stack: TerraformStack) => {
    const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
    const connection = new PreclinicalConnection(stack, "preclinical", {
      engine: PreclinicalEngine.PROVISIONERS,
      apiUrl: emulator.url,
    });
    new PreclinicalWebhook(stack, "org", {
      url: "https://hooks.example.com/org",
      description: "All",
      secret: secret.stringValue,
      connection,
    });
    new PreclinicalWebhook(stack, "a", { url: "https://hooks.example.com/a", agentId: AGENT_A, connection });
  };

  async function drift(...flags: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runDrift(
      ["--stack-dir", cdktfWs.lastStackDir, ...flags],
      env(),
      (s) => out.push(s),
      (s) => err.push(s),
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  beforeAll(() => {
    api = new PreclinicalClient({ apiKey: KEY, baseUrl: emulator.url });
  });
  afterAll(() => api.close());
  beforeEach(async () => {
    expect((await cdktfWs.deploy(program)).code).toBe(0);
  });

  test("a stack in sync exits 0, lists every webhook and notes that secrets cannot be compared", async () => {
    const result = await drift();
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^in sync\s+organization-level scope\s+webhooks\/org\s/m);
    expect(result.out).toMatch(new RegExp(`^in sync\\s+scope of agent ${AGENT_A}\\s+webhooks/a\\s`, "m"));
    expect(result.out).toContain("Secrets are not compared");
    expect(result.out).toContain("All 2 webhooks are in sync.");
  });

  test("a webhook changed out of band exits 2, naming the fields with applied and live values, and the fix", async () => {
    const org = (await api.findScopeWebhook(null))!;
    await api.updateWebhook(org.id, { url: "https://evil.example.com/x", is_enabled: false });
    const result = await drift("--json");
    expect(result.code).toBe(2);
    const report = JSON.parse(result.out) as DriftReport;
    const item = report.items.find((i) => i.path === "webhooks/org")!;
    expect(item.status).toBe(DriftStatus.CHANGED);
    expect(item.changes).toEqual([
      { field: "url", applied: "https://hooks.example.com/org", live: "https://evil.example.com/x" },
      { field: "is_enabled", applied: true, live: false },
    ]);
    expect(item.action).toMatch(/terraform apply -replace='terraform_data\.org_config_\w+'/);
    expect(report.items.find((i) => i.path === "webhooks/a")!.status).toBe(DriftStatus.IN_SYNC);
  });

  test("a webhook deleted out of band and an unmanaged one are both reported, and --ignore-unmanaged drops the latter", async () => {
    const a = (await api.findScopeWebhook(AGENT_A))!;
    await api.deleteWebhook(a.id);
    const other = await api.createWebhook({ url: "https://ui.example.com/b", agent_id: AGENT_B });

    const result = await drift("--json");
    expect(result.code).toBe(2);
    const report = JSON.parse(result.out) as DriftReport;
    expect(report.items.map((i) => [i.status, i.path ?? i.webhookId]).sort()).toEqual(
      [
        [DriftStatus.DELETED, "webhooks/a"],
        [DriftStatus.IN_SYNC, "webhooks/org"],
        [DriftStatus.UNMANAGED, other.id],
      ].sort(),
    );

    const table = await drift();
    expect(table.out).toMatch(new RegExp(`^deleted\\s+scope of agent ${AGENT_A}`, "m"));
    expect(table.out).toMatch(new RegExp(`^unmanaged\\s+scope of agent ${AGENT_B}\\s+-\\s+${other.id}`, "m"));

    const ignoring = await drift("--json", "--ignore-unmanaged");
    expect((JSON.parse(ignoring.out) as DriftReport).items.some((i) => i.status === DriftStatus.UNMANAGED)).toBe(false);
  });

  test("a missing API key and a missing stack folder each exit 1 with a message", async () => {
    const noKey: string[] = [];
    const code = await runDrift(
      ["--stack-dir", cdktfWs.lastStackDir],
      { ...process.env, PRECLINICAL_API_KEY: "" },
      () => undefined,
      (s) => noKey.push(s),
    );
    expect(code).toBe(1);
    expect(noKey.join("\n")).toContain("The environment variable PRECLINICAL_API_KEY is not set");

    const missing: string[] = [];
    expect(
      await runDrift(
        ["--stack-dir", "/nonexistent/stack"],
        env(),
        () => undefined,
        (s) => missing.push(s),
      ),
    ).toBe(1);
    expect(missing.join("\n")).toMatch(/terraform show -json failed in \/nonexistent\/stack/);
  });

  test("the installed bin exits 2 on drift, for a scheduled pipeline", async () => {
    const org = (await api.findScopeWebhook(null))!;
    await api.updateWebhook(org.id, { description: "edited in the UI" });
    const bin = path.resolve(__dirname, "../../dist/src/drift/bin.js");
    const code = await new Promise<number>((resolve) =>
      execFile("node", [bin, "--stack-dir", cdktfWs.lastStackDir], { env: env() }, (error) =>
        resolve(error ? Number(error.code) : 0),
      ),
    );
    expect(code).toBe(2);
  });
});
