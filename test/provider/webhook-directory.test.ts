/**
 * The webhook list one provider process shares (src/provider/webhook/directory.ts), read by id and by scope.
 * Lookups go through an index made once per list; each of the process's own writes makes a new list, so
 * these tests check that a lookup after a write answers from the written list, not from a stale index,
 * without asking the API again. A real PreclinicalClient talks to a real emulator on a random port.
 */
import { AGENT_A, AGENT_B } from "../support/agents";
import { URL_1, URL_2, useWebhookEmulator } from "../support/webhook-resource";

const env = useWebhookEmulator();
const { newSession, seed, requestLines } = env;

describe("the shared webhook list's lookups", () => {
  test("finds webhooks by id and by scope, an agent's in any spelling of its UUID, from one GET /webhooks", async () => {
    const org = seed();
    const a = seed({ agent_id: AGENT_A });
    const b = seed({ agent_id: AGENT_B });
    const { directory } = newSession();

    expect((await directory.byId(a.id))?.agent_id).toBe(AGENT_A);
    expect((await directory.holderOf(null))?.id).toBe(org.id);
    expect((await directory.holderOf(AGENT_A.toUpperCase()))?.id).toBe(a.id);
    expect((await directory.holderOf(AGENT_B))?.id).toBe(b.id);
    expect(await directory.byId("00000000-0000-4000-8000-000000000000")).toBeUndefined();
    expect(requestLines()).toEqual(["GET /webhooks"]);
  });

  test("answers by id and by scope from the list as written, after an update, a move to another scope and a delete", async () => {
    const a = seed({ agent_id: AGENT_A });
    const { directory } = newSession();
    expect((await directory.holderOf(AGENT_A))?.id).toBe(a.id); // the list and its index are made here

    const stored = (await directory.byId(a.id))!;
    directory.wrote({ ...stored, url: URL_2 });
    expect((await directory.byId(a.id))?.url).toBe(URL_2);
    expect((await directory.holderOf(AGENT_A))?.url).toBe(URL_2);

    directory.wrote({ ...stored, url: URL_1, agent_id: AGENT_B });
    expect(await directory.holderOf(AGENT_A)).toBeUndefined();
    expect((await directory.holderOf(AGENT_B))?.id).toBe(a.id);

    directory.deleted(a.id);
    expect(await directory.byId(a.id)).toBeUndefined();
    expect(await directory.holderOf(AGENT_B)).toBeUndefined();
    expect(await directory.everything()).toEqual([]);
    expect(requestLines()).toEqual(["GET /webhooks"]);
  });

  test("finds a webhook it created by id and as its scope's holder, where the scope was empty before", async () => {
    seed({ agent_id: AGENT_A });
    const { directory } = newSession();
    expect(await directory.holderOf(null)).toBeUndefined();
    const created = { ...(await directory.holderOf(AGENT_A))!, id: "11111111-1111-4111-8111-111111111111" };
    directory.wrote({ ...created, agent_id: null });
    expect((await directory.holderOf(null))?.id).toBe(created.id);
    expect((await directory.byId(created.id))?.agent_id).toBeNull();
    expect(requestLines()).toEqual(["GET /webhooks"]);
  });
});
