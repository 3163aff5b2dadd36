/**
 * `verifyDelivery` and delivery health with real cdktf synthesis and the real terraform binary, against a
 * real receiver on a random loopback port that answers what each step tells it. One story in order, over one
 * workspace and one emulator (the webhooks stay between steps).
 */
import { TerraformVariable } from "cdktf";
import { FAILING_DELIVERIES_SUMMARY } from "../../../src/provider/webhook/health";
import { AGENT_A } from "../../support/agents";
import { cdktfWs, describeWithTerraform, expectNoLeaks, useCdktfWorkspace } from "../../support/e2e";
import { apiRequests, byAgent, emulator, receiver, useSharedEmulator, useSharedReceiver } from "../../support/emulator";
import { LEAK_CHECK_API_KEY, SECRET } from "../../support/inputs";
import { WEBHOOKS, webhookProgram, type Decl } from "../../support/provider-engine";
import { PreclinicalEngine } from "../../../src";
import { flat } from "../../support/webhook-config";
import { applySummary } from "../../support/terraform";

const ORG = "acme";

useSharedEmulator(
  { agents: [{ id: AGENT_A }], organizations: { [LEAK_CHECK_API_KEY]: ORG } },
  { resetAfterEach: false },
);
useCdktfWorkspace(SECRET, LEAK_CHECK_API_KEY, {}, { perFile: true });

useSharedReceiver();

let org: Decl;
const triage: Decl = WEBHOOKS.triage; // healthy throughout, never verified
const hook = (agentId: string | null) => byAgent(agentId, ORG)!;
const testRequests = () => apiRequests("POST").filter((r) => r.path.endsWith("/test"));
const testEvents = () => receiver.received().map((d) => `${(d.body as { event: string }).event} ${d.path}`);

/** The program: `org` verified (its enabled state from the variable `org_enabled`, default true), and `triage`. */
const program = () => (stack: Parameters<ReturnType<typeof webhookProgram>>[0]) => {
  const enabled = new TerraformVariable(stack, "org_enabled", { type: "bool", default: true });
  webhookProgram(
    { engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url },
    { ...org, isEnabled: enabled.booleanValue },
    triage,
  )(stack);
};
const deploy = (extraEnv: Record<string, string> = {}) => cdktfWs.deploy(program(), extraEnv);

async function deliveryTestState(): Promise<Record<string, unknown> | undefined> {
  const shown = await cdktfWs.terraform(cdktfWs.lastStackDir, ["show", "-json"]);
  const resources: { type: string; values: Record<string, unknown> }[] =
    JSON.parse(shown.stdout).values?.root_module?.resources ?? [];
  return resources.find((r) => r.type === "preclinical_webhook_test")?.values;
}

describeWithTerraform(
  "provider engine: verifyDelivery and delivery health (cdktf synth + terraform + receiver)",
  () => {
    test("receiver 500, then 200: the first deploy fails naming 500 and keeps the webhook; the second adds only the test", async () => {
      org = { ...WEBHOOKS.org, url: receiver.url("/org"), verifyDelivery: true };
      receiver.status = 500;

      const failed = await deploy();

      expect(failed.code).toBe(1);
      const id = hook(null).id;
      expect(flat(failed.output)).toContain(
        `The test delivery to webhook ${id} (${receiver.url("/org")}) failed: the receiver answered HTTP 500.`,
      );
      expect(await deliveryTestState()).toBeUndefined();

      receiver.reset(); // answers 200 again
      emulator.clearRequests();
      const passed = await deploy();
      expect(passed.code).toBe(0);
      expect(applySummary(passed)).toBe("1 added, 0 changed, 0 destroyed");
      expect(hook(null).id).toBe(id);
      expect(apiRequests("POST").map((r) => r.path)).toEqual([`/api/v1/webhooks/${id}/test`]);
      expect(testEvents()).toEqual(["test /org"]);
      expect(await deliveryTestState()).toMatchObject({ webhook_id: id, success: true, http_status: 200 });
    });

    test("a description change does not test again; a URL change does", async () => {
      org = { ...org, description: "Every agent" };
      const described = await deploy();
      expect(described.code).toBe(0);
      expect(applySummary(described)).toBe("0 added, 1 changed, 0 destroyed");
      expect(testRequests()).toEqual([]);

      org = { ...org, url: receiver.url("/org-v2") };
      const moved = await deploy();
      expect(moved.code).toBe(0);
      expect(applySummary(moved)).toBe("1 added, 1 changed, 1 destroyed");
      expect(testEvents()).toEqual(["test /org-v2"]);
    });

    test("a webhook disabled through a variable is not tested, and the deploy warns", async () => {
      const result = await deploy({ TF_VAR_org_enabled: "false" });

      expect(result.code).toBe(0);
      expect(hook(null).is_enabled).toBe(false);
      expect(testRequests()).toEqual([]);
      expect(result.output).toContain("Warning: Webhook delivery not tested");
      expect(flat(result.output)).toContain(`The delivery of webhook ${hook(null).id} is not tested`);

      const enabled = await deploy();
      expect(enabled.code).toBe(0);
      expect(testEvents()).toEqual(["test /org-v2"]);
    });

    test("a failing webhook warns in the plan, a healthy one does not, and neither is a change", async () => {
      emulator.setDeliveryHealth(hook(null).id, { consecutive_failures: 3 }, ORG);

      const plan = await cdktfWs.plan(program());

      expect(plan.code).toBe(0);
      expect(plan.output).toContain("No changes.");
      expect(plan.output).not.toMatch(/changed outside of Terraform/);
      const warnings = plan.output.split("Warning: ").filter((w) => w.startsWith(FAILING_DELIVERIES_SUMMARY));
      expect(warnings).toHaveLength(1);
      expect(flat(warnings[0])).toContain(`Webhook ${hook(null).id} (${receiver.url("/org-v2")}) failed its last 3`);
      expect(plan.output).not.toContain(`(webhook ${hook(AGENT_A).id})`);
    });

    test("neither the secret nor the API key is in any workspace file or anything terraform printed", () => {
      expectNoLeaks(cdktfWs, [SECRET, LEAK_CHECK_API_KEY]);
    });
  },
);
