import * as fs from "node:fs";
import * as path from "node:path";
import { TerraformVariable } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../../../src";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../../../../src/emulator";
import { Workspace } from "../../../support/terraform";
import { zipEntries } from "../../../support/zip";

const SECRET = "whsec_probe_" + "Zz9yY8".repeat(5);
let emulator: PreclinicalEmulator;
beforeAll(async () => { emulator = await PreclinicalEmulator.start(); });
afterAll(() => emulator.close());

test.each([false, true])("saved plan, ephemeral=%s", async (ephemeral) => {
  emulator.reset();
  const ws = new Workspace({ PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY, TF_VAR_webhook_secret: SECRET });
  const stackDir = ws.synth((stack) => {
    const c = new PreclinicalConnection(stack, "c", { engine: process.env.ENG === "p" ? PreclinicalEngine.PROVISIONERS : PreclinicalEngine.PROVIDER, apiUrl: emulator.url });
    const v = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
    if (ephemeral) v.addOverride("ephemeral", true);
    new PreclinicalWebhook(stack, "org", { url: "https://h.example.com/o", secret: v.stringValue, connection: c });
  });
  await ws.terraform(stackDir, ["init", "-input=false"]);
  const plan = await ws.terraform(stackDir, ["plan", "-input=false", "-no-color", "-out", "plan"]);
  console.log(ephemeral, plan.code, plan.output.slice(-1500));
  if (fs.existsSync(path.join(stackDir, "plan"))) {
    const hits = zipEntries(fs.readFileSync(path.join(stackDir, "plan"))).filter((e) => e.data.toString("latin1").includes(SECRET)).map((e) => e.name);
    console.log("entries holding the secret:", hits);
  }
  ws.cleanup();
});
