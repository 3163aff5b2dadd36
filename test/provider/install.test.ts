/**
 * The provider as it is installed: the implied local mirror layout, the same bytes on every build (lock
 * files stay valid), and nothing of the build machine inside.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  PROVIDER_HOSTS,
  PROVIDER_PLATFORMS,
  PROVIDER_VERSION,
  installProvider,
  providerExecutablePath,
} from "../../src/provider";
import { providerBundlePath } from "../../src/provider/install";
import PACKAGE_FILES from "../../src/provider/package-files.json";

const ROOT = path.resolve(__dirname, "..", "..");
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-install-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("installing the provider", () => {
  test("lays out an executable for every platform under both registry hosts", () => {
    const written = installProvider(dir);
    expect(written).toHaveLength(PROVIDER_HOSTS.length * PROVIDER_PLATFORMS.length);
    const file = path.join(
      dir,
      `terraform.d/plugins/registry.terraform.io/preclinical/preclinical/${PROVIDER_VERSION}/linux_amd64/terraform-provider-preclinical_v${PROVIDER_VERSION}`,
    );
    expect(written).toContain(file);
    expect(written).toContain(providerExecutablePath(dir, "registry.opentofu.org", "darwin_arm64"));
    expect(fs.statSync(file).mode & 0o111).toBe(0o111);
    expect(fs.readFileSync(file, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
  });

  test("the version is the package's", () => {
    expect(PROVIDER_VERSION).toBe(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version);
  });

  test("installing twice leaves the same bytes and does not rewrite an unchanged file", () => {
    const [first] = installProvider(dir, { platforms: ["linux_amd64"], hosts: ["registry.terraform.io"] });
    const before = fs.statSync(first).mtimeMs;
    const bytes = fs.readFileSync(first);
    installProvider(dir, { platforms: ["linux_amd64"], hosts: ["registry.terraform.io"] });
    expect(fs.readFileSync(first).equals(bytes)).toBe(true);
    expect(fs.statSync(first).mtimeMs).toBe(before);
  });

  test("the bin installs into the folder it is given and refuses an unknown platform", () => {
    const bin = path.join(ROOT, "dist/src/provider/bin.js");
    const out = execFileSync(process.execPath, [bin, "install", dir, "--platform", "linux_arm64"], {
      encoding: "utf8",
    });
    expect(out).toContain(providerExecutablePath(dir, "registry.terraform.io", "linux_arm64"));
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [bin, "install", dir, "--platform", "windows_amd64"], {
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (err) {
      failure = err as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(2);
    expect(failure?.stderr).toContain("Unsupported platform windows_amd64");
  });
});

describe("the provider build", () => {
  test("a rebuild from the same sources yields the same bytes, free of this machine's paths", () => {
    const outdir = path.join(dir, "rebuild");
    execFileSync(process.execPath, [path.join(ROOT, "scripts/bundle-cli.mjs"), "--outdir", outdir], { cwd: ROOT });
    const built = path.dirname(providerBundlePath());
    expect(fs.readdirSync(path.join(outdir, "provider")).sort()).toEqual(
      [PACKAGE_FILES.executable, PACKAGE_FILES.http1].sort(),
    );
    for (const name of [PACKAGE_FILES.executable, PACKAGE_FILES.http1]) {
      const rebuilt = fs.readFileSync(path.join(outdir, "provider", name));
      expect({ name, same: rebuilt.equals(fs.readFileSync(path.join(built, name))) }).toEqual({ name, same: true });
      const text = rebuilt.toString("utf8");
      expect(text).not.toContain(ROOT);
      expect(text).not.toContain(os.homedir());
    }
  });

  test("the API's HTTP client is a file of its own, read only by a process that talks to the API", () => {
    const executable = fs.readFileSync(providerBundlePath(), "utf8");
    // The bundle leaves undici to the file beside it, which the launcher loads on the bundle's first require.
    expect(executable).not.toContain("undici.error.UND_ERR");
    expect(executable).toContain("undici/lib/dispatcher/agent");
    const http1 = fs.readFileSync(path.join(path.dirname(providerBundlePath()), PACKAGE_FILES.http1), "utf8");
    expect(http1).toContain("undici.error.UND_ERR");
    expect([...http1].every((c) => c.charCodeAt(0) < 0x80)).toBe(true);
  });
});
