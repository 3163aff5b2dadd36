/**
 * One synthesis measurement, in a process of its own so that peak memory is its own:
 *   node dist/scripts/bench-synth.js <provider|provisioners|bare> <count>
 * prints {"ms": ..., "maxRssMb": ...}.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, DataResource, TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../src";

const [kind, countText] = process.argv.slice(2);
const count = Number(countText);
const agent = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-synth-"));

const started = process.hrtime.bigint();
const app = new App({ outdir });
const stack = new TerraformStack(app, "bench");
if (kind === "provisioners") {
  new PreclinicalConnection(stack, PreclinicalConnection.DEFAULT_ID, { engine: PreclinicalEngine.PROVISIONERS });
}
for (let i = 0; i < count; i++) {
  const url = `https://hooks.example.com/${i}`;
  if (kind !== "bare") {
    new PreclinicalWebhook(stack, `hook-${i}`, {
      url,
      agentId: i === 0 ? undefined : agent(i),
      description: `hook ${i}`,
    });
  } else {
    new DataResource(stack, `hook-${i}`, { triggersReplace: { url, agent_id: agent(i), description: `hook ${i}` } });
  }
}
app.synth();
const ms = Number(process.hrtime.bigint() - started) / 1e6;
fs.rmSync(outdir, { recursive: true, force: true });
process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
