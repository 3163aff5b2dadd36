/**
 * The provider's HTTP client is a file of its own beside the executable (package-files.json). When it is
 * missing, or not the one built with the executable, every call that needs the API fails with the same
 * message, one that says to install the provider again; not only the first call, and never as a bug in
 * the provider. Nothing is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { providerExecutablePath } from "../../../src/provider/install";
import { http1 } from "../../../src/provider/package-files.json";
import { AGENT_A } from "../../support/agents";
import { describeWithTerraform } from "../../support/e2e";
import { apiRequests, emulator, KEY, useSharedEmulator } from "../../support/emulator";
import { HclWorkspace, terraformPlatform } from "../../support/hcl-workspace";
import { flat, webhookConfig } from "../../support/webhook-config";

useSharedEmulator({ agents: [{ id: AGENT_A }] });

/** The HTTP client's file in the workspace's local mirror. */
const mirroredHttp1File = (dir: string) =>
  path.join(path.dirname(providerExecutablePath(dir, "registry.terraform.io", terraformPlatform())), http1);

describeWithTerraform("an incomplete provider package (terraform + bundled provider + emulator)", () => {
  test.each([
    ["missing", (file: string) => fs.rmSync(file)],
    ["not the executable's own", (file: string) => fs.appendFileSync(file, " ")],
  ])("with its HTTP client %s, every webhook's plan says to install again", async (_case, spoil) => {
    const ws = new HclWorkspace({ PRECLINICAL_API_KEY: KEY });
    try {
      ws.write(
        webhookConfig({
          apiUrl: emulator.url,
          webhooks: {
            org: { url: "https://hooks.example.com/org" },
            agent: { url: "https://hooks.example.com/agent", agent_id: AGENT_A },
          },
        }),
      );
      // Before init, as a package copied by hand would be: init then locks what it finds (after init,
      // Terraform's own check of the lock file refuses a changed package before the provider starts).
      spoil(mirroredHttp1File(ws.dir));
      await ws.init();
      const before = apiRequests().length;

      const result = await ws.plan();
      expect(result.code).toBe(1);
      const output = flat(result.output);
      const reports = output.split("Error: The Preclinical provider is installed incompletely").length - 1;
      expect(reports).toBe(2);
      expect(output).toContain("preclinical_webhook.org");
      expect(output).toContain("preclinical_webhook.agent");
      expect(output).toContain(http1);
      expect(output).toContain("Install the provider again (cdktf synth, or preclinical-provider install)");
      expect(output).not.toContain("This is a bug in the provider");
      expect(output).not.toContain("is not a constructor");
      expect(apiRequests().slice(before)).toEqual([]);
    } finally {
      ws.cleanup();
    }
  });
});
