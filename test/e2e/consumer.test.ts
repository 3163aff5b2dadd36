/**
 * The library as a user installs it: `npm pack`, then fresh apps pinned to the cdktf and constructs versions
 * teams run, each type-checked with `strict` and `skipLibCheck: false`, synthesized, and deployed with
 * terraform against the emulator. Each app must hold exactly one copy of cdktf and of constructs: the
 * library takes them as peer dependencies. Needs the npm registry.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../../src/emulator";
import { describeWithTerraform } from "../support/describe";

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, "..", "..");
const SECRET = "consumer-secret-" + "Qx7Lm2".repeat(4);

/** The quick start, on `core` (cdktf or cdktn) and the library entry for it. */
const appSource = (core: string, library: string) => `
import { App, TerraformOutput, TerraformStack, TerraformVariable } from "${core}";
import { PreclinicalConnection, PreclinicalWebhook } from "${library}";

const app = new App();
const stack = new TerraformStack(app, "webhooks");
const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
const connection = new PreclinicalConnection(stack, "preclinical", { apiUrl: process.env.EMULATOR_URL });
const org = new PreclinicalWebhook(stack, "org", { url: "https://hooks.example.com/preclinical", secret: secret.stringValue, connection });
new TerraformOutput(stack, "org_webhook_id", { value: org.webhookId });
app.synth();
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "commonjs",
    strict: true,
    skipLibCheck: false,
    esModuleInterop: true,
    types: ["node"],
  },
  include: ["main.ts"],
};

let work: string;
let tarball: string;
let emulator: PreclinicalEmulator;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-consumer-"));
  // `npm test` has built dist: pack it as it is (prepack would build again).
  const name = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", work], {
    cwd: ROOT,
    encoding: "utf8",
  }).trim();
  tarball = path.join(work, name.split("\n").pop()!);
  emulator = await PreclinicalEmulator.start();
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describeWithTerraform("a fresh app that installs the packed library", () => {
  test.each([
    [
      "cdktf 0.20.11 and constructs 10.3.0",
      { core: "cdktf", version: "0.20.11", constructs: "10.3.0", library: "cdktf-preclinical-webhooks" },
    ],
    [
      "cdktf 0.21.0 and constructs 10.4.2",
      { core: "cdktf", version: "0.21.0", constructs: "10.4.2", library: "cdktf-preclinical-webhooks" },
    ],
    [
      "CDK Terrain (cdktn) 0.24.0 and constructs 10.7.0",
      { core: "cdktn", version: "0.24.0", constructs: "10.7.0", library: "cdktf-preclinical-webhooks/cdktn" },
    ],
  ])(
    "on %s: one copy of each, strict type-check, synth and deploy",
    async (_, setup) => {
      // Given: a new app with its own pinned cdktf (or cdktn) and constructs, and the packed library
      const dir = path.join(work, `app-${setup.core}-${setup.version}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(
        path.join(dir, "package.json"),
        JSON.stringify({ name: "consumer", version: "1.0.0", private: true }),
      );
      fs.writeFileSync(path.join(dir, "main.ts"), appSource(setup.core, setup.library));
      fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG));
      await run(
        "npm",
        [
          "install",
          "--no-audit",
          "--no-fund",
          `${setup.core}@${setup.version}`,
          `constructs@${setup.constructs}`,
          "typescript@~5.9.3",
          "@types/node@^20",
          tarball,
        ],
        { cwd: dir },
      );

      // Then: one copy of the core and of constructs in the tree, and none of the other core
      const { stdout: tree } = await run("npm", ["ls", "--all", "--parseable", "cdktf", "cdktn", "constructs"], {
        cwd: dir,
      });
      const copies = (name: string) => tree.split("\n").filter((line) => line.endsWith(`node_modules/${name}`));
      expect(copies(setup.core)).toHaveLength(1);
      expect(copies(setup.core === "cdktf" ? "cdktn" : "cdktf")).toHaveLength(0);
      expect(copies("constructs")).toHaveLength(1);
      const app = dir;

      // And: the app compiles with strict and skipLibCheck false, synthesizes, and deploys one webhook
      await run(path.join(app, "node_modules", ".bin", "tsc"), ["-p", "."], { cwd: app });
      await run(process.execPath, ["main.js"], {
        cwd: app,
        env: { ...process.env, EMULATOR_URL: emulator.url, CDKTF_OUTDIR: "out" },
      });
      const stackDir = path.join(app, "out", "stacks", "webhooks");
      const env = {
        ...process.env,
        CHECKPOINT_DISABLE: "1",
        PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY,
        TF_VAR_webhook_secret: SECRET,
      };
      await run("terraform", ["init", "-input=false", "-no-color"], { cwd: stackDir, env });
      await run("terraform", ["apply", "-auto-approve", "-input=false", "-no-color"], { cwd: stackDir, env });
      const { stdout: id } = await run("terraform", ["output", "-raw", "org_webhook_id"], { cwd: stackDir, env });
      expect(emulator.webhooks().find((w) => w.id === id.trim())).toMatchObject({
        url: "https://hooks.example.com/preclinical",
        secret: SECRET,
      });
      await run("terraform", ["destroy", "-auto-approve", "-input=false", "-no-color"], { cwd: stackDir, env });
      expect(emulator.webhooks()).toHaveLength(0);
    },
    240_000,
  );
});
