/**
 * A synthesized PreclinicalWebhook stack runs on another machine: it names no path of the synth machine and
 * reaches the provisioner CLI as an asset path relative to the stack folder.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { PreclinicalWebhook } from "../../src";
import { AGENT_A } from "../support/agents";
import { HOOK_URL, SECRET } from "../support/inputs";
import { allResources, ledgers, localExec, newStack, oneWebhook, provisioners, type Json } from "../support/synth";

describe("portability", () => {
  const machinePaths = () => [
    ...new Set(["/work/", os.tmpdir(), process.cwd(), os.homedir(), path.resolve(__dirname, "..", "..")]),
  ];

  test("the synthesized stack names no absolute path of the synth machine", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, agentId: AGENT_A });
    const text = Testing.synth(stack);

    for (const machinePath of machinePaths()) expect(text).not.toContain(machinePath);
  });

  test("the CLI reaches every provisioner as a stack-relative asset path, never a trigger", () => {
    const { json } = oneWebhook({ description: "d", secret: SECRET });

    const all = allResources(json);
    for (const p of all.flatMap(([, , body]) => provisioners(body))) {
      expect(p.environment.PRECLINICAL_CLI).toMatch(
        /^assets\/PreclinicalProvisionerCli\/[0-9A-F]+\/preclinical-provisioner\.cjs$/,
      );
    }
    // The asset path changes with every build; in a trigger it would replace every webhook.
    for (const [, , body] of all) expect(JSON.stringify(body.triggers_replace)).not.toContain("assets/");
  });

  test("a full synth copies the CLI into the stack folder at that relative path", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL });
    const outdir = Testing.fullSynth(stack);
    try {
      const stackDir = path.join(outdir, "stacks", "stack");
      const text = fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8");
      for (const machinePath of machinePaths()) expect(text).not.toContain(machinePath);

      const [ledger] = ledgers(JSON.parse(text) as Json);
      const cli = localExec(ledger, "reconcile").environment.PRECLINICAL_CLI;
      expect(fs.existsSync(path.join(stackDir, cli))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
