/**
 * What a full synth of a provider-engine stack writes into the stack folder: the provider as an implied
 * local mirror under terraform.d/plugins for every supported platform and both registries, and its entry in
 * .terraform.lock.hcl. Synthesis only, no Terraform.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook, ProvisionerResourceType } from "../../src";
import { providerBundlePath, providerLockHash } from "../../src/provider/install";
import { version as VERSION } from "../../package.json";
import PACKAGE_FILES from "../../src/provider/package-files.json";
import { HOOK_URL } from "../support/inputs";

const HOSTS = ["registry.terraform.io", "registry.opentofu.org"];
const PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64"];
const EXECUTABLE = `terraform-provider-preclinical_v${VERSION}`;
const REPOSITORY = path.resolve(__dirname, "..", "..");
const LOCK_HEADER =
  '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';
const NULL_LOCK =
  'provider "registry.terraform.io/hashicorp/null" {\n  version     = "3.2.3"\n  constraints = "3.2.3"\n  hashes = [\n' +
  '    "h1:I0Um8UkrMUb81Fxq/dxbr3HLP2cecTH2WMJiwKSrwQY=",\n  ]\n}\n';

const folders: string[] = [];
afterAll(() => folders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));

function tempFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-provider-synth-"));
  folders.push(folder);
  return folder;
}

/** A stack "stack" with one provider-engine webhook. */
function providerStack(app = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, "stack");
  const connection = new PreclinicalConnection(stack, "Conn", { engine: PreclinicalEngine.PROVIDER });
  new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection });
  return stack;
}

/** Synthesizes `build`'s App into `outdir` with app.synth(), as `cdktf synth` does; returns the stack folders. */
function synthApp(outdir: string, build: (app: App) => void): string {
  const app = new App({ outdir });
  build(app);
  app.synth();
  return path.join(outdir, "stacks");
}

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

/** The lock file's entries for preclinical/preclinical. */
const ourLockEntries = (lock: string): string[] =>
  lock.match(/^provider "registry\.terraform\.io\/preclinical\/preclinical" \{\n[\s\S]*?\n\}\n/gm) ?? [];

const mirrorFile = (stackDir: string, host: string, platform: string) =>
  path.join(stackDir, "terraform.d", "plugins", host, "preclinical", "preclinical", VERSION, platform, EXECUTABLE);

/** Terraform's "h1" hash of a package folder: SHA-256 over the lines `<sha256 hex>  <name>`, sorted by name. */
function dirHash(folder: string): string {
  const lines = filesUnder(folder).map(
    (name) =>
      `${crypto
        .createHash("sha256")
        .update(fs.readFileSync(path.join(folder, name)))
        .digest("hex")}  ${name}\n`,
  );
  // filesUnder sorts the names; sorting the lines would sort by hash.
  return `h1:${crypto.createHash("sha256").update(lines.join("")).digest("base64")}`;
}

describe("a full synth of a provider-engine stack", () => {
  let stackDir: string;
  beforeAll(() => {
    const outdir = Testing.fullSynth(providerStack());
    folders.push(outdir);
    stackDir = path.join(outdir, "stacks", "stack");
  });

  test.each(HOSTS.flatMap((host) => PLATFORMS.map((platform) => [host, platform])))(
    "lays out the bundled provider as an executable for %s on %s",
    (host, platform) => {
      const file = mirrorFile(stackDir, host, platform);

      expect(fs.readFileSync(file).equals(fs.readFileSync(providerBundlePath()))).toBe(true);
      expect(fs.statSync(file).mode & 0o111).toBe(0o111);
      // The API's HTTP client, which the executable's launcher loads from beside it.
      const http1 = path.join(path.dirname(file), PACKAGE_FILES.http1);
      expect(
        fs
          .readFileSync(http1)
          .equals(fs.readFileSync(path.join(path.dirname(providerBundlePath()), PACKAGE_FILES.http1))),
      ).toBe(true);
    },
  );

  test("the mirror holds nothing but the four platforms of the two registries", () => {
    const expected = HOSTS.flatMap((host) =>
      PLATFORMS.flatMap((platform) => {
        const executable = path.relative(stackDir, mirrorFile(stackDir, host, platform));
        return [executable, path.join(path.dirname(executable), PACKAGE_FILES.http1)];
      }),
    );
    expect(filesUnder(path.join(stackDir, "terraform.d")).map((f) => path.join("terraform.d", f))).toEqual(
      expected.sort(),
    );
  });

  test("the lock file records the provider at the package's version with the h1 hash of what was laid out", () => {
    const lock = fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8");

    const entries = ourLockEntries(lock);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(new RegExp(`\\n  version\\s*= "${VERSION.replace(/\./g, "\\.")}"\\n`));
    expect(entries[0]).toContain(`\n  hashes = [\n    "${providerLockHash()}",\n  ]\n`);
    for (const platform of PLATFORMS) {
      expect(dirHash(path.dirname(mirrorFile(stackDir, "registry.terraform.io", platform)))).toBe(providerLockHash());
    }
  });

  test("no file it writes names the synth folder or this repository", () => {
    const outdir = path.resolve(stackDir, "..", "..");
    const machinePaths = [...new Set([outdir, fs.realpathSync(outdir), REPOSITORY, fs.realpathSync(REPOSITORY)])];
    const written = ["manifest.json", ...filesUnder(stackDir).map((f) => path.join("stacks", "stack", f))];
    expect(written).toEqual(
      expect.arrayContaining(["manifest.json", "stacks/stack/cdk.tf.json", "stacks/stack/.terraform.lock.hcl"]),
    );

    for (const file of written) {
      const text = fs.readFileSync(path.join(outdir, file), "latin1");
      for (const machinePath of machinePaths)
        expect({ file, names: text.includes(machinePath) }).toEqual({ file, names: false });
    }
  });
});

describe("synthesizing into an existing folder", () => {
  test("a second synth leaves the provider's bytes, modification times and lock file as they were", () => {
    const outdir = tempFolder();
    const stacks = synthApp(outdir, (app) => providerStack(app));
    const snapshot = () =>
      ["terraform.d", ".terraform.lock.hcl"].flatMap((top) =>
        (top === "terraform.d" ? filesUnder(path.join(stacks, "stack", top)).map((f) => path.join(top, f)) : [top]).map(
          (f) => {
            const file = path.join(stacks, "stack", f);
            return { f, bytes: fs.readFileSync(file).toString("base64"), mtime: fs.statSync(file).mtimeMs };
          },
        ),
      );
    const first = snapshot();

    synthApp(outdir, (app) => providerStack(app));

    expect(snapshot()).toEqual(first);
    // Two files per platform (the executable and its HTTP client), and the lock file.
    expect(first).toHaveLength(HOSTS.length * PLATFORMS.length * 2 + 1);
  });

  test("a lock file with another provider's entry keeps it, and an older entry of ours is replaced by one", () => {
    const outdir = tempFolder();
    const stackDir = path.join(outdir, "stacks", "stack");
    fs.mkdirSync(stackDir, { recursive: true });
    const oldOurs =
      'provider "registry.terraform.io/preclinical/preclinical" {\n  version = "0.0.1"\n  hashes = [\n    "h1:old=",\n  ]\n}\n';
    fs.writeFileSync(path.join(stackDir, ".terraform.lock.hcl"), `${LOCK_HEADER}\n${NULL_LOCK}\n${oldOurs}`);

    synthApp(outdir, (app) => providerStack(app));

    const lock = fs.readFileSync(path.join(stackDir, ".terraform.lock.hcl"), "utf8");
    expect(lock).toContain(NULL_LOCK);
    expect(lock).not.toContain("0.0.1");
    expect(ourLockEntries(lock)).toEqual([expect.stringContaining(`"${providerLockHash()}"`)]);
  });
});

describe("which stacks get the provider", () => {
  test("only the stacks with a provider connection get terraform.d and a lock file, with or without webhooks", () => {
    const stacks = synthApp(tempFolder(), (app) => {
      providerStack(app);
      new PreclinicalConnection(new TerraformStack(app, "empty"), "Conn", { engine: PreclinicalEngine.PROVIDER });
      const legacy = new TerraformStack(app, "legacy");
      const connection = new PreclinicalConnection(legacy, "Conn", {
        engine: PreclinicalEngine.PROVISIONERS,
        resourceType: ProvisionerResourceType.NULL_RESOURCE,
      });
      new PreclinicalWebhook(legacy, "Hook", {
        url: HOOK_URL,
        agentId: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        connection,
      });
    });

    const laidOut = (stack: string) => ({
      mirror: fs.existsSync(mirrorFile(path.join(stacks, stack), "registry.terraform.io", "linux_amd64")),
      terraformD: fs.existsSync(path.join(stacks, stack, "terraform.d")),
      lock: fs.existsSync(path.join(stacks, stack, ".terraform.lock.hcl")),
    });
    expect(laidOut("stack")).toEqual({ mirror: true, terraformD: true, lock: true });
    expect(laidOut("empty")).toEqual({ mirror: true, terraformD: true, lock: true });
    expect(laidOut("legacy")).toEqual({ mirror: false, terraformD: false, lock: false });
  });
});
