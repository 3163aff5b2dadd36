/**
 * A saved plan (`terraform plan -out`) applied after the organization changed in the UI: the apply stops with
 * a message that says what happened and what to do, writes nothing it should not, and the next plan recovers;
 * and an update that still applies sends only the fields it changes, so a change made in the UI meanwhile to
 * another field survives it (the one black-box view of a PUT's body).
 */
import { COMMANDS, messages } from "../../../src/messages";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { emulator, useSharedEmulator } from "../../support/emulator";
import { changeInUi, deleteInUi, flat, webhookConfig, writeRequests } from "../../support/webhook-config";

const SECRET = "whsec_e2e_" + "St4leP".repeat(6);

const config = (url: string, description?: string) =>
  webhookConfig({ apiUrl: emulator.url, webhooks: { org: { url, description, secret: true } } });
const savePlan = () => hclWs.terraform(["plan", "-out=plan.bin", "-input=false", "-no-color"]);
const applySaved = () => hclWs.terraform(["apply", "-input=false", "-no-color", "plan.bin"]);

useSharedEmulator({});
useHclWorkspace(SECRET);

describeWithTerraform("saved plans applied after a change in the UI (terraform + bundled provider + emulator)", () => {
  test("an update planned for a webhook deleted in the UI since fails saying so, and the next plan creates it anew", async () => {
    expect((await hclWs.apply(config("https://hooks.example.com/v1"))).code).toBe(0);
    const id = emulator.webhooks()[0].id;
    hclWs.write(config("https://hooks.example.com/v2"));
    expect((await savePlan()).code).toBe(0);
    await deleteInUi(emulator.url, id);
    emulator.clearRequests();

    const result = await applySaved();

    expect(result.code).toBe(1);
    expect(flat(result.output)).toContain(flat(messages.goneSincePlan(id, COMMANDS.terraform)));
    expect(writeRequests(emulator.requests())).toEqual([`PUT /api/v1/webhooks/${id}`]);
    expect(emulator.webhooks()).toEqual([]);
    const next = await hclWs.plan();
    expect(next.code).toBe(2);
    expect(next.output).toContain("preclinical_webhook.org will be created");
  });

  test("a create planned for a scope taken in the UI since fails naming the holder, and creates nothing", async () => {
    hclWs.write(config("https://hooks.example.com/v1"));
    await hclWs.init();
    expect((await savePlan()).code).toBe(0);
    const holder = emulator.seedWebhook("default", { url: "https://ui.example.com/by-hand" });
    emulator.clearRequests();

    const result = await applySaved();

    expect(result.code).toBe(1);
    expect(flat(result.output)).toContain(flat(messages.scopeHeld(null, holder)));
    expect(emulator.requests().filter((r) => r.method === "POST" && r.status === 201)).toEqual([]);
    expect(emulator.webhooks()).toEqual([holder]);
  });

  test("an update sends only the fields it changes: a description changed in the UI after the plan survives a saved url change", async () => {
    expect((await hclWs.apply(config("https://hooks.example.com/v1", "as configured"))).code).toBe(0);
    const id = emulator.webhooks()[0].id;
    hclWs.write(config("https://hooks.example.com/v2", "as configured"));
    expect((await savePlan()).code).toBe(0);
    await changeInUi(emulator.url, id, { description: "changed in the UI after the plan", is_enabled: false });
    emulator.clearRequests();

    const result = await applySaved();

    expect(result.code).toBe(0);
    expect(writeRequests(emulator.requests())).toEqual([`PUT /api/v1/webhooks/${id}`]);
    // The PUT carried the url alone: neither the description, nor is_enabled, nor the secret went back
    expect(emulator.webhooks()).toMatchObject([
      {
        id,
        url: "https://hooks.example.com/v2",
        description: "changed in the UI after the plan",
        is_enabled: false,
        secret: SECRET,
      },
    ]);
  });
});
