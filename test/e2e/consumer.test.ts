/**
 * The library as a user installs it: `npm pack`, then fresh apps pinned to the cdktf and constructs versions
 * teams run, each type-checked with `strict` and `skipLibCheck: false`, then deployed and destroyed with its
 * own CLI (cdktf-cli; cdktn-cli, on Node 22, which it needs: installed from the npm registry when the tests run on an
 * older Node) against the emulator. Each app must hold exactly one copy of cdktf (or cdktn) and of constructs: the
 * library takes them as peer dependencies. Needs the npm registry.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PreclinicalEmulator } from "../../src/emulator";
import { describeWithTerraform } from "../support/e2e";
import { KEY } from "../support/emulator";
import { STRICT_COMPILER_OPTIONS, freshApp, packLibrary, run } from "../support/fresh-app";

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

const TSCONFIG = { compilerOptions: STRICT_COMPILER_OPTIONS, include: ["main.ts"] };

let work: string;
let tarball: string;
let emulator: PreclinicalEmulator;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-consumer-"));
  tarball = packLibrary(work);
  emulator = await PreclinicalEmulator.start();
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

/** How an app of a setup deploys: with its own CLI, on the Node major it needs (default: the one running the tests). */
interface Setup {
  readonly core: "cdktf" | "cdktn";
  readonly version: string;
  readonly constructs: string;
  readonly library: string;
  readonly cli: { readonly pkg: string; readonly bin: string };
  readonly node?: number;
}

const NODE_MAJOR = Number(process.versions.node.split(".")[0]);

/**
 * The folder of a `node` executable of `major`: this process's own when it is that major or newer, else the
 * `node` package from the npm registry (`npm i node@<major>`, which fetches the platform's binary), installed
 * once into `work`. Its install script is allowed by name, as npm's allowScripts asks.
 */
async function nodeBin(major: number): Promise<string> {
  if (NODE_MAJOR >= major) return path.dirname(process.execPath);
  const folder = path.join(work, `node${major}`);
  const bin = path.join(folder, "node_modules", "node", "bin");
  if (!fs.existsSync(path.join(bin, "node"))) {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(
      path.join(folder, "package.json"),
      JSON.stringify({ name: `node${major}`, version: "1.0.0", private: true, allowScripts: { node: true } }),
    );
    await run("npm", ["install", "--no-audit", "--no-fund", `node@${major}`], {
      cwd: folder,
      maxBuffer: 64 * 1024 * 1024,
    });
  }
  const { stdout } = await run(path.join(bin, "node"), ["--version"], { cwd: folder });
  expect(stdout.trim()).toMatch(new RegExp(`^v${major}\\.`));
  return bin;
}

const SETUPS: [string, Setup][] = [
  [
    "cdktf 0.20.11 and constructs 10.3.0",
    {
      core: "cdktf",
      version: "0.20.11",
      constructs: "10.3.0",
      library: "cdktf-preclinical-webhooks",
      cli: { pkg: "cdktf-cli@0.20.11", bin: "cdktf" },
    },
  ],
  [
    "cdktf 0.21.0 and constructs 10.4.2",
    {
      core: "cdktf",
      version: "0.21.0",
      constructs: "10.4.2",
      library: "cdktf-preclinical-webhooks",
      cli: { pkg: "cdktf-cli@0.21.0", bin: "cdktf" },
    },
  ],
  // cdktn-cli 0.24 needs Node 22 (it fails on Node 20 with "markAsUncloneable is not a function"): the app's
  // commands run with Node 22's folder first on the PATH, so the CLI, the app it synthesizes and the provider
  // terraform starts (a `#!/usr/bin/env node` script) all run on Node 22, as on a cdktn user's machine.
  [
    "CDK Terrain (cdktn) 0.24.0 and constructs 10.7.0",
    {
      core: "cdktn",
      version: "0.24.0",
      constructs: "10.7.0",
      library: "cdktf-preclinical-webhooks/cdktn",
      cli: { pkg: "cdktn-cli@0.24.0", bin: "cdktn" },
      node: 22,
    },
  ],
];

describeWithTerraform("a fresh app that installs the packed library", () => {
  test.each(SETUPS)(
    "on %s gets one copy of each, passes a strict type-check, deploys and destroys",
    async (_, setup) => {
      // Given: a new app with its own pinned cdktf (or cdktn), constructs and CLI, and the packed library
      const app = path.join(work, `app-${setup.core}-${setup.version}`);
      const packages = [
        `${setup.core}@${setup.version}`,
        `constructs@${setup.constructs}`,
        "typescript@~5.9.3",
        "@types/node@^20",
      ];
      await freshApp(
        app,
        {
          "main.ts": appSource(setup.core, setup.library),
          "tsconfig.json": JSON.stringify(TSCONFIG),
          // CDK Terrain reads the same cdktf.json.
          "cdktf.json": JSON.stringify({
            language: "typescript",
            app: "node main.js",
            output: "out",
            sendCrashReports: "false",
          }),
        },
        [...packages, setup.cli.pkg, tarball],
      );

      // Then: the app and the library share one copy of the core and of constructs, and hold none of the
      // other core (the CLI's own dependencies are its business)
      const { stdout: tree } = await run("npm", ["ls", "--all", "--parseable", "cdktf", "cdktn", "constructs"], {
        cwd: app,
      });
      const used = tree
        .split("\n")
        .filter((line) => !line.includes("-cli/") && !line.includes("/@cdktf/") && !line.includes("/@cdktn/"));
      const copies = (name: string) => used.filter((line) => line.endsWith(`node_modules/${name}`));
      expect(copies(setup.core)).toEqual([path.join(app, "node_modules", setup.core)]);
      expect(copies(setup.core === "cdktf" ? "cdktn" : "cdktf")).toEqual([]);
      expect(copies("constructs")).toEqual([path.join(app, "node_modules", "constructs")]);
      expect(
        fs.existsSync(path.join(app, "node_modules", "cdktf-preclinical-webhooks", "node_modules", setup.core)),
      ).toBe(false);

      // And: it compiles with strict and skipLibCheck false, deploys one webhook, and destroys it, its commands
      // on the Node it needs (first on the PATH for this app's commands only)
      const bin = setup.node ? await nodeBin(setup.node) : undefined;
      const env = {
        ...process.env,
        ...(bin && { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` }),
        CHECKPOINT_DISABLE: "1",
        EMULATOR_URL: emulator.url,
        PRECLINICAL_API_KEY: KEY,
        TF_VAR_webhook_secret: SECRET,
        FORCE_COLOR: "0",
      };
      const stackDir = path.join(app, "out", "stacks", "webhooks");
      const options = { cwd: app, env, maxBuffer: 64 * 1024 * 1024 };
      const { stdout: version } = await run("node", ["--version"], options);
      expect(Number(version.trim().slice(1).split(".")[0])).toBeGreaterThanOrEqual(setup.node ?? NODE_MAJOR);
      await run(path.join(app, "node_modules", ".bin", "tsc"), ["-p", "."], options);
      const cli = path.join(app, "node_modules", ".bin", setup.cli.bin);
      await run(cli, ["deploy", "--auto-approve"], options);
      const { stdout: id } = await run("terraform", ["output", "-raw", "org_webhook_id"], {
        ...options,
        cwd: stackDir,
      });
      expect(emulator.webhooks().find((w) => w.id === id.trim())).toMatchObject({
        url: "https://hooks.example.com/preclinical",
        secret: SECRET,
      });
      await run(cli, ["destroy", "--auto-approve"], options);
      expect(emulator.webhooks()).toHaveLength(0);
    },
    300_000,
  );
});
