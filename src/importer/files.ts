/**
 * Writing the generated files all or nothing: every file is written in full to a temporary file beside its
 * target, and only then moved into place. Without `force` a file that exists is never replaced, even one
 * made while the command ran (a hard link, unlike a rename, fails on an existing target).
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { messages } from "../messages";
import { ImportError } from "./organization";

export interface OutputFile {
  readonly path: string;
  readonly text: string;
}

/** The files of `files` that exist already. */
export function existing(files: readonly OutputFile[]): string[] {
  return files.map((f) => f.path).filter((p) => fs.existsSync(p));
}

/** Writes every file, or none: throws ImportError, having written nothing, when one cannot be written. */
export function writeAll(files: readonly OutputFile[], force: boolean): void {
  const clash = force ? [] : existing(files);
  if (clash.length > 0) throw new ImportError(messages.importOutputExists(clash));
  const staged: { temp: string; target: string }[] = [];
  const placed: string[] = [];
  try {
    for (const file of files) {
      fs.mkdirSync(path.dirname(file.path), { recursive: true });
      const temp = path.join(
        path.dirname(file.path),
        `.${path.basename(file.path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
      );
      staged.push({ temp, target: file.path });
      fs.writeFileSync(temp, file.text, { flag: "wx", mode: 0o644 });
    }
    for (const { temp, target } of staged) {
      if (force) fs.renameSync(temp, target);
      else {
        try {
          fs.linkSync(temp, target);
        } catch (err) {
          // Made by someone else while this command ran.
          if ((err as NodeJS.ErrnoException).code === "EEXIST") throw new ImportError("");
          throw err;
        }
      }
      placed.push(target);
    }
  } catch (err) {
    // Without force every placed file is new: take them back, so that nothing is left half-done.
    if (!force) for (const target of placed) fs.rmSync(target, { force: true });
    const reason = err instanceof Error ? err.message : String(err);
    throw new ImportError(
      err instanceof ImportError
        ? messages.importOutputExists(existing(files))
        : messages.importFailed(`Could not write the generated code: ${reason}.`),
    );
  } finally {
    for (const { temp } of staged) fs.rmSync(temp, { force: true });
  }
}
