/**
 * The provider's folder in the user's cache ($XDG_CACHE_HOME or ~/.cache, then cdktf-preclinical-webhooks),
 * for what one provider process leaves the next: the V8 code cache (launcher.ts) and the creates a plan has
 * checked (webhook/checked-creates.ts). Its contents are trusted, so only a folder of this user's that no one
 * else may write is used.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const FOLDER = "cdktf-preclinical-webhooks";

/** The folder (not created), or undefined when the user has no home and no XDG_CACHE_HOME. */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const base = env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), ".cache") : "");
  return base ? path.join(base, FOLDER) : undefined;
}

/** Whether `dir` exists, belongs to this user and is writable by no one else. */
export function isPrivateDir(dir: string): boolean {
  try {
    const stat = fs.statSync(dir);
    if (typeof process.getuid === "function" && stat.uid !== process.getuid()) return false;
    return stat.isDirectory() && (stat.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Writes a file of this user's only, atomically (a reader sees the old bytes or the new, never a part). */
export function writePrivateFile(file: string, bytes: string | Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, bytes, { mode: 0o600 });
  fs.renameSync(temp, file);
}
