/**
 * The webhook secret (write-only, from an ephemeral sensitive variable) and the API key (from the
 * environment): how a rotation is triggered, and that neither value reaches any file of the workspace (state,
 * backup, a saved plan inside its zip) or anything terraform prints, TF_LOG=debug and failed applies included.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { COMMANDS, messages } from "../../../src/messages";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { emulator, useSharedEmulator } from "../../support/emulator";
import { applySummary } from "../../support/terraform";
import { LEAK_CHECK_API_KEY, SECRET, SECRET_2 } from "../../support/inputs";
import { flat, webhookConfig, writeRequests, type WebhookDecl } from "../../support/webhook-config";
import { zipEntries } from "../../support/zip";

const WRONG_KEY = "sk_live_" + "WrongKeyWrongKey0123456789abcdefghijklmn".slice(0, 40);
const UNSENT = "whsec_neversent_" + "Qw3eR7".repeat(5);
const VALUES = { SECRET, SECRET_2, UNSENT, LEAK_CHECK_API_KEY, WRONG_KEY };

const org = (secret_version: string, url = "https://hooks.example.com/org"): Record<string, WebhookDecl> => ({
  org: { url, description: "leak check", secret: true, secret_version },
});
const config = (webhooks: Record<string, WebhookDecl>, provider?: Record<string, unknown>) =>
  webhookConfig({ apiUrl: emulator.url, webhooks, provider });
const stored = () => emulator.webhooks("acme");

useSharedEmulator({ organizations: { [LEAK_CHECK_API_KEY]: "acme" } });
useHclWorkspace(SECRET, LEAK_CHECK_API_KEY);

describeWithTerraform("webhook secret and API key (terraform + bundled provider + emulator)", () => {
  test("a new secret with a new secret_version is sent in one PUT; a new secret value alone sends nothing, by design", async () => {
    expect((await hclWs.apply(config(org("1")))).code).toBe(0);
    const id = stored()[0].id;
    expect(stored()[0].secret).toBe(SECRET);

    // When the secret and its secret_version change: an in-place update that shows only secret_version
    emulator.clearRequests();
    const rotation = await hclWs.apply(config(org("2")), { TF_VAR_webhook_secret: SECRET_2 });
    expect(rotation.code).toBe(0);
    expect(rotation.output).toMatch(/~ secret_version\s+= "1" -> "2"/);
    expect(applySummary(rotation)).toBe("0 added, 1 changed, 0 destroyed");
    expect(writeRequests(emulator.requests())).toEqual([`PUT /api/v1/webhooks/${id}`]);
    expect(stored()).toMatchObject([{ id, secret: SECRET_2 }]);

    // When only the secret's value changes: a write-only value is neither stored nor compared, so Terraform
    // sees no change and nothing is sent; secret_version is the documented trigger of a rotation.
    emulator.clearRequests();
    // eslint-disable-next-line prefer-spread -- HclWorkspace.apply is terraform apply, not Function.apply
    const valueOnly = await hclWs.apply(undefined, { TF_VAR_webhook_secret: UNSENT });
    expect(valueOnly.code).toBe(0);
    expect(applySummary(valueOnly)).toBe("no changes");
    expect(writeRequests(emulator.requests())).toEqual([]);
    expect(stored()).toMatchObject([{ id, secret: SECRET_2 }]);
  });

  test("neither secret nor API key is in any workspace file, saved plan, or terraform output, debug logs and failed applies included", async () => {
    const debug = { TF_LOG: "debug" };
    // A create and a plan of a rotation, with debug logging
    expect((await hclWs.apply(config(org("1")), debug)).code).toBe(0);
    expect(stored()).toMatchObject([{ secret: SECRET }]);
    expect((await hclWs.plan(config(org("2")), { ...debug, TF_VAR_webhook_secret: SECRET_2 })).code).toBe(2);
    expect(hclWs.log.join("\n")).toContain("provider.terraform-provider-preclinical"); // the provider's own debug lines were shown

    // A saved plan of the rotation, shown as JSON, then applied (the ephemeral secret is given again at apply)
    const saved = await hclWs.terraform(["plan", "-out=plan.bin", "-input=false", "-no-color"], {
      TF_VAR_webhook_secret: SECRET_2,
    });
    expect(saved.code).toBe(0);
    expect((await hclWs.terraform(["show", "-json", "plan.bin"])).code).toBe(0);
    const appliedPlan = await hclWs.terraform(["apply", "-input=false", "-no-color", "plan.bin"], {
      ...debug,
      TF_VAR_webhook_secret: SECRET_2,
    });
    expect(appliedPlan.code).toBe(0);
    expect(stored()).toMatchObject([{ secret: SECRET_2 }]);

    // A rotation whose PUT fails with 500 on every retry, each answer echoing the secret and the key
    const echo = JSON.stringify({ error: `rejected ${SECRET} for ${LEAK_CHECK_API_KEY}`, code: "INTERNAL_ERROR" });
    emulator.injectFault({
      method: "PUT",
      path: "/webhooks",
      times: 100,
      fault: { kind: "status", status: 500, body: echo },
    });
    const failed = await hclWs.apply(config(org("3"), { deadline_ms: 1500 }), debug);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain("Error: PUT /webhooks/{id} failed");
    expect(failed.output).toContain("[REDACTED]"); // the echoed values were masked, not dropped silently
    emulator.clearFaults();

    // An apply with a wrong key: 401, explained with the variable's name
    const rejected = await hclWs.apply(config(org("3")), { ...debug, PRECLINICAL_API_KEY: WRONG_KEY });
    expect(rejected.code).toBe(1);
    expect(flat(rejected.output)).toContain(
      flat(messages.unauthorized("PRECLINICAL_API_KEY", emulator.url, COMMANDS.terraform)),
    );

    // And a destroy
    expect((await hclWs.destroy()).code).toBe(0);
    expect(stored()).toEqual([]);

    // Then no file, no entry of the saved plan, and nothing terraform printed holds any of the values
    const files = hclWs.files();
    for (const name of ["terraform.tfstate", "terraform.tfstate.backup", "plan.bin", "main.tf.json"]) {
      expect(files.map((f) => path.basename(f))).toContain(name);
    }
    const texts: [string, string][] = [["terraform output", hclWs.log.join("\n")]];
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      texts.push([file, bytes.toString("latin1")]);
      if (file.endsWith(".bin"))
        for (const entry of zipEntries(bytes)) texts.push([`${file}:${entry.name}`, entry.data.toString("latin1")]);
    }
    expect(texts.some(([name]) => name.endsWith("plan.bin:tfplan"))).toBe(true);
    const leaks: string[] = [];
    for (const [name, text] of texts) {
      for (const [what, value] of Object.entries(VALUES)) {
        const at = text.indexOf(value);
        if (at >= 0) leaks.push(`${what} in ${name}: …${text.slice(Math.max(0, at - 200), at)}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
