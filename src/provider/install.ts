/**
 * Lays out the bundled provider as an implied local mirror in a folder, so that `terraform init` run there
 * finds `preclinical/preclinical` with no CLI configuration and no network:
 * `<dir>/terraform.d/plugins/<host>/preclinical/preclinical/<version>/<os>_<arch>/` holding
 * `terraform-provider-preclinical_v<version>` and the API's HTTP client beside it (package-files.json).
 * The package is the same files for every platform (Node scripts), so every platform gets a copy and a
 * lock file can hold the checksums of all of them.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { bundlePath } from "../bundles";
import { PACKAGE_VERSION } from "../version";
import files from "./package-files.json";

export const PROVIDER_NAMESPACE = "preclinical";
export const PROVIDER_TYPE = "preclinical";
/** The registry hosts whose source address `preclinical/preclinical` means: Terraform's and OpenTofu's. */
export const PROVIDER_HOSTS = ["registry.terraform.io", "registry.opentofu.org"] as const;
/** Linux and macOS on x86-64 and arm64. Windows is not supported: the executable is a Node script with a shebang. */
export const PROVIDER_PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64"] as const;
/** The provider's version: the package's. */
export const PROVIDER_VERSION = PACKAGE_VERSION;

/** The executable's name in a package folder, as Terraform looks for it. */
const EXECUTABLE_NAME = `terraform-provider-${PROVIDER_TYPE}_v${PROVIDER_VERSION}`;

/** Where the bundled provider lives: dist/provider/. */
export function providerBundlePath(): string {
  return bundlePath(path.join("provider", files.executable), "The bundled Preclinical provider", "try again");
}

/** A file of the provider's package: its name there and its bytes. */
interface PackageFile {
  name: string;
  bytes: Buffer;
  mode: number;
}

let packageFiles: PackageFile[] | undefined;

/**
 * The provider's package, read once per process (every stack of a synthesis installs and hashes it): the
 * executable, named as Terraform looks for it, and the HTTP client that its launcher loads from beside it.
 */
function providerPackage(): PackageFile[] {
  if (!packageFiles) {
    const executable = providerBundlePath();
    packageFiles = [
      { name: EXECUTABLE_NAME, bytes: fs.readFileSync(executable), mode: 0o755 },
      {
        name: files.http1,
        bytes: fs.readFileSync(
          bundlePath(path.join("provider", files.http1), "The bundled Preclinical provider's HTTP client", "try again"),
        ),
        mode: 0o644,
      },
    ];
  }
  return packageFiles;
}

export interface InstallOptions {
  /** @default - PROVIDER_PLATFORMS, every supported platform */
  readonly platforms?: readonly string[];
  /** @default - PROVIDER_HOSTS, Terraform's and OpenTofu's registry */
  readonly hosts?: readonly string[];
}

/** Installs the provider under `<dir>/terraform.d/plugins`; returns the executables written. */
export function installProvider(dir: string, options: InstallOptions = {}): string[] {
  const written: string[] = [];
  for (const host of options.hosts ?? PROVIDER_HOSTS) {
    for (const platform of options.platforms ?? PROVIDER_PLATFORMS) {
      const executable = providerExecutablePath(dir, host, platform);
      fs.mkdirSync(path.dirname(executable), { recursive: true });
      for (const { name, bytes, mode } of providerPackage()) {
        const file = path.join(path.dirname(executable), name);
        // Rewritten only when different: an unchanged file keeps its checksum and its mtime.
        if (!sameBytes(file, bytes)) fs.writeFileSync(file, bytes);
        fs.chmodSync(file, mode);
      }
      written.push(executable);
    }
  }
  return written;
}

export function providerExecutablePath(dir: string, host: string, platform: string): string {
  return path.join(
    dir,
    "terraform.d",
    "plugins",
    host,
    PROVIDER_NAMESPACE,
    PROVIDER_TYPE,
    PROVIDER_VERSION,
    platform,
    EXECUTABLE_NAME,
  );
}

function sameBytes(file: string, bytes: Buffer): boolean {
  try {
    return fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}

/**
 * The provider's checksum as `.terraform.lock.hcl` records it: Terraform's "h1" hash of the package folder
 * (SHA-256 over the lines `<hex sha256 of file>  <relative name>`, sorted by name). Every platform folder
 * holds the same files, so every platform has this one hash.
 */
export function providerLockHash(): string {
  const lines = providerPackage()
    .map(({ name, bytes }) => ({ name, hash: crypto.createHash("sha256").update(bytes).digest("hex") }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map(({ name, hash }) => `${hash}  ${name}\n`)
    .join("");
  return `h1:${crypto.createHash("sha256").update(lines).digest("base64")}`;
}

/**
 * Records the provider in `<dir>/.terraform.lock.hcl`, keeping every other provider's entry: with an entry
 * whose `constraints` match the configuration's version, `cdktf deploy` does not ask the registry to lock
 * a provider that only a local mirror has. Written as `terraform init` writes it, so init leaves it alone.
 */
export function writeLockFile(dir: string): void {
  const file = path.join(dir, ".terraform.lock.hcl");
  const address = `${PROVIDER_HOSTS[0]}/${PROVIDER_NAMESPACE}/${PROVIDER_TYPE}`;
  const ours =
    `provider "${address}" {\n  version     = "${PROVIDER_VERSION}"\n  constraints = "${PROVIDER_VERSION}"\n` +
    `  hashes = [\n    "${providerLockHash()}",\n  ]\n}\n`;
  let text = fs.existsSync(file)
    ? fs.readFileSync(file, "utf8")
    : '# This file is maintained automatically by "terraform init".\n# Manual edits may be lost in future updates.\n';
  const block = new RegExp(`\\n?provider "${address.replace(/[./]/g, "\\$&")}" \\{[\\s\\S]*?\\n\\}\\n`);
  if (block.test(text)) {
    if (text.includes(ours)) return;
    text = text.replace(block, "\n");
  }
  fs.writeFileSync(file, `${text.replace(/\n*$/, "\n")}\n${ours}`);
}
