/**
 * The provider's data source schemas as Terraform receives them (GetProviderSchema over the real protobuf
 * types): the attributes, their flags and cty types, no reserved top-level name, and no secret anywhere.
 */
import { Logger } from "../../src/provider/protocol/logger";
import { providerHandlers } from "../../src/provider/protocol/handlers";
import { preclinicalProvider } from "../../src/provider/provider";
import { overTheWire } from "../support/fake-provider";

type Attribute = { name: string; type: Uint8Array; optional: boolean; computed: boolean; required: boolean };

async function schemas(): Promise<Record<string, Record<string, Attribute & { cty: unknown }>>> {
  const handlers = providerHandlers(preclinicalProvider(new Logger(() => undefined), {}), new Logger(() => undefined));
  const answer = overTheWire("GetProviderSchema", await handlers.GetProviderSchema({}));
  return Object.fromEntries(
    Object.entries(answer.data_source_schemas as Record<string, { block: { attributes: Attribute[] } }>).map(
      ([type, schema]) => [
        type,
        Object.fromEntries(
          schema.block.attributes.map((a) => [a.name, { ...a, cty: JSON.parse(Buffer.from(a.type).toString()) }]),
        ),
      ],
    ),
  );
}

const flags = (a: Attribute) => ({ required: a.required, optional: a.optional, computed: a.computed });

describe("data source schemas", () => {
  test("the provider serves preclinical_agent, preclinical_agents and preclinical_webhooks, and lists them", async () => {
    expect(Object.keys(await schemas()).sort()).toEqual([
      "preclinical_agent",
      "preclinical_agents",
      "preclinical_webhooks",
    ]);
    const handlers = providerHandlers(
      preclinicalProvider(new Logger(() => undefined), {}),
      new Logger(() => undefined),
    );
    const metadata = overTheWire("GetMetadata", await handlers.GetMetadata({}));
    expect(metadata.data_sources.map((d: { type_name: string }) => d.type_name).sort()).toEqual([
      "preclinical_agent",
      "preclinical_agents",
      "preclinical_webhooks",
    ]);
  });

  test("preclinical_agent takes id or name (both optional and computed) and computes the rest", async () => {
    const agent = (await schemas()).preclinical_agent;
    expect(Object.keys(agent).sort()).toEqual(["agent_provider", "description", "id", "is_active", "name"]);
    for (const name of ["id", "name"]) {
      expect(flags(agent[name])).toEqual({ required: false, optional: true, computed: true });
    }
    for (const name of ["agent_provider", "description", "is_active"]) {
      expect(flags(agent[name])).toEqual({ required: false, optional: false, computed: true });
    }
    expect(agent.is_active.cty).toBe("bool");
  });

  test("preclinical_agents: an optional agent_provider filter and a computed list of agent objects", async () => {
    const agents = (await schemas()).preclinical_agents;
    expect(flags(agents.agent_provider)).toEqual({ required: false, optional: true, computed: false });
    expect(flags(agents.agents)).toEqual({ required: false, optional: false, computed: true });
    expect(agents.agents.cty).toEqual([
      "list",
      ["object", { id: "string", name: "string", provider: "string", description: "string", is_active: "bool" }],
    ]);
  });

  test("preclinical_webhooks: an optional agent_id filter and every webhook field but the secret", async () => {
    const webhooks = (await schemas()).preclinical_webhooks;
    expect(flags(webhooks.agent_id)).toEqual({ required: false, optional: true, computed: false });
    expect(webhooks.webhooks.cty).toEqual([
      "list",
      [
        "object",
        {
          id: "string",
          url: "string",
          description: "string",
          agent_id: "string",
          is_enabled: "bool",
          last_triggered_at: "string",
          consecutive_failures: "number",
          created_at: "string",
          updated_at: "string",
        },
      ],
    ]);
  });

  test("no data source has a top-level attribute Terraform reserves, nor any secret", async () => {
    const reserved = ["provider", "count", "for_each", "depends_on", "lifecycle"];
    for (const [type, attributes] of Object.entries(await schemas())) {
      expect({ type, reserved: Object.keys(attributes).filter((a) => reserved.includes(a)) }).toEqual({
        type,
        reserved: [],
      });
      expect(JSON.stringify(Object.values(attributes).map((a) => a.cty))).not.toContain("secret");
    }
  });
});
