/**
 * `delete`, the scope resource's destroy provisioner: it deletes the webhook of its own scope and never
 * another's. The CLI runs in-process against the emulator.
 */
import { Env } from "../../src/provisioner/protocol";
import { AGENT_A, AGENT_B } from "../support/agents";
import { CONSTRUCT_PATH, env, run } from "../support/provisioner";
import { apiRequests, emulator, useSharedEmulator } from "../support/emulator";

useSharedEmulator();

describe("delete", () => {
  test("deletes the scope's webhook and never another scope's", async () => {
    // Given webhooks for agent A, agent B and the organization
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const b = emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    // When deleting agent A's scope
    const result = await run(["delete"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then only agent A's webhook is gone
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: deleted webhook ${a.id}`]);
    expect(apiRequests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${a.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([b.id, org.id]);
  });

  test("the organization-level scope deletes only the organization webhook", async () => {
    // Given an agent webhook listed before the organization's
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    // When deleting the organization-level scope
    const result = await run(["delete"], env({ [Env.AGENT_ID]: "" }));
    // Then
    expect(result.code).toBe(0);
    expect(apiRequests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${org.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([a.id]);
  });

  test("an empty scope exits 0, says there is nothing to delete and sends no DELETE", async () => {
    // Given only another agent's webhook
    emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    // When deleting agent A's scope
    const result = await run(["delete"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `preclinical: ${CONSTRUCT_PATH}: the scope of agent ${AGENT_A} holds no webhook; nothing to delete`,
    ]);
    expect(apiRequests("DELETE")).toHaveLength(0);
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("a DELETE answered 404 NOT_FOUND (deleted meanwhile) is success", async () => {
    // Given the webhook exists when listed, but the DELETE is answered 404
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    emulator.injectFault({
      method: "DELETE",
      fault: { kind: "status", status: 404, body: JSON.stringify({ error: "Webhook not found", code: "NOT_FOUND" }) },
    });
    // When deleting
    const result = await run(["delete"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: webhook ${a.id} was already deleted`]);
    expect(apiRequests("DELETE")).toHaveLength(1); // a 404 is not retried
  });
});
