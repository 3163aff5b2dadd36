/**
 * The first lines of the provider executable. Terraform starts the provider three or four times per
 * command, so its start-up is paid again and again (BENCHMARKS.md, section 6). The launcher compiles the
 * bundle (embedded as a string by scripts/bundle-cli.mjs) with a V8 code cache kept per user (user-cache.ts:
 * cached code is trusted, so never a shared folder), as Node 22's module compile cache does. V8 rejects a
 * cache that does not match the source, Node version or flags, and any cache failure only means compiling
 * without it. PRECLINICAL_PROVIDER_CODE_CACHE=off turns it off.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as vm from "node:vm";
import Module from "node:module";
import { useProgramV8Flags } from "../api/startup";
import { isPrivateDir, userCacheDir, writePrivateFile } from "./user-cache";

/** The bundle's source and its hash, written into the executable at build time. */
declare const PROVIDER_SOURCE: string;
declare const PROVIDER_SOURCE_SHA: string;

function cacheFile(): string | undefined {
  if (process.env.PRECLINICAL_PROVIDER_CODE_CACHE === "off") return undefined;
  const dir = userCacheDir();
  return dir && path.join(dir, `provider-${PROVIDER_SOURCE_SHA}-node${process.version}-${process.arch}.v8cache`);
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

// Before the bundle is compiled, and for the bundle's whole life: the code cache read here and the one written
// at exit are then made under the same flags. The bundle runs only from here, so it sets none of its own.
useProgramV8Flags();
const file = cacheFile();
const cachedData = readCache(file);
const script = new vm.Script(Module.wrap(PROVIDER_SOURCE), { filename: __filename, cachedData });
if (file && (!cachedData || script.cachedDataRejected)) {
  // At a clean exit (Terraform's Shutdown) the cache holds every function compiled so far, the handshake's
  // and the calls' too; a start that failed early would leave a poor cache behind.
  process.once("exit", (code) => {
    if (code === 0) writeCache(file, script);
  });
}
script.runInThisContext()(module.exports, require, module, __filename, __dirname);
