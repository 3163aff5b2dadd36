/**
 * The names preclinical-import gives webhooks: construct ids and resource names from agent names, `org` for
 * the organization-level webhook, unique, identifiers, short enough for one line, and independent of the
 * order the API lists webhooks in.
 */
import { MAX_NAME_LENGTH, assignNames, nameWords, type NameSource } from "../../src/importer/naming";

const agent = (n: number, prefix = "6ba7b8") => `${prefix}${String(n).padStart(2, "0")}-9dad-11d1-80b4-00c04fd430c8`;
const ORG: NameSource = { agentId: null, webhookId: "b0349a78-0313-479e-babb-a502f3d3722a" };
const named = (name: string | undefined, n: number, prefix?: string): NameSource => ({
  agentId: agent(n, prefix),
  webhookId: `0000000${n}-0000-4000-8000-000000000000`,
  ...(name !== undefined && { agentName: name }),
});

/** The names of one agent named `name`, alone with the organization-level webhook. */
const alone = (name: string | undefined) => assignNames([ORG, named(name, 10)])[1];

describe("names of imported webhooks", () => {
  test.each([
    ["Triage bot", "triageBot", "triage_bot"],
    ["  Triage   BOT!! ", "triageBot", "triage_bot"],
    ["HTTPServer v2", "httpServerV2", "http_server_v2"],
    ["Café Crème", "cafeCreme", "cafe_creme"],
    ["Straße Øresund", "strasseOresund", "strasse_oresund"],
    ["ＦＵＬＬ width", "fullWidth", "full_width"],
    ["123 Support", "agent123Support", "agent_123_support"],
    ["gpt4o-mini", "gpt4oMini", "gpt4o_mini"],
    ["__proto__", "proto", "proto"],
    ["*/ evil\n// name ${x}", "evilNameX", "evil_name_x"],
  ])("an agent named %j is %s in TypeScript and %s in HCL", (name, constructId, resourceName) => {
    expect(alone(name)).toEqual({ constructId, resourceName });
  });

  test.each([
    ["only emoji", "🤖"],
    ["another script", "日本語エージェント"],
    ["empty", ""],
    ["only punctuation", "--- !!! ---"],
    ["unknown (the agent could not be read)", undefined],
  ])("a name that is %s is made from the agent's id", (_, name) => {
    expect(alone(name)).toEqual({ constructId: "agent6ba7b810", resourceName: "agent_6ba7b810" });
  });

  test.each([
    ["Org", "org6ba7b810", "org_6ba7b810"],
    ["ORG", "org6ba7b810", "org_6ba7b810"],
    ["agent", "agent6ba7b810", "agent_6ba7b810"],
    ["constructor", "constructor6ba7b810", "constructor_6ba7b810"],
    ["to string", "toString6ba7b810", "to_string_6ba7b810"],
    ["has own property", "hasOwnProperty6ba7b810", "has_own_property_6ba7b810"],
  ])("an agent named %j, a reserved name, takes its id's first digits: %s, %s", (name, constructId, resourceName) => {
    const [org, hook] = assignNames([ORG, named(name, 10)]);
    expect(org).toEqual({ constructId: "org", resourceName: "org" });
    expect(hook).toEqual({ constructId, resourceName });
  });

  test("two agents with one name both take their id's first digits, whichever the API lists first", () => {
    const a = named("Triage bot", 10);
    const b = named("Triage bot", 11);

    const forward = assignNames([a, b]);
    const backward = assignNames([b, a]).reverse();

    expect(forward).toEqual([
      { constructId: "triageBot6ba7b810", resourceName: "triage_bot_6ba7b810" },
      { constructId: "triageBot6ba7b811", resourceName: "triage_bot_6ba7b811" },
    ]);
    expect(backward).toEqual(forward);
  });

  test("names that differ only in case or punctuation clash too", () => {
    const names = assignNames([named("Triage Bot", 10), named("triage-bot", 11), named("TriageBot", 12)]);

    expect(names.map((n) => n.constructId)).toEqual(["triageBot6ba7b810", "triageBot6ba7b811", "triageBot6ba7b812"]);
  });

  test("ids whose first digits are the same take more of them until the names differ", () => {
    const shared = (n: number): NameSource => ({
      agentId: `abcdef01-00${n}-4000-8000-000000000000`,
      agentName: "Triage bot",
      webhookId: agent(n),
    });
    const names = assignNames([shared(10), shared(11)]);

    expect(names.map((n) => n.constructId)).toEqual(["triageBotabcdef010010", "triageBotabcdef010011"]);
  });

  test("a name that equals another's suffixed form still gets a name of its own", () => {
    const names = assignNames([named("Triage bot", 10), named("Triage bot", 11), named("Triage bot 6ba7b810", 12)]);

    expect(new Set(names.map((n) => n.constructId.toLowerCase())).size).toBe(3);
    expect(new Set(names.map((n) => n.resourceName)).size).toBe(3);
  });

  test("a webhook's names do not change when another agent joins the organization", () => {
    const before = assignNames([ORG, named("Triage bot", 10), named("Billing", 11)]);
    const after = assignNames([named("Refunds", 12), ORG, named("Triage bot", 10), named("Billing", 11)]);

    expect(after.slice(1)).toEqual(before);
  });

  test("long names are cut to MAX_NAME_LENGTH, and two that share their start still differ", () => {
    const long = "A very long agent name that goes on and on well past any sensible identifier length";
    const names = assignNames([named(long, 10), named(`${long} too`, 11)]);

    for (const n of names) {
      expect(n.constructId.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
      expect(n.resourceName.length).toBeLessThanOrEqual(MAX_NAME_LENGTH);
    }
    expect(names[0].constructId).not.toBe(names[1].constructId);
    expect(names[0].resourceName).not.toBe(names[1].resourceName);
  });

  test("every name is an identifier: camelCase for TypeScript, snake_case for HCL", () => {
    const hostile = ["", "🤖", "1", "_", "$", "a\u2028b", "\u202eevil", "Ω", "x".repeat(200), "A_B-C.D", "9lives"];
    const names = assignNames([ORG, ...hostile.map((name, i) => named(name, i))]);

    for (const n of names) {
      expect(n.constructId).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(n.resourceName).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
    }
    expect(new Set(names.map((n) => n.constructId.toLowerCase())).size).toBe(names.length);
    expect(new Set(names.map((n) => n.resourceName)).size).toBe(names.length);
  });

  test("nameWords splits camelCase and acronyms and drops accents", () => {
    expect(nameWords("myHTTPTriageBot2Go")).toEqual(["my", "http", "triage", "bot2", "go"]);
    expect(nameWords("Ærø Œuvre")).toEqual(["aero", "oeuvre"]);
  });
});
