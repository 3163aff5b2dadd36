/**
 * The library as a user installs it: the packed tarball (`npm pack` of the built package), and fresh apps
 * that install it from the npm registry with their own pinned cdktf (or cdktn) and constructs. Shared by the
 * consumer test and the importer's end-to-end test.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** execFile as a promise; a failure's message holds what the command printed (tsc prints errors on stdout). */
export async function run(
  file: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; maxBuffer?: number },
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(file, args, { maxBuffer: 64 * 1024 * 1024, ...options, encoding: "utf8" });
  } catch (err) {
    const { stdout = "", stderr = "" } = err as { stdout?: string; stderr?: string };
    throw new Error(`${(err as Error).message}\n${stdout}\n${stderr}`.trim());
  }
}

const ROOT = path.resolve(__dirname, "..", "..");

/** `npm pack` of the package into `dir`, as it is: `npm test` has built dist (prepack would build it again). */
export function packLibrary(dir: string): string {
  const name = execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", dir], {
    cwd: ROOT,
    encoding: "utf8",
  }).trim();
  return path.join(dir, name.split("\n").pop()!);
}

/** The compiler options every fresh app is type-checked with: `strict`, and the library's types checked too. */
export const STRICT_COMPILER_OPTIONS = {
  target: "ES2022",
  module: "commonjs",
  strict: true,
  skipLibCheck: false,
  esModuleInterop: true,
  types: ["node"],
};

/**
 * Makes a fresh app in `dir`: a package.json, `files` (name -> text), then `npm install` of `packages` (the
 * tarball among them, as a path).
 */
export async function freshApp(dir: string, files: Record<string, string>, packages: readonly string[]): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true }),
  );
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  await run("npm", ["install", "--no-audit", "--no-fund", ...packages], { cwd: dir });
}
