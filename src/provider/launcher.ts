/**
 * The first lines of the provider executable. Terraform starts the provider three or four times per
 * command, so its start-up is paid again and again (BENCHMARKS.md, section 6). The launcher compiles the
 * bundle (embedded as a string by scripts/bundle-cli.mjs) with a V8 code cache kept per user (user-cache.ts:
 * cached code is trusted, so never a shared folder), as Node 22's module compile cache does. V8 rejects a
 * cache that does not match the source, Node version or flags, and any cache failure only means compiling
 * without it. PRECLINICAL_PROVIDER_CODE_CACHE=off turns it off.
 *
 * The API's HTTP client (undici, two thirds of the code) is a second file beside the executable
 * (package-files.json names it), compiled only when the bundle first requires it: a provider process that
 * Terraform starts for its schema or to validate never talks to the API, and no start reads or compiles it
 * before the handshake.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import Module from "node:module";
import { useProgramV8Flags } from "../api/startup";
import { PackageIncompleteError } from "./package-error";
import { http1 } from "./package-files.json";
import { isPrivateDir, userCacheDir, writePrivateFile } from "./user-cache";

/** The bundle's source and its hash, and the hash of the HTTP client's file, written in at build time. */
declare const PROVIDER_SOURCE: string;
declare const PROVIDER_SOURCE_SHA: string;
declare const PROVIDER_HTTP1_SHA: string;

/** The module ids the bundle leaves to the HTTP client's file (scripts/bundle-cli.mjs), by prefix. */
const HTTP1_MODULES = "undici/";

function cacheFile(name: string, sha: string): string | undefined {
  if (process.env.PRECLINICAL_PROVIDER_CODE_CACHE === "off") return undefined;
  const dir = userCacheDir();
  return dir && path.join(dir, `${name}-${sha}-node${process.version}-${process.arch}.v8cache`);
}

function readCache(file: string | undefined): Buffer | undefined {
  if (!file || !isPrivateDir(path.dirname(file))) return undefined;
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

function writeCache(file: string, script: vm.Script): void {
  try {
    writePrivateFile(file, script.createCachedData());
  } catch {
    // A read-only home or a full disk: the next start compiles without a cache, as this one did.
  }
}

/** Compiles and runs CommonJS `source` as `filename` and `target`, with the code cache `name`. */
function runCached(
  name: string,
  sha: string,
  source: string,
  filename: string,
  load: NodeJS.Require,
  target: { exports: unknown },
): void {
  const file = cacheFile(name, sha);
  const cachedData = readCache(file);
  const script = new vm.Script(Module.wrap(source), { filename, cachedData });
  if (file && (!cachedData || script.cachedDataRejected)) {
    // At a clean exit (Terraform's Shutdown) the cache holds every function compiled so far, the handshake's
    // and the calls' too; a start that failed early would leave a poor cache behind.
    process.once("exit", (code) => {
      if (code === 0) writeCache(file, script);
    });
  }
  script.runInThisContext()(target.exports, load, target, filename, path.dirname(filename));
}

/** What to do about a file of the package that is missing or not this executable's own. */
const REINSTALL =
  "Install the provider again (cdktf synth, or preclinical-provider install) and run the command again.";

let http1Modules: Record<string, unknown> | undefined;

/** The HTTP client's file, read, checked to be this executable's own and run, once. */
function http1Module(id: string): unknown {
  if (!http1Modules) {
    const file = path.join(__dirname, http1);
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      throw new PackageIncompleteError(
        `The Preclinical provider cannot read ${file} (${(err as Error).message}), the HTTP client that belongs ` +
          `beside its executable. ${REINSTALL}`,
      );
    }
    const sha = crypto.createHash("sha256").update(bytes).digest("hex").slice(0, 16);
    if (sha !== PROVIDER_HTTP1_SHA) {
      throw new PackageIncompleteError(
        `The Preclinical provider's ${file} is not the one built with its executable. ${REINSTALL}`,
      );
    }
    // ASCII, as the build leaves it (test/provider/install.test.ts): latin1 reads it as it is, with no decoding.
    const source = bytes.toString("latin1");
    const loaded = { exports: {} };
    runCached("http1", sha, source, file, require, loaded);
    http1Modules = loaded.exports as Record<string, unknown>;
  }
  if (!(id in http1Modules))
    throw new PackageIncompleteError(`The Preclinical provider's HTTP client file holds no module ${id}. ${REINSTALL}`);
  return http1Modules[id];
}

/** The bundle's require: the HTTP client's modules from their file, Node's own modules as usual. */
const bundleRequire = Object.assign(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (id: string) => (id.startsWith(HTTP1_MODULES) ? http1Module(id) : require(id)),
  require,
) as NodeJS.Require;

// Before the bundle is compiled, and for the bundle's whole life: the code cache read here and the one written
// at exit are then made under the same flags. The bundle runs only from here, so it sets none of its own.
useProgramV8Flags();
runCached("provider", PROVIDER_SOURCE_SHA, PROVIDER_SOURCE, __filename, bundleRequire, module);
