/**
 * Reading whole lists from pages (src/api/paging.ts, assumptions.ts 5): how many pages a list of 100, 101 and
 * 250 costs, and what happens when the pages cannot be one list (a page that repeats, a `total` that lies, an
 * empty page before the total, no end): a refusal naming the request, never a loop or a silent half list.
 */
import { MAX_PAGES, PAGE_LIMIT } from "../../src/api/assumptions";
import { readAllPages, type Page } from "../../src/api/paging";
import { AGENT_A, numberedAgents } from "../support/agents";
import { client, useApiClients, withJsonServer } from "../support/api-client";
import { apiRequests, emulator, withEmulator } from "../support/emulator";

useApiClients();

const items = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ id: `item-${from + i}` }));

/** A list of `count` items served honestly in pages, with `total` unless told otherwise; `asked` logs the reads. */
function honest(count: number, { withTotal = true } = {}) {
  const asked: [number, number][] = [];
  const read = async (limit: number, offset: number): Promise<Page<{ id: string }>> => {
    asked.push([limit, offset]);
    const page = items(Math.max(0, Math.min(limit, count - offset)), offset);
    return withTotal ? { items: page, total: count } : { items: page };
  };
  return { read, asked };
}

describe("readAllPages over an honest list", () => {
  test.each([
    [0, [[100, 0]]],
    [99, [[100, 0]]],
    [100, [[100, 0]]],
    [
      101,
      [
        [100, 0],
        [100, 100],
      ],
    ],
    [
      250,
      [
        [100, 0],
        [100, 100],
        [100, 200],
      ],
    ],
  ])("%i items with a total cost the pages %j", async (count, pages) => {
    const { read, asked } = honest(count);
    const all = await readAllPages("GET /things", read);
    expect(all.map((i) => i.id)).toEqual(items(count).map((i) => i.id));
    expect(asked).toEqual(pages);
  });

  test("without a total, a short page ends the list: 100 items cost a second, empty page; 250 cost three", async () => {
    const hundred = honest(100, { withTotal: false });
    expect(await readAllPages("GET /things", hundred.read)).toHaveLength(100);
    expect(hundred.asked).toEqual([
      [100, 0],
      [100, 100],
    ]);
    const many = honest(250, { withTotal: false });
    expect(await readAllPages("GET /things", many.read)).toHaveLength(250);
    expect(many.asked).toHaveLength(3);
  });

  test("a server that does not page sends everything at once: read as one page, with or without a total", async () => {
    for (const total of [250, undefined]) {
      let reads = 0;
      const all = await readAllPages("GET /things", async () => {
        reads++;
        return { items: items(250), total };
      });
      expect(all).toHaveLength(250);
      expect(reads).toBe(1);
    }
  });

  test("an item repeated across pages (the list shifted under an insert) is kept once, and reading goes on", async () => {
    const pages = [items(100), [...items(99, 100), { id: "item-50" }], items(5, 199)];
    let n = 0;
    const all = await readAllPages("GET /things", async () => ({ items: pages[n++], total: 204 }));
    expect(all).toHaveLength(204);
    expect(new Set(all.map((i) => i.id)).size).toBe(204);
  });

  test("asks for PAGE_LIMIT items a page, the documented maximum of 100", () => {
    expect(PAGE_LIMIT).toBe(100);
  });
});

describe("readAllPages refuses pages that cannot be one list", () => {
  const refusal = (what: string, reason: RegExp) =>
    expect.objectContaining({
      code: "API_CONTRACT_VIOLATION",
      message: expect.stringMatching(new RegExp(`^${what} answered pages that do not make one list: ${reason.source}`)),
    });

  test("a page that repeats the one before (offset ignored): refused at the second page, not looped on", async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      return { items: items(100) };
    };
    await expect(readAllPages("GET /agents", read)).rejects.toEqual(
      refusal("GET /agents", /the page at offset 100 repeats/),
    );
    expect(reads).toBe(2);
  });

  test("a total that lies high: the list ends before it (an empty page), refused naming both counts", async () => {
    const read = async (limit: number, offset: number) => ({ items: offset < 100 ? items(100) : [], total: 250 });
    await expect(readAllPages("GET /agents", read)).rejects.toEqual(
      refusal("GET /agents", /100 items before the list ended \(a page of 0 at offset 100\), but a total of 250/),
    );
  });

  test("a total that lies high: a short page before it is refused too", async () => {
    await expect(readAllPages("GET /agents", async () => ({ items: items(40), total: 41 }))).rejects.toEqual(
      refusal("GET /agents", /40 items before the list ended/),
    );
  });

  test("a total that lies low: more distinct items than it announces, refused", async () => {
    await expect(readAllPages("GET /agents", async () => ({ items: items(100), total: 50 }))).rejects.toEqual(
      refusal("GET /agents", /100 different items so far, more than the total of 50/),
    );
  });

  test("a list without end: refused after MAX_PAGES pages", async () => {
    let reads = 0;
    const read = async (limit: number, offset: number) => {
      reads++;
      return { items: items(limit, offset) };
    };
    await expect(readAllPages("GET /agents", read, 2)).rejects.toEqual(refusal("GET /agents", /more than 1000 pages/));
    expect(reads).toBe(MAX_PAGES);
  });

  test("the refusal says nothing was changed and what to do", async () => {
    const err = await readAllPages("GET /agents", async () => ({ items: [], total: 3 })).catch((e) => e);
    expect(err.message).toContain("Nothing was changed");
    expect(err.message).toContain("Run again");
  });
});

describe("the client's lists", () => {
  test.each([
    [100, 1],
    [101, 2],
    [250, 3],
  ])("listAgents reads %i agents of the emulator in %i requests of limit=100", async (count, requests) => {
    await withEmulator({ agents: numberedAgents(count) }, async (own) => {
      const agents = await client({ baseUrl: own.url }).listAgents();
      expect(agents.map((a) => a.name)).toEqual(numberedAgents(count).map((a) => a.name));
      expect(agents[0]).toMatchObject({ provider: "vapi", description: null, is_active: true });
      const queries = own.requests().map((r) => `${r.method} ${r.path}?${r.query}`);
      expect(queries).toEqual(
        Array.from({ length: requests }, (_, i) => `GET /api/v1/agents?limit=100&offset=${i * 100}`),
      );
    });
  });

  test("listAgents sends the provider filter with every page", async () => {
    await withEmulator({ agents: numberedAgents(250) }, async (own) => {
      const livekit = await client({ baseUrl: own.url }).listAgents({ provider: "livekit" });
      expect(livekit).toHaveLength(25);
      expect(livekit.every((a) => a.provider === "livekit")).toBe(true);
      expect(own.requests().map((r) => r.query)).toEqual(["provider=livekit&limit=100&offset=0"]);
    });
  });

  test("listWebhooks reads every page of a long organization-wide list, and one page for an agent", async () => {
    await withEmulator({ agents: numberedAgents(150) }, async (own) => {
      for (const [i, agent] of numberedAgents(150).entries()) {
        own.seedWebhook("default", { url: `https://hooks.example.com/${i}`, agent_id: agent.id });
      }
      const api = client({ baseUrl: own.url });
      expect(await api.listWebhooks()).toHaveLength(150);
      const one = await api.listWebhooks({ agentId: numberedAgents(150)[7].id });
      expect(one.map((w) => w.url)).toEqual(["https://hooks.example.com/7"]);
      expect(own.requests().map((r) => r.query)).toEqual([
        "limit=100&offset=0",
        "limit=100&offset=100",
        `agent_id=${numberedAgents(150)[7].id}&limit=100&offset=0`,
      ]);
    });
  });

  test("a webhook list whose total lies is refused, not read as complete: an occupied scope must not look free", async () => {
    await withJsonServer(
      () => ({ webhooks: [], total: 150 }),
      async (api) => {
        const err = await api.findScopeWebhook(null).catch((e) => e);
        expect(err.code).toBe("API_CONTRACT_VIOLATION");
        expect(err.message).toContain("GET /webhooks answered pages that do not make one list");
      },
    );
  });

  test("an agents list that ignores offset is refused after two requests", async () => {
    const page = {
      agents: numberedAgents(100).map((a) => ({ ...a, is_active: true, created_at: "t", updated_at: "t" })),
    };
    await withJsonServer(
      () => page,
      async (api, urls) => {
        const err = await api.listAgents().catch((e) => e);
        expect(err.code).toBe("API_CONTRACT_VIOLATION");
        expect(err.message).toContain("the page at offset 100 repeats items already read");
        expect(urls).toEqual(["/api/v1/agents?limit=100&offset=0", "/api/v1/agents?limit=100&offset=100"]);
      },
    );
  });

  test("the shared emulator's agents list holds the seeded agents", async () => {
    expect((await client().listAgents()).map((a) => a.id)).toContain(AGENT_A);
    expect(apiRequests()).toHaveLength(1);
    expect(emulator.agents().length).toBeGreaterThan(0);
  });
});
