/** The main entry compiles with jsii: its API can later be published for Python, Java, C# and Go. */
import { execFileSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

describe("jsii", () => {
  test("compiles the main entry into an assembly with the constructs, their props and enums, and the typed lists", () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, "scripts", "jsii-check.mjs")], {
      encoding: "utf8",
      stdio: "pipe",
    });
    const types = /jsii assembly \S+: (.*)/.exec(out)![1].split(", ");
    expect(types).toEqual(
      expect.arrayContaining([
        "cdktf-preclinical-webhooks.PreclinicalWebhook",
        "cdktf-preclinical-webhooks.PreclinicalWebhookProps",
        "cdktf-preclinical-webhooks.PreclinicalConnection",
        "cdktf-preclinical-webhooks.PreclinicalConnectionProps",
        "cdktf-preclinical-webhooks.PreclinicalEngine",
        "cdktf-preclinical-webhooks.ProvisionerResourceType",
        "cdktf-preclinical-webhooks.PreclinicalAgent",
        "cdktf-preclinical-webhooks.PreclinicalAgentOptions",
        "cdktf-preclinical-webhooks.PreclinicalAgents",
        "cdktf-preclinical-webhooks.PreclinicalAgentListItem",
        "cdktf-preclinical-webhooks.PreclinicalWebhooks",
        "cdktf-preclinical-webhooks.PreclinicalWebhookListItem",
      ]),
    );
  }, 120_000);
});
