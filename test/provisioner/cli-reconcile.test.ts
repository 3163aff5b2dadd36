/**
 * `reconcile`, the ledger's destroy provisioner: it deletes the webhooks of constructs removed from the
 * program, keeping every scope that is still declared. The CLI runs in-process against the emulator.
 */
import { Env, PLAN_TIME_AGENT, encodeLedgerEntry, type LedgerEntry } from "../../src/provisioner/protocol";
import { AGENT_A, AGENT_B } from "../support/agents";
import { apiRequests, emulator, useSharedEmulator, withEmulator } from "../support/emulator";
import { env, run } from "../support/provisioner";

/** One ledger as the construct writes it: construct path -> encoded entry. */
function ledger(entries: Record<string, Partial<LedgerEntry>>, apiUrl: string = emulator.url): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(entries).map(([path, e]) => [
        path,
        encodeLedgerEntry({ apiUrl, apiKeyEnvVar: "PRECLINICAL_API_KEY", agentId: null, ...e }),
      ]),
    ),
  );
}

useSharedEmulator();

describe("reconcile", () => {
  test("deletes the scopes that are no longer declared, keeps those still declared under another path", async () => {
    // Given webhooks for the organization, agent A and agent B
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const b = emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    // When the previous ledger {a: org, b: A, c: B} becomes {a: org, d: B} (d declares B's id in upper case)
    const result = await run(
      ["reconcile"],
      env({
        [Env.LEDGER_PREVIOUS]: ledger({
          "stack/a": {},
          "stack/b": { agentId: AGENT_A },
          "stack/c": { agentId: AGENT_B },
        }),
        [Env.LEDGER_CURRENT]: ledger({ "stack/a": {}, "stack/d": { agentId: AGENT_B.toUpperCase() } }),
      }),
    );
    // Then only agent A's webhook is deleted: b is removed and its scope undeclared; c's scope is still d's
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `preclinical: stack/b: deleted webhook ${a.id}`,
      `preclinical: stack/c: removed, but its scope of agent ${AGENT_B} is still declared; kept`,
    ]);
    expect(apiRequests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${a.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([org.id, b.id]);
  });

  test("keeps agent scopes of removed constructs when a current construct's agent is known only at plan time", async () => {
    // Given agent A's webhook, and a current construct whose agent id was a token at synth
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    // When construct b (agent A) and the org-level construct o are removed
    const result = await run(
      ["reconcile"],
      env({
        [Env.LEDGER_PREVIOUS]: ledger({ "stack/b": { agentId: AGENT_A }, "stack/o": {} }),
        [Env.LEDGER_CURRENT]: ledger({ "stack/renamed": { agentId: PLAN_TIME_AGENT } }),
      }),
    );
    // Then agent A's webhook is kept (the token may name agent A) and the org-level one is deleted
    expect(result.code).toBe(0);
    expect(result.text).toContain(`stack/b: removed, but its scope of agent ${AGENT_A} was not deleted`);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([a.id]);
    expect(apiRequests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${org.id}`]);
  });

  /** Two removed constructs whose DELETE of agent A's webhook is always answered 500; the ledger sets no path. */
  async function reconcileWithFailingDelete() {
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const b = emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    emulator.injectFault({
      method: "DELETE",
      path: `/webhooks/${a.id}`,
      times: 100,
      fault: { kind: "status", status: 500 },
    });
    const result = await run(
      ["reconcile"],
      env({
        [Env.PATH]: undefined, // the ledger's provisioner sets no construct path (src/construct/ledger.ts)
        [Env.DEADLINE_MS]: "600", // bounds the retries of the 500s
        [Env.LEDGER_PREVIOUS]: ledger({ "stack/a": { agentId: AGENT_A }, "stack/b": { agentId: AGENT_B } }),
        [Env.LEDGER_CURRENT]: ledger({}),
      }),
    );
    return { a, b, result };
  }

  test("a delete that keeps failing does not stop the others, and exit 1 says it is still recorded", async () => {
    // Given two removed constructs, and DELETE of agent A's webhook always answered 500
    // When reconciling
    const { a, b, result } = await reconcileWithFailingDelete();
    // Then b's webhook is deleted after a's failure, and the failure is explained
    expect(result.code).toBe(1);
    expect(result.out).toEqual([`preclinical: stack/b: deleted webhook ${b.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([a.id]);
    expect(apiRequests("DELETE").filter((r) => r.path.endsWith(a.id)).length).toBeGreaterThan(1); // 500 was retried
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(`could not delete the webhook of the scope of agent ${AGENT_A}`);
    expect(result.err[0]).toContain("1 webhook(s) of removed constructs could not be deleted");
    expect(result.err[0]).toContain("still recorded");
  });

  test("a delete that keeps failing is reported with the removed construct's path", async () => {
    const { result } = await reconcileWithFailingDelete();
    expect(result.err[0]).toContain(`stack/a: could not delete the webhook of the scope of agent ${AGENT_A}`);
  });

  test("entries of different API keys use their own key (two organizations)", async () => {
    const KEY_ONE = "sk_test_OrganizationOne0123456789abcdefghijklm";
    const KEY_TWO = "sk_test_OrganizationTwo0123456789abcdefghijklm";
    await withEmulator(
      { organizations: { [KEY_ONE]: "one", [KEY_TWO]: "two" }, agents: [{ id: AGENT_A }] },
      async (other) => {
        // Given both organizations have an organization-level and an agent A webhook
        const oneOrg = other.seedWebhook("one", { url: "https://one.example.com/org" });
        other.seedWebhook("one", { url: "https://one.example.com/a", agent_id: AGENT_A });
        other.seedWebhook("two", { url: "https://two.example.com/org" });
        const twoA = other.seedWebhook("two", { url: "https://two.example.com/a", agent_id: AGENT_A });
        // When removing one's organization-level construct and two's agent A construct (each key in its own variable)
        const result = await run(
          ["reconcile"],
          env(
            {
              PRECLINICAL_API_KEY: undefined,
              KEY_ONE_VAR: KEY_ONE,
              KEY_TWO_VAR: KEY_TWO,
              [Env.LEDGER_PREVIOUS]: ledger(
                {
                  "one/org": { apiKeyEnvVar: "KEY_ONE_VAR" },
                  "two/a": { apiKeyEnvVar: "KEY_TWO_VAR", agentId: AGENT_A },
                },
                other.url,
              ),
              [Env.LEDGER_CURRENT]: ledger({}, other.url),
            },
            other.url,
          ),
        );
        // Then each delete went to its own organization
        expect(result.code).toBe(0);
        expect(other.requests().every((r) => r.status !== 401)).toBe(true);
        const deletes = other.requests().filter((r) => r.method === "DELETE");
        expect(deletes.map((r) => [r.organization, r.path])).toEqual([
          ["one", `/api/v1/webhooks/${oneOrg.id}`],
          ["two", `/api/v1/webhooks/${twoA.id}`],
        ]);
        expect(other.webhooks("one").map((w) => w.agent_id)).toEqual([AGENT_A]);
        expect(other.webhooks("two").map((w) => w.agent_id)).toEqual([null]);
        expect(result.text).not.toContain(KEY_ONE);
        expect(result.text).not.toContain(KEY_TWO);
      },
    );
  });

  test("an undecodable ledger entry exits 1 with a message, not a rejected promise", async () => {
    const previous = JSON.stringify({ "stack/old": JSON.stringify({ apiUrl: emulator.url, agentId: null }) });
    const result = await run(["reconcile"], env({ [Env.LEDGER_PREVIOUS]: previous, [Env.LEDGER_CURRENT]: "{}" }));
    expect(result.code).toBe(1);
    expect(result.err.join("\n")).toContain("stack/old");
  });
});
