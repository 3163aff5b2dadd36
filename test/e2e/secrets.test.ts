/**
 * Secret hygiene with the real terraform binary: a webhook secret from a sensitive variable and the API key
 * from the environment never appear in cdk.tf.json, the state or its backup, or anything terraform prints,
 * through create, rotation, a failed apply (whose output Terraform does print) and destroy, with debug on.
 */
import { TerraformVariable, type TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../src";
import { cdktfWs, describeWithTerraform, expectNoLeaks, useCdktfWorkspace } from "../support/e2e";
import { emulator, useSharedEmulator } from "../support/emulator";
import { LEAK_CHECK_API_KEY, SECRET, SECRET_2 } from "../support/inputs";

useSharedEmulator({ organizations: { [LEAK_CHECK_API_KEY]: "acme" } });
useCdktfWorkspace(SECRET, LEAK_CHECK_API_KEY, { PRECLINICAL_DEBUG: "1" });

describeWithTerraform("secret hygiene (real terraform against the emulator)", () => {
  const program = (url: string) => (stack: TerraformStack) => {
    const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
    const connection = new PreclinicalConnection(stack, "preclinical", {
      engine: PreclinicalEngine.PROVISIONERS,
      apiUrl: emulator.url,
      deadlineMs: 5000,
    });
    new PreclinicalWebhook(stack, "org", { url, secret: secret.stringValue, connection, description: "leak check" });
  };

  test("no secret or key in synthesized files, state, backups or any terraform output", async () => {
    // Given a deploy, a rotation, and a rotation whose PUT fails with an answer that echoes both values
    expect((await cdktfWs.deploy(program("https://hooks.example.com/a"))).code).toBe(0);
    expect(emulator.webhooks("acme")[0].secret).toBe(SECRET);

    expect(
      (await cdktfWs.deploy(program("https://hooks.example.com/b"), { TF_VAR_webhook_secret: SECRET_2 })).code,
    ).toBe(0);
    expect(emulator.webhooks("acme")[0].secret).toBe(SECRET_2);

    // The failing answer echoes the values this request carried (the CLI cannot know, nor mask, others).
    const echo = JSON.stringify({ error: `rejected ${SECRET} for ${LEAK_CHECK_API_KEY}`, code: "INVALID_FIELD_VALUE" });
    emulator.injectFault({ method: "PUT", path: "/webhooks", fault: { kind: "status", status: 400, body: echo } });
    const failed = await cdktfWs.deploy(program("https://hooks.example.com/c"), { TF_VAR_webhook_secret: SECRET });
    expect(failed.code).not.toBe(0);
    expect(failed.output).toContain("PUT /webhooks/"); // the failure is explained...
    expect(failed.output).toContain("[REDACTED]"); // ...with the echoed values masked
    expect((await cdktfWs.destroy(program("https://hooks.example.com/c"))).code).toBe(0);
    expect(emulator.webhooks("acme")).toHaveLength(0);

    // Then none of the artifacts contains either secret or the key
    const files = cdktfWs.files();
    expect(files.some((f) => f.endsWith("cdk.tf.json"))).toBe(true);
    expect(files.some((f) => f.endsWith("terraform.tfstate"))).toBe(true);
    expect(files.some((f) => f.endsWith("terraform.tfstate.backup"))).toBe(true);
    expectNoLeaks(cdktfWs, [SECRET, SECRET_2, LEAK_CHECK_API_KEY]);
  });
});
