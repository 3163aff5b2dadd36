/**
 * One temporary folder per jest run: globalSetup points TMPDIR at a fresh folder (every worker, terraform
 * and provider process the tests start inherit it), globalTeardown fails the run if a provider left a socket
 * folder (preclinical-plugin-*) there, and removes the folder. A provider under Terraform on Linux listens on
 * an abstract socket and makes no folder; one without TLS (a test's own client) makes one and removes it at
 * exit: a folder left behind is a start that did not clean up. A folder of its own keeps the check free of
 * other programs' runs on a shared machine. The name stays short: a socket path must fit in sun_path (104
 * bytes on macOS, whose TMPDIR is long).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const SOCKET_FOLDER = /^preclinical-plugin-/;

/** The provider socket folders in `dir`, empty or not. */
export function leftoverSocketFolders(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && SOCKET_FOLDER.test(entry.name))
    .map((entry) => path.join(dir, entry.name));
}

export async function setupRunTemp(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pcl-"));
  // As open as the temporary folder it stands for (sticky, writable by all): a test's PostgreSQL runs as
  // another user when the tests run as root, and must reach its own folder inside.
  fs.chmodSync(dir, 0o1777);
  process.env.PRECLINICAL_TEST_TMPDIR = dir;
  process.env.TMPDIR = dir;
}

export async function teardownRunTemp(): Promise<void> {
  const dir = process.env.PRECLINICAL_TEST_TMPDIR;
  if (!dir || !fs.existsSync(dir)) return;
  const left = leftoverSocketFolders(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  if (left.length > 0)
    throw new Error(
      `The test run left ${left.length} provider socket folder(s) in its temporary folder: ${left.join(", ")}. ` +
        "A provider process that made one did not remove it at exit (src/provider/protocol/server.ts, socketAddress).",
    );
}
