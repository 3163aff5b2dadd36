/**
 * The resources one PreclinicalWebhook synthesizes on the provisioner engine: the scope resource that claims
 * and deletes the scope, the config resource that converges the webhook, the stack's ledger, and what
 * adoptExisting changes. Synthesis only, no Terraform.
 */
import { DataResource, TerraformVariable, Testing, type TerraformStack } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import { PreclinicalWebhook } from "../../src";
import { AGENT_A } from "../support/agents";
import { onProvisioners } from "../support/engines";
import { HOOK_URL, SECRET } from "../support/inputs";
import { block, fingerprint, ledgers, localExec, newStack, oneWebhook, provisioners, synth } from "../support/synth";

Testing.setupJest();

describe("the scope resource", () => {
  test("an organization-level webhook's scope is keyed by API URL, key variable and an empty agent id", () => {
    // Given / When: a webhook without agentId
    const synthesized = Testing.synthScope((stack) => {
      onProvisioners(stack as TerraformStack);
      new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL });
    });

    // Then: its scope resource is keyed by nothing but the scope
    expect(synthesized).toHaveResourceWithProperties(DataResource, {
      triggers_replace: { api_url: DEFAULT_API_URL, api_key_env: "PRECLINICAL_API_KEY", agent_id: "" },
    });
  });

  test("its create provisioner claims the scope with the program's values", () => {
    const { hook, json } = oneWebhook({ agentId: AGENT_A });
    const scope = block(json, hook.scopeResource);

    expect(scope.triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "PRECLINICAL_API_KEY",
      agent_id: AGENT_A,
    });
    const claim = localExec(scope, "claim");
    expect(claim.when).toBe("create");
    expect(claim.environment).toMatchObject({
      PRECLINICAL_API_URL: DEFAULT_API_URL,
      PRECLINICAL_API_KEY_ENV: "PRECLINICAL_API_KEY",
      PRECLINICAL_AGENT_ID: AGENT_A,
      PRECLINICAL_CONSTRUCT_PATH: "stack/Hook",
      PRECLINICAL_ADOPT_EXISTING: "false",
    });
  });

  test("its destroy provisioner deletes the scope read from the resource's own state", () => {
    const { hook, json } = oneWebhook({ agentId: AGENT_A });
    const scope = block(json, hook.scopeResource);

    // A destroy provisioner may read only `self`: the scope must come from the old triggers.
    expect(provisioners(scope)).toHaveLength(2);
    const del = localExec(scope, "delete");
    expect(del.when).toBe("destroy");
    expect(del.environment).toMatchObject({
      PRECLINICAL_API_URL: '${self.triggers_replace["api_url"]}',
      PRECLINICAL_API_KEY_ENV: '${self.triggers_replace["api_key_env"]}',
      PRECLINICAL_AGENT_ID: '${self.triggers_replace["agent_id"]}',
      PRECLINICAL_CONSTRUCT_PATH: "stack/Hook",
    });
  });
});

describe("the config resource", () => {
  test("is keyed by every declared field, depends on the scope resource and converges at create time", () => {
    // Given: a webhook that declares every field
    const { hook, json } = oneWebhook({
      agentId: AGENT_A,
      description: "Nightly runs",
      isEnabled: false,
      secret: SECRET,
    });

    // When
    const config = block(json, hook.configResource);

    // Then
    expect(config.triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "PRECLINICAL_API_KEY",
      agent_id: AGENT_A,
      url: HOOK_URL,
      description: "Nightly runs",
      is_enabled: "false",
      secret_fingerprint: fingerprint("stack/Hook", SECRET),
    });
    expect(config.depends_on).toEqual([`terraform_data.${hook.scopeResource.friendlyUniqueId}`]);
    expect(provisioners(config)).toHaveLength(1);
    const converge = localExec(config, "converge");
    expect(converge.when).toBe("create");
    expect(converge.environment).toMatchObject({
      PRECLINICAL_API_URL: DEFAULT_API_URL,
      PRECLINICAL_API_KEY_ENV: "PRECLINICAL_API_KEY",
      PRECLINICAL_AGENT_ID: AGENT_A,
      PRECLINICAL_CONSTRUCT_PATH: "stack/Hook",
      PRECLINICAL_WEBHOOK_URL: HOOK_URL,
      PRECLINICAL_WEBHOOK_DESCRIPTION: "Nightly runs",
      PRECLINICAL_WEBHOOK_IS_ENABLED: "false",
      PRECLINICAL_WEBHOOK_SECRET: SECRET,
    });
  });

  test("leaves out description and secret_fingerprint when neither is declared", () => {
    const { hook, json } = oneWebhook();
    const config = block(json, hook.configResource);

    expect(Object.keys(config.triggers_replace).sort()).toEqual([
      "agent_id",
      "api_key_env",
      "api_url",
      "is_enabled",
      "url",
    ]);
    // No description means "send null", which the CLI reads from the variable's absence.
    expect(localExec(config, "converge").environment).not.toHaveProperty("PRECLINICAL_WEBHOOK_DESCRIPTION");
    expect(localExec(config, "converge").environment).not.toHaveProperty("PRECLINICAL_WEBHOOK_SECRET");
  });

  test("an empty description is declared, not absent", () => {
    const { hook, json } = oneWebhook({ description: "" });
    const config = block(json, hook.configResource);

    expect(config.triggers_replace.description).toBe("");
    expect(localExec(config, "converge").environment.PRECLINICAL_WEBHOOK_DESCRIPTION).toBe("");
  });

  test("isEnabled from a variable reaches the trigger and the environment as a string", () => {
    const stack = newStack();
    const enabled = new TerraformVariable(stack, "enabled", { type: "bool" });
    const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, isEnabled: enabled.booleanValue });
    const config = block(synth(stack), hook.configResource);

    expect(config.triggers_replace.is_enabled).toBe("${tostring(var.enabled)}");
    expect(localExec(config, "converge").environment.PRECLINICAL_WEBHOOK_IS_ENABLED).toBe("${tostring(var.enabled)}");
  });
});

describe("the ledger", () => {
  test("is one per stack, maps each construct path to its scope and reconciles old against current on destroy", () => {
    // Given: two webhooks in one stack
    const stack = newStack();
    new PreclinicalWebhook(stack, "Org", { url: HOOK_URL });
    new PreclinicalWebhook(stack, "Agent", { url: HOOK_URL, agentId: AGENT_A });

    // When
    const found = ledgers(synth(stack));

    // Then: one ledger, keyed by construct path
    expect(found).toHaveLength(1);
    const [ledger] = found;
    expect(ledger.triggers_replace).toEqual({
      "stack/Agent": JSON.stringify({ apiUrl: DEFAULT_API_URL, apiKeyEnv: "PRECLINICAL_API_KEY", agentId: AGENT_A }),
      "stack/Org": JSON.stringify({ apiUrl: DEFAULT_API_URL, apiKeyEnv: "PRECLINICAL_API_KEY", agentId: null }),
    });
    expect(provisioners(ledger)).toHaveLength(1);
    const reconcile = localExec(ledger, "reconcile");
    expect(reconcile.when).toBe("destroy");
    expect(reconcile.environment.PRECLINICAL_LEDGER_PREVIOUS).toBe("${jsonencode(self.triggers_replace)}");
    // The current map is literal text (a destroy provisioner cannot read the configuration otherwise).
    expect(reconcile.environment.PRECLINICAL_LEDGER_CURRENT).not.toContain("${");
    expect(JSON.parse(reconcile.environment.PRECLINICAL_LEDGER_CURRENT)).toEqual(ledger.triggers_replace);
  });

  test("an agent id known only at plan time is a reference in the triggers and masked in the literal text", () => {
    const stack = newStack();
    const agent = new TerraformVariable(stack, "agent_id", { type: "string" });
    new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, agentId: agent.stringValue });

    const [ledger] = ledgers(synth(stack));

    expect(JSON.parse(ledger.triggers_replace["stack/Hook"]).agentId).toBe("${var.agent_id}");
    const current = JSON.parse(localExec(ledger, "reconcile").environment.PRECLINICAL_LEDGER_CURRENT);
    expect(JSON.parse(current["stack/Hook"]).agentId).toBe("(known at plan time)");
  });

  test("each stack of an App has its own ledger naming only its own webhooks", () => {
    const app = Testing.app();
    const a = newStack(app, "a");
    const b = newStack(app, "b");
    new PreclinicalWebhook(a, "Hook", { url: HOOK_URL });
    new PreclinicalWebhook(b, "Hook", { url: HOOK_URL, apiKeyEnvVar: "OTHER_KEY" });

    expect(Object.keys(ledgers(synth(a))[0].triggers_replace)).toEqual(["a/Hook"]);
    expect(Object.keys(ledgers(synth(b))[0].triggers_replace)).toEqual(["b/Hook"]);
  });
});

describe("adoptExisting", () => {
  test("true reaches the claim environment and changes no trigger", () => {
    // Given: the same webhook with and without adoptExisting
    const plain = oneWebhook({ agentId: AGENT_A });
    const adopting = oneWebhook({ agentId: AGENT_A, adoptExisting: true });

    // Then: only the claim environment differs
    expect(
      localExec(block(adopting.json, adopting.hook.scopeResource), "claim").environment.PRECLINICAL_ADOPT_EXISTING,
    ).toBe("true");
    expect(localExec(block(plain.json, plain.hook.scopeResource), "claim").environment.PRECLINICAL_ADOPT_EXISTING).toBe(
      "false",
    );
    for (const resource of ["scopeResource", "configResource"] as const) {
      expect(block(adopting.json, adopting.hook[resource]).triggers_replace).toEqual(
        block(plain.json, plain.hook[resource]).triggers_replace,
      );
    }
    expect(ledgers(adopting.json)[0].triggers_replace).toEqual(ledgers(plain.json)[0].triggers_replace);
  });
});
