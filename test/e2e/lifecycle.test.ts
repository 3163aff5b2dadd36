/**
 * The full lifecycle of PreclinicalWebhook with real cdktf synthesis and the real terraform binary, against
 * the emulator on a random loopback port. Every point counts the API requests it causes.
 */
import { TerraformVariable, type TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook, type PreclinicalWebhookProps } from "../../src";
import { PreclinicalEmulator } from "../../src/emulator";
import { AGENT_A, AGENT_B, UNKNOWN_AGENT } from "../support/agents";
import { applySummary, type Program } from "../support/terraform";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../support/e2e";
import { apiRequests, byAgent, emulator, useSharedEmulator } from "../support/emulator";
import { SECRET, SECRET_2 } from "../support/inputs";

type Decl = { id: string } & Omit<PreclinicalWebhookProps, "connection" | "secret"> & { withSecret?: boolean };

/** A program that declares the given webhooks, with the secret from a sensitive variable. */
function program(...decls: Decl[]): Program {
  return (stack: TerraformStack) => {
    const connection = new PreclinicalConnection(stack, "preclinical", {
      engine: PreclinicalEngine.PROVISIONERS,
      apiUrl: emulator.url,
      requestTimeoutMs: 2000,
      deadlineMs: 20000,
    });
    const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
    for (const { id, withSecret, ...props } of decls) {
      new PreclinicalWebhook(stack, id, {
        ...props,
        connection,
        ...(withSecret ? { secret: secret.stringValue } : {}),
      });
    }
  };
}

const hooks = () => emulator.webhooks();

useSharedEmulator({ agents: [{ id: AGENT_A }, { id: AGENT_B }] });
useCdktfWorkspace(SECRET);

describeWithTerraform("PreclinicalWebhook lifecycle (real terraform against the emulator)", () => {
  const org: Decl = { id: "org", url: "https://hooks.example.com/org", description: "All agents", withSecret: true };
  const triage: Decl = { id: "triage", url: "https://hooks.example.com/triage", agentId: AGENT_A, isEnabled: true };

  test("1+2. a deploy creates exactly the declared webhooks; a second deploy makes no request and runs nothing", async () => {
    const first = await cdktfWs.deploy(program(org, triage));
    expect(first.code).toBe(0);
    expect(hooks()).toHaveLength(2);
    expect(byAgent(null)).toMatchObject({ url: org.url, description: "All agents", is_enabled: true, secret: SECRET });
    expect(byAgent(AGENT_A)).toMatchObject({ url: triage.url, description: null, is_enabled: true, secret: null });
    expect(apiRequests("POST")).toHaveLength(2);
    expect(apiRequests("PUT")).toHaveLength(0);

    emulator.clearRequests();
    const second = await cdktfWs.deploy(program(org, triage));
    expect(second.code).toBe(0);
    expect(applySummary(second)).toBe("no changes");
    expect(second.output).not.toMatch(/Provisioning with 'local-exec'/);
    expect(apiRequests()).toHaveLength(0);
  });

  test("3. changing url, description, isEnabled or the secret updates the same webhook in place", async () => {
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    const orgId = byAgent(null)!.id;
    const triageId = byAgent(AGENT_A)!.id;

    const steps: Array<[string, Decl[], Record<string, string>, () => void]> = [
      [
        "url",
        [{ ...org, url: "https://hooks.example.com/org-v2" }, triage],
        {},
        () => expect(byAgent(null)!.url).toBe("https://hooks.example.com/org-v2"),
      ],
      [
        "description",
        [{ ...org, url: "https://hooks.example.com/org-v2", description: "Renamed" }, triage],
        {},
        () => expect(byAgent(null)!.description).toBe("Renamed"),
      ],
      [
        "isEnabled",
        [
          { ...org, url: "https://hooks.example.com/org-v2", description: "Renamed" },
          { ...triage, isEnabled: false },
        ],
        {},
        () => expect(byAgent(AGENT_A)!.is_enabled).toBe(false),
      ],
      [
        "secret",
        [
          { ...org, url: "https://hooks.example.com/org-v2", description: "Renamed" },
          { ...triage, isEnabled: false },
        ],
        { TF_VAR_webhook_secret: SECRET_2 },
        () => expect(byAgent(null)!.secret).toBe(SECRET_2),
      ],
    ];
    for (const [field, decls, env, check] of steps) {
      emulator.clearRequests();
      const result = await cdktfWs.deploy(program(...decls), env);
      expect({ field, code: result.code }).toEqual({ field, code: 0 });
      check();
      expect({
        field,
        puts: apiRequests("PUT").length,
        posts: apiRequests("POST").length,
        deletes: apiRequests("DELETE").length,
      }).toEqual({
        field,
        puts: 1,
        posts: 0,
        deletes: 0,
      });
      expect(
        hooks()
          .map((w) => w.id)
          .sort(),
      ).toEqual([orgId, triageId].sort());
    }
  });

  test("4. changing agentId deletes the old scope's webhook and creates one in the new scope", async () => {
    expect((await cdktfWs.deploy(program(triage))).code).toBe(0);
    const oldId = byAgent(AGENT_A)!.id;
    emulator.clearRequests();

    const result = await cdktfWs.deploy(program({ ...triage, agentId: AGENT_B }));
    expect(result.code).toBe(0);
    expect(byAgent(AGENT_A)).toBeUndefined();
    expect(byAgent(AGENT_B)).toMatchObject({ url: triage.url });
    expect(byAgent(AGENT_B)!.id).not.toBe(oldId);
    expect(apiRequests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${oldId}`]);
    expect(apiRequests("POST")).toHaveLength(1);
  });

  test("5. destroy deletes every webhook of the stack, and leaves others alone", async () => {
    const foreign = emulator.seedWebhook("default", { url: "https://ui.example.com/other", agent_id: AGENT_B });
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    const result = await cdktfWs.destroy(program(org, triage));
    expect(result.code).toBe(0);
    expect(hooks().map((w) => w.id)).toEqual([foreign.id]);
  });

  test("6. removing a webhook from the program deletes it; the others are untouched", async () => {
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    const orgBefore = byAgent(null)!;
    emulator.clearRequests();

    const result = await cdktfWs.deploy(program(org));
    expect(result.code).toBe(0);
    expect(hooks()).toEqual([orgBefore]);
    expect(apiRequests("DELETE")).toHaveLength(1);
    expect(apiRequests("PUT")).toHaveLength(0);

    emulator.clearRequests();
    const again = await cdktfWs.deploy(program(org));
    expect(applySummary(again)).toBe("no changes");
    expect(apiRequests()).toHaveLength(0);
  });

  test("6b. removing the last webhooks deletes them too, as long as the stack keeps its PreclinicalConnection", async () => {
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    const result = await cdktfWs.deploy(program()); // the connection alone
    expect(result.code).toBe(0);
    expect(hooks()).toHaveLength(0);
    expect(apiRequests("DELETE")).toHaveLength(2);
  });

  test("7. an existing webhook the stack did not create fails the deploy, unless adoptExisting takes it over", async () => {
    const made = emulator.seedWebhook("default", { url: "https://ui.example.com/by-hand", description: "from the UI" });

    const refused = await cdktfWs.deploy(program(org));
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`The organization-level scope already holds webhook ${made.id}`);
    expect(refused.output).toContain("adoptExisting: true");
    expect(hooks()).toEqual([made]);

    const adopted = await cdktfWs.deploy(program({ ...org, adoptExisting: true }));
    expect(adopted.code).toBe(0);
    expect(hooks()).toHaveLength(1);
    expect(byAgent(null)).toMatchObject({ id: made.id, url: org.url, description: "All agents", secret: SECRET });
  });

  test("8. a failed API call fails the apply with the client's message; the next deploy converges without duplicates", async () => {
    emulator.injectFault({ method: "POST", path: "/webhooks", times: 50, fault: { kind: "status", status: 503 } });
    const failed = await cdktfWs.deploy(program(org, triage));
    expect(failed.code).not.toBe(0);
    expect(failed.output).toMatch(/POST \/webhooks failed: 503/);
    expect(failed.output).toMatch(/run terraform apply again/);
    expect(hooks()).toHaveLength(0);

    emulator.clearFaults();
    const next = await cdktfWs.deploy(program(org, triage));
    expect(next.code).toBe(0);
    expect(hooks()).toHaveLength(2);
  });

  test("8b. a create applied by the API whose answers were all lost is taken up by the next deploy, not duplicated", async () => {
    // The first POST is applied, and it and every retry are answered 500: the client gives up.
    emulator.injectFault({
      method: "POST",
      path: "/webhooks",
      times: 50,
      fault: { kind: "applyThenFail", status: 500 },
    });
    const failed = await cdktfWs.deploy(program(triage));
    expect(failed.code).not.toBe(0);
    expect(hooks()).toHaveLength(1);
    const id = hooks()[0].id;

    emulator.clearFaults();
    const next = await cdktfWs.deploy(program(triage));
    expect(next.code).toBe(0);
    expect(hooks().map((w) => w.id)).toEqual([id]);
  });

  test("renaming a construct keeps its webhook: the ledger keeps a scope still declared, adoptExisting takes it over", async () => {
    expect((await cdktfWs.deploy(program(triage))).code).toBe(0);
    const id = byAgent(AGENT_A)!.id;

    const renamed = await cdktfWs.deploy(program({ ...triage, id: "triage-renamed", adoptExisting: true }));
    expect(renamed.code).toBe(0);
    expect(hooks().map((w) => w.id)).toEqual([id]);
    expect(apiRequests("DELETE")).toHaveLength(0);
  });

  test("with two organizations in one stack, each connection uses its own key variable", async () => {
    const orgs = await PreclinicalEmulator.start({ organizations: { sk_test_org_a: "a", sk_test_org_b: "b" } });
    try {
      const twoOrgs: Program = (stack) => {
        const a = new PreclinicalConnection(stack, "a", {
          engine: PreclinicalEngine.PROVISIONERS,
          apiUrl: orgs.url,
          apiKeyEnvVar: "ORG_A_KEY",
        });
        const b = new PreclinicalConnection(stack, "b", {
          engine: PreclinicalEngine.PROVISIONERS,
          apiUrl: orgs.url,
          apiKeyEnvVar: "ORG_B_KEY",
        });
        new PreclinicalWebhook(stack, "org-a", { url: "https://hooks.example.com/a", connection: a });
        new PreclinicalWebhook(stack, "org-b", { url: "https://hooks.example.com/b", connection: b });
      };
      const env = { ORG_A_KEY: "sk_test_org_a", ORG_B_KEY: "sk_test_org_b" };
      expect((await cdktfWs.deploy(twoOrgs, env)).code).toBe(0);
      expect(orgs.webhooks("a").map((w) => w.url)).toEqual(["https://hooks.example.com/a"]);
      expect(orgs.webhooks("b").map((w) => w.url)).toEqual(["https://hooks.example.com/b"]);

      expect((await cdktfWs.destroy(twoOrgs, env)).code).toBe(0);
      expect(orgs.webhooks()).toHaveLength(0);
    } finally {
      await orgs.close();
    }
  });

  test("an unknown agent fails the apply with a message that names the agent and the construct", async () => {
    const result = await cdktfWs.deploy(program({ ...triage, agentId: UNKNOWN_AGENT }));
    expect(result.code).not.toBe(0);
    expect(result.output).toContain(`Agent ${UNKNOWN_AGENT} (\`agentId\` of webhooks/triage) does not exist`);
    expect(hooks()).toHaveLength(0);
  });

  test("a missing API key fails the apply with the variable's name and no request", async () => {
    const result = await cdktfWs.deploy(program(triage), { PRECLINICAL_API_KEY: "" });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("The environment variable PRECLINICAL_API_KEY is not set");
    expect(apiRequests()).toHaveLength(0);
  });
});
