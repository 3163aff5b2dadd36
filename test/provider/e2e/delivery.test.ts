/**
 * Knowing deliveries arrive, as a plain-Terraform user meets it: `preclinical_webhook_test` against a real
 * receiver on a random loopback port that answers what each step tells it, and delivery health in the plan.
 * One story in order, over one workspace and one emulator (the webhooks stay between steps).
 */
import { FAILING_DELIVERIES_SUMMARY } from "../../../src/provider/webhook/health";
import { AGENT_A } from "../../support/agents";
import { describeWithTerraform, expectNoLeaks, hclWs, useHclWorkspace } from "../../support/e2e";
import { apiRequests, byAgent, emulator, receiver, useSharedEmulator, useSharedReceiver } from "../../support/emulator";
import { applySummary } from "../../support/terraform";
import { LEAK_CHECK_API_KEY, SECRET } from "../../support/inputs";
import { closedPort } from "../../support/net";
import { flat, webhookConfig, writeRequests, type WebhookDecl } from "../../support/webhook-config";

useSharedEmulator(
  { agents: [{ id: AGENT_A }], organizations: { [LEAK_CHECK_API_KEY]: "acme" } },
  { resetAfterEach: false },
);
useHclWorkspace(SECRET, LEAK_CHECK_API_KEY, { perFile: true });

useSharedReceiver();

const ORG = "acme";
const hook = (agentId: string | null) => byAgent(agentId, ORG)!;
const testRequests = () => apiRequests("POST").filter((r) => r.path.endsWith("/test"));
/** The test events the receiver got, by path. */
const testEvents = () => receiver.received().map((d) => `${(d.body as { event: string }).event} ${d.path}`);

let webhooks: Record<string, WebhookDecl> = {};
const configOf = (changes: Record<string, WebhookDecl>, tests: string[]) => {
  webhooks = { ...webhooks, ...changes };
  return webhookConfig({ apiUrl: emulator.url, webhooks, tests });
};
let tests: string[] = [];
const apply = (changes: Record<string, WebhookDecl> = {}, testing: string[] = tests) => {
  tests = testing;
  return hclWs.apply(configOf(changes, testing));
};

/** The README's pipeline gate: a check over preclinical_webhooks (a warning in plan and apply, a failed check in the plan's JSON). */
const DELIVERY_CHECK = {
  deliveries: {
    data: { preclinical_webhooks: { all: { depends_on: ["preclinical_webhook.org", "preclinical_webhook.triage"] } } },
    assert: [
      {
        condition:
          "${alltrue([for w in data.preclinical_webhooks.all.webhooks : coalesce(w.consecutive_failures, 0) == 0])}",
        error_message:
          'Webhooks whose deliveries fail: ${join(", ", [for w in data.preclinical_webhooks.all.webhooks : w.url if coalesce(w.consecutive_failures, 0) > 0])}',
      },
    ],
  },
};

/** The check results of a saved plan, as `terraform show -json` gives them. */
async function checkResults(): Promise<{ status: string; problems: string[] }[]> {
  const plan = await hclWs.terraform(["plan", "-input=false", "-no-color", "-out=tfplan"]);
  expect(plan.code).toBe(0);
  const shown = JSON.parse((await hclWs.terraform(["show", "-json", "tfplan"])).stdout);
  return (shown.checks ?? []).map((c: { status: string; instances?: { problems?: { message: string }[] }[] }) => ({
    status: c.status,
    problems: (c.instances ?? []).flatMap((i) => (i.problems ?? []).map((p) => p.message)),
  }));
}

/** The state's values of one resource. */
async function stateOf(address: string): Promise<Record<string, unknown> | undefined> {
  const resources = (await hclWs.state()).values?.root_module?.resources ?? [];
  return resources.find((r) => r.address === address)?.values;
}

/** The warnings of a run whose summary starts with `summary`, one flattened text each. */
const warnings = (output: string, summary: string): string[] =>
  output
    .split(/Warning: /)
    .slice(1)
    .filter((w) => w.startsWith(summary))
    .map((w) => flat(w.split(/\nThere are some problems/)[0]));

describeWithTerraform("delivery verification and health (terraform + bundled provider + emulator + receiver)", () => {
  test("receiver 200: the apply creates the webhook and its test, which records the status; the next plan tests nothing", async () => {
    const result = await apply(
      { org: { url: receiver.url("/org"), description: "All agents", secret: true, secret_version: "1" } },
      ["org"],
    );

    expect(result.code).toBe(0);
    expect(applySummary(result)).toBe("2 added, 0 changed, 0 destroyed");
    expect(testEvents()).toEqual(["test /org"]);
    expect(await stateOf("preclinical_webhook_test.org")).toMatchObject({
      webhook_id: hook(null).id,
      success: true,
      http_status: 200,
      message: expect.any(String),
      tested_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      triggers: { url: receiver.url("/org"), secret_version: "1", is_enabled: "true" },
    });

    emulator.clearRequests();
    const plan = await hclWs.plan();
    expect(plan.code).toBe(0);
    expect(testRequests()).toEqual([]);
  });

  test("a description change updates the webhook without a test; a URL change updates it and tests again", async () => {
    const id = hook(null).id;
    const described = await apply({ org: { ...webhooks.org, description: "Every agent" } });
    expect(described.code).toBe(0);
    expect(applySummary(described)).toBe("0 added, 1 changed, 0 destroyed");
    expect(testRequests()).toEqual([]);

    const moved = await apply({ org: { ...webhooks.org, url: receiver.url("/org-v2") } });
    expect(moved.code).toBe(0);
    expect(moved.output).toContain("preclinical_webhook_test.org must be replaced");
    expect(applySummary(moved)).toBe("1 added, 1 changed, 1 destroyed");
    expect(testEvents()).toEqual(["test /org-v2"]);
    expect(hook(null)).toMatchObject({ id, url: receiver.url("/org-v2"), description: "Every agent" });
  });

  test("receiver 500, then 200: the first apply fails naming 500 and keeps the new webhook; the second creates only the test", async () => {
    receiver.status = 500;
    const failed = await apply({ triage: { url: receiver.url("/triage"), agent_id: AGENT_A } }, ["org", "triage"]);

    expect(failed.code).toBe(1);
    const error = flat(failed.output);
    expect(error).toContain("Error: Webhook delivery test failed with preclinical_webhook_test.triage");
    const id = hook(AGENT_A).id;
    expect(error).toContain(
      `The test delivery to webhook ${id} (${receiver.url("/triage")}) failed: the receiver answered HTTP 500.`,
    );
    expect(error).toContain("Then run terraform apply (cdktf deploy) again");
    expect(await stateOf("preclinical_webhook.triage")).toMatchObject({ id });
    expect(await stateOf("preclinical_webhook_test.triage")).toBeUndefined();

    receiver.reset();
    emulator.clearRequests();
    const plan = await hclWs.plan();
    expect(plan.output).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(plan.output).not.toMatch(/tainted|must be replaced/);
    const passed = await hclWs.apply();
    expect(passed.code).toBe(0);
    expect(applySummary(passed)).toBe("1 added, 0 changed, 0 destroyed");
    expect(writeRequests(apiRequests())).toEqual([`POST /api/v1/webhooks/${id}/test`]);
    expect(hook(AGENT_A).id).toBe(id);
    expect(await stateOf("preclinical_webhook_test.triage")).toMatchObject({ success: true, http_status: 200 });
  });

  test("receiver down: the apply fails naming the connection failure", async () => {
    const port = await closedPort();
    const result = await apply({ triage: { ...webhooks.triage, url: `http://127.0.0.1:${port}/triage` } });

    expect(result.code).toBe(1);
    const error = flat(result.output);
    expect(error).toContain("failed: the receiver could not be reached (");
    expect(error).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(hook(AGENT_A).url).toBe(`http://127.0.0.1:${port}/triage`);

    const back = await apply({ triage: { ...webhooks.triage, url: receiver.url("/triage") } });
    expect(back.code).toBe(0);
    expect(testEvents()).toEqual(["test /triage"]);
  });

  test("a disabled webhook is not tested, and plan and apply say so in a warning", async () => {
    const plan = await hclWs.plan(configOf({ triage: { ...webhooks.triage, is_enabled: false } }, tests));
    expect(plan.code).toBe(2);
    expect(warnings(plan.output, "Webhook delivery not tested")).toHaveLength(1);

    const result = await hclWs.apply();
    expect(result.code).toBe(0);
    expect(applySummary(result)).toBe("1 added, 1 changed, 1 destroyed");
    expect(testRequests()).toEqual([]);
    expect(testEvents()).toEqual([]);
    const [warning] = warnings(result.output, "Webhook delivery not tested");
    expect(warning).toContain(`The delivery of webhook ${hook(AGENT_A).id} is not tested: the webhook is disabled`);
    expect(await stateOf("preclinical_webhook_test.triage")).toMatchObject({
      success: null,
      http_status: null,
      message: "not tested: the webhook is disabled",
    });
  });

  test("delivery health: a failing webhook warns in plan and apply by address, id, URL, count and time; a healthy one does not; no diff either way", async () => {
    // Given the agent's webhook enabled again and the README's check block, all healthy: the check passes
    const withCheck = {
      ...configOf({ triage: { ...webhooks.triage, is_enabled: true } }, tests),
      check: DELIVERY_CHECK,
    };
    const healthy = await hclWs.apply(withCheck);
    expect(healthy.code).toBe(0);
    expect(healthy.output).not.toContain("Check block assertion failed");
    expect(await checkResults()).toEqual([{ status: "pass", problems: [] }]);

    // Given the organization webhook failing (seeded), and the agent's failing two real test runs
    const [org, triage] = [hook(null), hook(AGENT_A)];
    const at = "2025-06-01T12:00:00.000Z";
    emulator.setDeliveryHealth(org.id, { consecutive_failures: 4, last_triggered_at: at }, ORG);
    receiver.status = 500;
    await emulator.completeTestRun(AGENT_A, {}, ORG);
    expect(await emulator.completeTestRun(AGENT_A, {}, ORG)).toMatchObject({ webhook_id: triage.id, http_status: 500 });

    // When planning: no change to any resource, no outside-change note, and one warning per failing webhook.
    // The failing check makes Terraform plan its data source again for the apply ("config will be reloaded
    // to verify a check block"), so -detailed-exitcode says 2 although nothing is to add, change or destroy.
    const plan = await hclWs.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("Plan: 0 to add, 0 to change, 0 to destroy.");
    expect(plan.output).toContain("data.preclinical_webhooks.all will be read during apply");
    expect(plan.output).not.toMatch(/changed outside of Terraform/);
    const found = warnings(plan.output, FAILING_DELIVERIES_SUMMARY);
    expect(found).toHaveLength(2);
    const orgWarning = found.find((w) => w.includes("with preclinical_webhook.org,"))!;
    expect(orgWarning).toContain(`Webhook ${org.id} (${org.url}) failed its last 4 deliveries`);
    expect(orgWarning).toContain(`last delivery attempt ${at}`);
    const triageWarning = found.find((w) => w.includes("with preclinical_webhook.triage,"))!;
    expect(triageWarning).toContain(`Webhook ${triage.id} (${triage.url}) failed its last 2 deliveries`);
    expect(triageWarning).toContain(`last delivery attempt ${hook(AGENT_A).last_triggered_at}`);

    // And the check block warns too, and fails in the plan's JSON: what a pipeline gates on
    expect(warnings(plan.output, "Check block assertion failed").join()).toContain(
      `Webhooks whose deliveries fail: ${org.url}, ${triage.url}`,
    );
    expect(await checkResults()).toEqual([
      { status: "fail", problems: [`Webhooks whose deliveries fail: ${org.url}, ${triage.url}`] },
    ]);

    // And applying: the same warnings and nothing to do
    const same = await hclWs.apply();
    expect(same.code).toBe(0);
    expect(applySummary(same)).toBe("0 added, 0 changed, 0 destroyed"); // only the check's data source is read again
    expect(warnings(same.output, FAILING_DELIVERIES_SUMMARY)).toHaveLength(2);

    // When the receiver answers again and the next test run arrives, only the organization's warning stays
    receiver.status = 200;
    expect(await emulator.completeTestRun(AGENT_A, {}, ORG)).toMatchObject({ success: true });
    const healed = await hclWs.plan();
    expect(healed.code).toBe(2); // the check still fails: the organization's webhook
    expect(healed.output).toContain("Plan: 0 to add, 0 to change, 0 to destroy.");
    expect(
      warnings(healed.output, FAILING_DELIVERIES_SUMMARY).map((w) => w.includes("preclinical_webhook.org,")),
    ).toEqual([true]);
  });

  test("neither the secret nor the API key is in any workspace file or anything terraform printed", () => {
    expectNoLeaks(hclWs, [SECRET, LEAK_CHECK_API_KEY]);
  });
});
