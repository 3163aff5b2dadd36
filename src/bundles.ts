/** Where the build put the files that run on the terraform machine (the provisioner CLI, the provider). */
import * as fs from "node:fs";
import * as path from "node:path";
import { messages } from "./messages";

/**
 * A bundle under dist/, found from this module compiled (dist/src or dist/cdktn, whose parent is dist) or
 * run from source by the tests (src, whose sibling is dist).
 */
export function bundlePath(relative: string, what: string, then: string): string {
  const candidates = [path.resolve(__dirname, "..", relative), path.resolve(__dirname, "..", "dist", relative)];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new Error(messages.bundleMissing(what, candidates, then));
  return found;
}
