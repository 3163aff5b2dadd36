/**
 * The record of the creates a command's plan checked (src/provider/webhook/checked-creates.ts): what the
 * apply's process of the same command finds, what another command finds, and what the file holds.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkedCreates, terraformCommand } from "../../src/provider/webhook/checked-creates";
import { AGENT_A, AGENT_B } from "../support/agents";
import { KEY } from "../support/emulator";

const API_URL = "https://app.preclinical.dev/api/v1";
let cache: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-checked-"));
  env = { XDG_CACHE_HOME: cache };
});
afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

describe("checked creates", () => {
  test("the apply's process of the same command finds the scopes its plan's process checked, case aside", () => {
    const plan = checkedCreates(API_URL, KEY, env, "4242:100");
    plan.add(null);
    plan.add(AGENT_A.toUpperCase());
    plan.save();

    const apply = checkedCreates(API_URL, KEY, env, "4242:100");
    expect([apply.has(null), apply.has(AGENT_A), apply.has(AGENT_B)]).toEqual([true, true, false]);
  });

  test("another command, another organization or another key finds nothing", () => {
    const plan = checkedCreates(API_URL, KEY, env, "4242:100");
    plan.add(AGENT_A);
    plan.save();
    expect(checkedCreates(API_URL, KEY, env, "4242:101").has(AGENT_A)).toBe(false);
    expect(checkedCreates("http://127.0.0.1:1/api/v1", KEY, env, "4242:100").has(AGENT_A)).toBe(false);
    expect(checkedCreates(API_URL, `${KEY}x`, env, "4242:100").has(AGENT_A)).toBe(false);
  });

  test("the file is the user's alone and holds agent ids only: no URL, no key", () => {
    const plan = checkedCreates(API_URL, KEY, env, "4242:100");
    plan.add(AGENT_A);
    plan.save();
    const dir = path.join(cache, "cdktf-preclinical-webhooks");
    const [file] = fs.readdirSync(dir);
    const text = fs.readFileSync(path.join(dir, file), "utf8");
    expect(JSON.parse(text)).toEqual({ command: "4242:100", scopes: [AGENT_A] });
    expect(text).not.toContain(KEY);
    expect(text).not.toContain("preclinical.dev");
    expect(fs.statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  });

  test("a record in a folder others may write is not trusted", () => {
    const plan = checkedCreates(API_URL, KEY, env, "4242:100");
    plan.add(AGENT_A);
    plan.save();
    fs.chmodSync(path.join(cache, "cdktf-preclinical-webhooks"), 0o777);
    expect(checkedCreates(API_URL, KEY, env, "4242:100").has(AGENT_A)).toBe(false);
  });

  test("without a command to name (no /proc) nothing is recorded and nothing is found", () => {
    const plan = checkedCreates(API_URL, KEY, env, null);
    plan.add(AGENT_A);
    plan.save();
    expect(fs.existsSync(path.join(cache, "cdktf-preclinical-webhooks"))).toBe(false);
    expect(checkedCreates(API_URL, KEY, env, null).has(AGENT_A)).toBe(false);
  });

  test("names the command by the parent process and its start time where /proc exists", () => {
    const command = terraformCommand();
    if (fs.existsSync(`/proc/${process.ppid}/stat`)) expect(command).toMatch(new RegExp(`^${process.ppid}:\\d+$`));
    else expect(command).toBeNull();
  });
});
