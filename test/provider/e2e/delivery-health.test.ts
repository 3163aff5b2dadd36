/**
 * Delivery health in terraform's own output: a refresh that finds a managed webhook whose deliveries fail
 * warns in the plan and the apply, naming the resource, the webhook's id and URL, the count and the last
 * delivery; a healthy webhook says nothing; and the counters never make a diff or an "objects have changed
 * outside of Terraform" note. Failures come both seeded and from real deliveries to a receiver that answers 500.
 */
import { WebhookReceiver } from "../../../src/emulator";
import { FAILING_DELIVERIES_SUMMARY } from "../../../src/provider/webhook/health";
import { AGENT_A } from "../../support/agents";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { byAgent, emulator, useSharedEmulator } from "../../support/emulator";
import { applySummary } from "../../support/hcl-workspace";
import { SECRET } from "../../support/inputs";
import { flat, webhookConfig } from "../../support/webhook-config";

useSharedEmulator({ agents: [{ id: AGENT_A }] });
useHclWorkspace(SECRET);

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
afterAll(() => receiver.close());

/** The health warnings of a terraform run, one flattened text each. */
const healthWarnings = (output: string): string[] =>
  output
    .split(/Warning: /)
    .slice(1)
    .filter((w) => w.startsWith(FAILING_DELIVERIES_SUMMARY))
    .map((w) => flat(w.split(/\nThere are some problems/)[0]));

describeWithTerraform("delivery health in plan and apply (terraform + bundled provider + emulator)", () => {
  test("warns about a failing webhook in plan and apply, by address, id, URL, count and time; never about a healthy one; never a diff", async () => {
    const config = webhookConfig({
      apiUrl: emulator.url,
      webhooks: {
        org: { url: "https://hooks.example.com/org", secret: true },
        triage: { url: receiver.url("/triage"), agent_id: AGENT_A },
      },
    });
    const first = await hclWs.apply(config);
    expect(first.code).toBe(0);
    expect(first.output).not.toContain(FAILING_DELIVERIES_SUMMARY);
    const [org, triage] = [byAgent(null)!, byAgent(AGENT_A)!];

    // Given the organization webhook failing (seeded) and the triage agent's receiver answering 500 to two
    // real test runs
    const at = "2025-06-01T12:00:00.000Z";
    emulator.setDeliveryHealth(org.id, { consecutive_failures: 4, last_triggered_at: at });
    receiver.status = 500;
    await emulator.completeTestRun(AGENT_A);
    const real = await emulator.completeTestRun(AGENT_A);
    expect(real).toMatchObject({ webhook_id: triage.id, delivered: true, success: false, http_status: 500 });
    const triageLast = byAgent(AGENT_A)!.last_triggered_at!;

    // When planning: no changes (exit 0), and one warning per failing webhook
    const plan = await hclWs.plan();
    expect(plan.code).toBe(0);
    expect(plan.output).toContain("No changes.");
    expect(plan.output).not.toMatch(/changed outside of Terraform/);
    const warnings = healthWarnings(plan.output);
    expect(warnings).toHaveLength(2);
    const orgWarning = warnings.find((w) => w.includes("with preclinical_webhook.org,"))!;
    expect(orgWarning).toContain(`Webhook ${org.id} (https://hooks.example.com/org) failed its last 4 deliveries`);
    expect(orgWarning).toContain(`last delivery attempt ${at}`);
    const triageWarning = warnings.find((w) => w.includes("with preclinical_webhook.triage,"))!;
    expect(triageWarning).toContain(`Webhook ${triage.id} (${receiver.url("/triage")}) failed its last 2 deliveries`);
    expect(triageWarning).toContain(`last delivery attempt ${triageLast}`);

    // When applying: the same warnings, and nothing to do
    const apply = await hclWs.apply();
    expect(apply.code).toBe(0);
    expect(applySummary(apply)).toBe("no changes");
    expect(healthWarnings(apply.output)).toHaveLength(2);

    // When the receiver answers again and the next test run arrives, the triage webhook's warning goes
    receiver.status = 200;
    expect(await emulator.completeTestRun(AGENT_A)).toMatchObject({ success: true });
    const healed = await hclWs.plan();
    expect(healed.code).toBe(0);
    expect(healthWarnings(healed.output).map((w) => w.includes("preclinical_webhook.org,"))).toEqual([true]);
    expect(receiver.received("/triage").map((d) => (d.body as { event: string }).event)).toEqual([
      "test_run_completed",
      "test_run_completed",
      "test_run_completed",
    ]);
  });
});
