/**
 * The creates the plan of this `terraform apply` has checked. Terraform plans every create twice in one apply:
 * in the plan's provider process, whose checks (the agent exists, the scope is free) make the plan fail before
 * anything is written, and again in the apply's own process just before ApplyResourceChange. The plan's
 * process records the scopes whose checks passed; the apply's process of the same command trusts the record
 * and goes straight to the POST, whose answer enforces both rules again (ALREADY_EXISTS, AGENT_NOT_FOUND, told
 * with the plan's messages), so a UI change between plan and apply still fails the create and writes nothing.
 * That saves the apply its own reads of the agents and webhook lists. A saved plan applied later is another
 * command: its apply checks again.
 *
 * The command is Terraform's process (the provider's parent) and its start time, read from /proc; where there
 * is no /proc nothing is recorded and every plan checks. The record sits in the user's cache folder, one file
 * per working folder and organization, and holds agent ids only: no URL, no key, no secret.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { isPrivateDir, userCacheDir, writePrivateFile } from "../user-cache";

/** A scope as the record names it: the organization's, or an agent's id in lower case. */
const scopeKey = (agentId: string | null) => (agentId === null ? "organization" : agentId.toLowerCase());

export interface CheckedCreates {
  /** Whether this command's plan checked a create in this scope. */
  has(agentId: string | null): boolean;
  /** A create in this scope passed its checks: recorded when the process exits. */
  add(agentId: string | null): void;
}

/** The record itself; `save` writes what was added (at exit, unless called before). */
export interface CheckedCreatesRecord extends CheckedCreates {
  save(): void;
}

interface StoredRecord {
  readonly command: string;
  readonly scopes: readonly string[];
}

/** The record of the creates checked in `apiUrl`'s organization with this key, by the command that runs us. */
export function checkedCreates(
  apiUrl: string,
  apiKey: string,
  env: NodeJS.ProcessEnv = process.env,
  /** null: none to name, so nothing is recorded. */
  command: string | null = terraformCommand(),
): CheckedCreatesRecord {
  const dir = userCacheDir(env);
  if (!command || !dir) return { has: () => false, add: () => undefined, save: () => undefined };
  const key = crypto.createHash("sha256").update(apiKey).digest("hex");
  const id = crypto.createHash("sha256").update(`${process.cwd()}\0${apiUrl}\0${key}`).digest("hex").slice(0, 32);
  const file = path.join(dir, `checked-creates-${id}.json`);

  let recorded: Set<string> | undefined;
  const added = new Set<string>();
  const load = (): Set<string> => {
    if (recorded) return recorded;
    recorded = new Set();
    try {
      if (isPrivateDir(dir)) {
        const record = JSON.parse(fs.readFileSync(file, "utf8")) as StoredRecord;
        if (record.command === command && Array.isArray(record.scopes)) recorded = new Set(record.scopes);
      }
    } catch {
      // No record (the first plan of a working folder), or an unreadable one: check again.
    }
    return recorded;
  };
  const save = () => {
    try {
      const scopes = [...new Set([...load(), ...added])];
      writePrivateFile(file, JSON.stringify({ command, scopes } satisfies StoredRecord));
    } catch {
      // A read-only home: the apply checks again, as without a record.
    }
  };
  return {
    has: (agentId) => load().has(scopeKey(agentId)),
    add: (agentId) => {
      if (added.size === 0) process.once("exit", save);
      added.add(scopeKey(agentId));
    },
    save: () => {
      process.off("exit", save);
      if (added.size > 0) save();
    },
  };
}

/** Terraform's process, the provider's parent, as "<pid>:<start time>" (a pid alone may be reused). */
export function terraformCommand(): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${process.ppid}/stat`, "utf8");
    // The fields after the process name (which may hold spaces, so it ends at the last ")"); starttime is 22nd.
    const startTime = stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
    return startTime ? `${process.ppid}:${startTime}` : null;
  } catch {
    return null;
  }
}
