/**
 * What PreclinicalWebhook synthesizes: the scope, config and ledger resources, their provisioners, and the
 * checks that keep secrets, user values and machine paths where they belong. Synthesis only, no Terraform.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataResource, TerraformStack, TerraformVariable, Testing, type App, type TerraformResource } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import {
  PreclinicalConnection,
  PreclinicalEngine,
  PreclinicalWebhook,
  ProvisionerResourceType,
  type PreclinicalWebhookProps,
} from "../../src/construct";
import { messages } from "../../src/messages";
import { thrown } from "../support/thrown";
import { onProvisioners } from "../support/engines";

Testing.setupJest();

// ---------------------------------------------------------------------------------------------------------
// Fixtures and helpers
// ---------------------------------------------------------------------------------------------------------

const URL = "https://hooks.example.com/preclinical";
const AGENT = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const OTHER_AGENT = "0b7e9a3c-5f2d-4c1e-9a8b-7d6c5e4f3a2b";
const SECRET = "correct-horse-battery-staple-42";
const COMMAND = /^"\$PRECLINICAL_NODE" "\$PRECLINICAL_CLI" (claim|converge|delete|reconcile)$/;

type Json = Record<string, any>;

interface LocalExec {
  readonly command: string;
  readonly when: "create" | "destroy";
  readonly environment: Record<string, string>;
}

// test/setup.ts clears PRECLINICAL_API_URL before each test and restores it after.

/** A stack whose webhooks use the provisioner engine, which this file tests. */
function newStack(app: App = Testing.app(), id = "stack"): TerraformStack {
  return onProvisioners(bareStack(app, id));
}

/** A stack with no default connection, for tests that bring their own (provisioner) connection. */
function bareStack(app: App = Testing.app(), id = "stack"): TerraformStack {
  return new TerraformStack(app, id);
}

function synth(stack: TerraformStack, runValidations = false): Json {
  return JSON.parse(Testing.synth(stack, runValidations)) as Json;
}

/** A stack with one webhook "Hook" made from `props`. */
function oneWebhook(props: Partial<PreclinicalWebhookProps> = {}): {
  stack: TerraformStack;
  hook: PreclinicalWebhook;
  json: Json;
} {
  const stack = newStack();
  const hook = new PreclinicalWebhook(stack, "Hook", { url: URL, ...props });
  return { stack, hook, json: synth(stack) };
}

/** The synthesized block of `resource`. */
function block(json: Json, resource: TerraformResource): Json {
  const found = json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId];
  if (!found) throw new Error(`${resource.terraformResourceType}.${resource.friendlyUniqueId} is not in the stack`);
  return found as Json;
}

function provisioners(resource: Json): LocalExec[] {
  return (resource.provisioner as Json[]).map((p) => p["local-exec"] as LocalExec);
}

/** The one provisioner of `resource` that runs `command`. */
function run(resource: Json, command: string): LocalExec {
  const found = provisioners(resource).filter((p) => p.command.endsWith(` ${command}`));
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every [type, logical id, block] of the stack. */
function allResources(json: Json): [string, string, Json][] {
  return Object.entries((json.resource ?? {}) as Json).flatMap(([type, byId]) =>
    Object.entries(byId as Json).map(([id, body]) => [type, id, body as Json] as [string, string, Json]),
  );
}

/** The stack's ledger block(s): logical ids start with the ledger construct's id. */
function ledgers(json: Json): Json[] {
  return allResources(json)
    .filter(([, id]) => id.startsWith("PreclinicalLedger_"))
    .map(([, , body]) => body);
}

/** Every string in `value` with the JSON path that leads to it. */
function strings(value: unknown, at = "$"): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

function fingerprint(constructPath: string, secret: string): string {
  return crypto
    .createHash("sha256")
    .update("preclinical-webhook-secret:v1:" + constructPath + ":" + secret)
    .digest("hex")
    .slice(0, 16);
}

// ---------------------------------------------------------------------------------------------------------
// The resources of one webhook
// ---------------------------------------------------------------------------------------------------------

describe("the scope resource", () => {
  test("an organization-level webhook's scope is keyed by API URL, key variable and an empty agent id", () => {
    // Given / When: a webhook without agentId
    const synthesized = Testing.synthScope((stack) => {
      onProvisioners(stack as TerraformStack);
      new PreclinicalWebhook(stack, "Hook", { url: URL });
    });

    // Then: its scope resource is keyed by nothing but the scope
    expect(synthesized).toHaveResourceWithProperties(DataResource, {
      triggers_replace: { api_url: DEFAULT_API_URL, api_key_env: "PRECLINICAL_API_KEY", agent_id: "" },
    });
  });

  test("its create provisioner claims the scope with the program's values", () => {
    const { hook, json } = oneWebhook({ agentId: AGENT });
    const scope = block(json, hook.scopeResource);

    expect(scope.triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "PRECLINICAL_API_KEY",
      agent_id: AGENT,
    });
    const claim = run(scope, "claim");
    expect(claim.when).toBe("create");
    expect(claim.environment).toMatchObject({
      PRECLINICAL_API_URL: DEFAULT_API_URL,
      PRECLINICAL_API_KEY_ENV: "PRECLINICAL_API_KEY",
      PRECLINICAL_AGENT_ID: AGENT,
      PRECLINICAL_CONSTRUCT_PATH: "stack/Hook",
      PRECLINICAL_ADOPT_EXISTING: "false",
    });
  });

  test("its destroy provisioner deletes the scope read from the resource's own state", () => {
    const { hook, json } = oneWebhook({ agentId: AGENT });
    const scope = block(json, hook.scopeResource);

    // A destroy provisioner may read only `self`: the scope must come from the old triggers.
    expect(provisioners(scope)).toHaveLength(2);
    const del = run(scope, "delete");
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
      agentId: AGENT,
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
      agent_id: AGENT,
      url: URL,
      description: "Nightly runs",
      is_enabled: "false",
      secret_fingerprint: fingerprint("stack/Hook", SECRET),
    });
    expect(config.depends_on).toEqual([`terraform_data.${hook.scopeResource.friendlyUniqueId}`]);
    expect(provisioners(config)).toHaveLength(1);
    const converge = run(config, "converge");
    expect(converge.when).toBe("create");
    expect(converge.environment).toMatchObject({
      PRECLINICAL_API_URL: DEFAULT_API_URL,
      PRECLINICAL_API_KEY_ENV: "PRECLINICAL_API_KEY",
      PRECLINICAL_AGENT_ID: AGENT,
      PRECLINICAL_CONSTRUCT_PATH: "stack/Hook",
      PRECLINICAL_WEBHOOK_URL: URL,
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
    expect(run(config, "converge").environment).not.toHaveProperty("PRECLINICAL_WEBHOOK_DESCRIPTION");
    expect(run(config, "converge").environment).not.toHaveProperty("PRECLINICAL_WEBHOOK_SECRET");
  });

  test("an empty description is declared, not absent", () => {
    const { hook, json } = oneWebhook({ description: "" });
    const config = block(json, hook.configResource);

    expect(config.triggers_replace.description).toBe("");
    expect(run(config, "converge").environment.PRECLINICAL_WEBHOOK_DESCRIPTION).toBe("");
  });

  test("isEnabled from a variable reaches the trigger and the environment as a string", () => {
    const stack = newStack();
    const enabled = new TerraformVariable(stack, "enabled", { type: "bool" });
    const hook = new PreclinicalWebhook(stack, "Hook", { url: URL, isEnabled: enabled.booleanValue });
    const config = block(synth(stack), hook.configResource);

    expect(config.triggers_replace.is_enabled).toBe("${tostring(var.enabled)}");
    expect(run(config, "converge").environment.PRECLINICAL_WEBHOOK_IS_ENABLED).toBe("${tostring(var.enabled)}");
  });
});

describe("the ledger", () => {
  test("one per stack: triggers map each construct path to its scope, destroy reconciles old against current", () => {
    // Given: two webhooks in one stack
    const stack = newStack();
    new PreclinicalWebhook(stack, "Org", { url: URL });
    new PreclinicalWebhook(stack, "Agent", { url: URL, agentId: AGENT });

    // When
    const found = ledgers(synth(stack));

    // Then: one ledger, keyed by construct path
    expect(found).toHaveLength(1);
    const [ledger] = found;
    expect(ledger.triggers_replace).toEqual({
      "stack/Agent": JSON.stringify({ apiUrl: DEFAULT_API_URL, apiKeyEnv: "PRECLINICAL_API_KEY", agentId: AGENT }),
      "stack/Org": JSON.stringify({ apiUrl: DEFAULT_API_URL, apiKeyEnv: "PRECLINICAL_API_KEY", agentId: null }),
    });
    expect(provisioners(ledger)).toHaveLength(1);
    const reconcile = run(ledger, "reconcile");
    expect(reconcile.when).toBe("destroy");
    expect(reconcile.environment.PRECLINICAL_LEDGER_PREVIOUS).toBe("${jsonencode(self.triggers_replace)}");
    // The current map is literal text (a destroy provisioner cannot read the configuration otherwise).
    expect(reconcile.environment.PRECLINICAL_LEDGER_CURRENT).not.toContain("${");
    expect(JSON.parse(reconcile.environment.PRECLINICAL_LEDGER_CURRENT)).toEqual(ledger.triggers_replace);
  });

  test("an agent id known only at plan time is a reference in the triggers and masked in the literal text", () => {
    const stack = newStack();
    const agent = new TerraformVariable(stack, "agent_id", { type: "string" });
    new PreclinicalWebhook(stack, "Hook", { url: URL, agentId: agent.stringValue });

    const [ledger] = ledgers(synth(stack));

    expect(JSON.parse(ledger.triggers_replace["stack/Hook"]).agentId).toBe("${var.agent_id}");
    const current = JSON.parse(run(ledger, "reconcile").environment.PRECLINICAL_LEDGER_CURRENT);
    expect(JSON.parse(current["stack/Hook"]).agentId).toBe("(known at plan time)");
  });

  test("each stack of an App has its own ledger naming only its own webhooks", () => {
    const app = Testing.app();
    const a = newStack(app, "a");
    const b = newStack(app, "b");
    new PreclinicalWebhook(a, "Hook", { url: URL });
    new PreclinicalWebhook(b, "Hook", { url: URL, apiKeyEnvVar: "OTHER_KEY" });

    expect(Object.keys(ledgers(synth(a))[0].triggers_replace)).toEqual(["a/Hook"]);
    expect(Object.keys(ledgers(synth(b))[0].triggers_replace)).toEqual(["b/Hook"]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Security
// ---------------------------------------------------------------------------------------------------------

describe("security", () => {
  test("every provisioner command is fixed text; hostile values stay in the environment", () => {
    // Given: values a shell would act on, in every prop that reaches a provisioner
    const hostile = "$(touch /tmp/pwned); `reboot` && rm -rf / #";
    const stack = bareStack();
    const connection = new PreclinicalConnection(stack, "Conn", { nodeExecutable: hostile, apiKeyEnvVar: "KEY_A" });
    new PreclinicalWebhook(stack, "Hook", {
      url: "https://hooks.example.com/$(id)?q=`uname`;x=1|y",
      description: hostile,
      secret: `${hostile}-padding`,
      agentId: AGENT,
      connection,
    });

    // When
    const all = allResources(synth(stack)).flatMap(([, , body]) => provisioners(body));

    // Then: four commands, each exactly the fixed text
    expect(all.map((p) => p.command.split(" ").pop()).sort()).toEqual(["claim", "converge", "delete", "reconcile"]);
    for (const p of all) expect(p.command).toMatch(COMMAND);
    expect(all.find((p) => p.command.endsWith("converge"))!.environment.PRECLINICAL_WEBHOOK_DESCRIPTION).toBe(hostile);
    expect(all.every((p) => p.environment.PRECLINICAL_NODE === hostile)).toBe(true);
  });

  describe("a secret from a sensitive variable", () => {
    function withVariableSecret() {
      const stack = newStack();
      // No default: there is no secret value anywhere in the program to leak.
      const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
      const hook = new PreclinicalWebhook(stack, "Hook", { url: URL, secret: secret.stringValue });
      return { hook, json: synth(stack) };
    }

    test("is declared without a value and is read only by the converge environment, the fingerprint and the precondition", () => {
      const { hook, json } = withVariableSecret();

      expect(json.variable.webhook_secret).toEqual({ type: "string", sensitive: true });
      const config = block(json, hook.configResource);
      const readers = strings(json)
        .filter(([, value]) => value.includes("var.webhook_secret"))
        .map(([at]) => at);
      const configAt = `$.resource.terraform_data.${hook.configResource.friendlyUniqueId}`;
      expect(readers.sort()).toEqual(
        [
          `${configAt}.lifecycle.precondition[0].condition`,
          `${configAt}.provisioner[0].local-exec.environment.PRECLINICAL_WEBHOOK_SECRET`,
          `${configAt}.triggers_replace.secret_fingerprint`,
        ].sort(),
      );
      expect(run(config, "converge").environment.PRECLINICAL_WEBHOOK_SECRET).toBe("${var.webhook_secret}");
    });

    test("its fingerprint is a non-sensitive, salted, shortened SHA-256 computed by Terraform", () => {
      const { hook, json } = withVariableSecret();

      expect(block(json, hook.configResource).triggers_replace.secret_fingerprint).toBe(
        '${nonsensitive(substr(sha256(sensitive(join("", ["preclinical-webhook-secret:v1:stack/Hook:", var.webhook_secret]))), 0, 16))}',
      );
    });

    test("is no synth warning", () => {
      const { hook } = withVariableSecret();
      expect(hook.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
    });
  });

  describe("a literal secret", () => {
    test("is a synth warning on the webhook", () => {
      const { hook } = oneWebhook({ secret: SECRET });

      const warnings = hook.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
      expect(warnings).toEqual([messages.literalSecret()]);
    });

    test("is fingerprinted at synth time: 16 hex digits of sha256(salt + path + ':' + secret)", () => {
      const { hook, json } = oneWebhook({ secret: SECRET });

      const value = block(json, hook.configResource).triggers_replace.secret_fingerprint;
      expect(value).toMatch(/^[0-9a-f]{16}$/);
      expect(value).toBe(fingerprint("stack/Hook", SECRET));
    });

    test("the same secret in two webhooks gives two fingerprints (the path is salt)", () => {
      const stack = newStack();
      const a = new PreclinicalWebhook(stack, "A", { url: URL, secret: SECRET });
      const b = new PreclinicalWebhook(stack, "B", { url: URL, secret: SECRET, agentId: AGENT });
      const json = synth(stack);

      const fa = block(json, a.configResource).triggers_replace.secret_fingerprint;
      const fb = block(json, b.configResource).triggers_replace.secret_fingerprint;
      expect(fa).toBe(fingerprint("stack/A", SECRET));
      expect(fb).toBe(fingerprint("stack/B", SECRET));
      expect(fa).not.toBe(fb);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Portability
// ---------------------------------------------------------------------------------------------------------

describe("portability", () => {
  const machinePaths = () => [
    ...new Set(["/work/", os.tmpdir(), process.cwd(), os.homedir(), path.resolve(__dirname, "..", "..")]),
  ];

  test("the synthesized stack names no absolute path of the synth machine", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook", { url: URL, agentId: AGENT });
    const text = Testing.synth(stack);

    for (const machinePath of machinePaths()) expect(text).not.toContain(machinePath);
  });

  test("the CLI reaches every provisioner as a stack-relative asset path, never a trigger", () => {
    const { json } = oneWebhook({ description: "d", secret: SECRET });

    const all = allResources(json);
    for (const p of all.flatMap(([, , body]) => provisioners(body))) {
      expect(p.environment.PRECLINICAL_CLI).toMatch(
        /^assets\/PreclinicalProvisionerCli\/[0-9A-F]+\/preclinical-provisioner\.cjs$/,
      );
    }
    // The asset path changes with every build; in a trigger it would replace every webhook.
    for (const [, , body] of all) expect(JSON.stringify(body.triggers_replace)).not.toContain("assets/");
  });

  test("a full synth copies the CLI into the stack folder at that relative path", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook", { url: URL });
    const outdir = Testing.fullSynth(stack);
    try {
      const stackDir = path.join(outdir, "stacks", "stack");
      const text = fs.readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8");
      for (const machinePath of machinePaths()) expect(text).not.toContain(machinePath);

      const [ledger] = ledgers(JSON.parse(text) as Json);
      const cli = run(ledger, "reconcile").environment.PRECLINICAL_CLI;
      expect(fs.existsSync(path.join(stackDir, cli))).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------------------
// Template escaping
// ---------------------------------------------------------------------------------------------------------

describe("Terraform template sequences in literal values", () => {
  test("are escaped as $${ and %%{ in triggers and environment", () => {
    // Given: a url and a description that Terraform would read as an interpolation and a directive
    const { hook, json } = oneWebhook({
      url: "https://hooks.example.com/x?a=${b}&c=%{d}",
      description: "Cost ${x} %{if true}",
    });

    // When
    const config = block(json, hook.configResource);
    const env = run(config, "converge").environment;

    // Then
    expect(config.triggers_replace.url).toBe("https://hooks.example.com/x?a=$${b}&c=%%{d}");
    expect(config.triggers_replace.description).toBe("Cost $${x} %%{if true}");
    expect(env.PRECLINICAL_WEBHOOK_URL).toBe("https://hooks.example.com/x?a=$${b}&c=%%{d}");
    expect(env.PRECLINICAL_WEBHOOK_DESCRIPTION).toBe("Cost $${x} %%{if true}");
  });

  test("a literal secret is escaped in the environment, but fingerprinted as written", () => {
    const secret = "abc${def}%{ghi}-0123456789";
    const { hook, json } = oneWebhook({ secret });
    const config = block(json, hook.configResource);

    expect(run(config, "converge").environment.PRECLINICAL_WEBHOOK_SECRET).toBe("abc$${def}%%{ghi}-0123456789");
    expect(config.triggers_replace.secret_fingerprint).toBe(fingerprint("stack/Hook", secret));
  });

  test("a construct id with ${ is escaped in the construct path and the ledger", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook${x}", { url: URL });
    const json = synth(stack);

    const [ledger] = ledgers(json);
    expect(Object.keys(ledger.triggers_replace)).toEqual(["stack/Hook$${x}"]);
    expect(run(ledger, "reconcile").environment.PRECLINICAL_LEDGER_CURRENT).toContain('"stack/Hook$${x}"');
    const paths = allResources(json)
      .flatMap(([, , body]) => provisioners(body))
      .map((p) => p.environment.PRECLINICAL_CONSTRUCT_PATH)
      .filter((p) => p !== undefined);
    expect(new Set(paths)).toEqual(new Set(["stack/Hook$${x}"]));
  });

  test("an apiUrl with ${ is escaped in triggers, environment and ledger", () => {
    const { hook, json } = oneWebhook({ apiUrl: "https://api.example.com/api/v1?x=${y}" });
    const escaped = "https://api.example.com/api/v1?x=$${y}";

    expect(block(json, hook.scopeResource).triggers_replace.api_url).toBe(escaped);
    expect(run(block(json, hook.configResource), "converge").environment.PRECLINICAL_API_URL).toBe(escaped);
    expect(JSON.parse(ledgers(json)[0].triggers_replace["stack/Hook"]).apiUrl).toBe(escaped);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Defaults and connections
// ---------------------------------------------------------------------------------------------------------

describe("defaults", () => {
  test("enabled, the production API, the PRECLINICAL_API_KEY variable, no adoption, node on the PATH", () => {
    const { hook, json } = oneWebhook();
    const config = block(json, hook.configResource);

    expect(config.triggers_replace).toMatchObject({
      is_enabled: "true",
      api_url: "https://app.preclinical.dev/api/v1",
      api_key_env: "PRECLINICAL_API_KEY",
    });
    expect(run(block(json, hook.scopeResource), "claim").environment).toMatchObject({
      PRECLINICAL_ADOPT_EXISTING: "false",
      PRECLINICAL_NODE: "node",
    });
    expect(run(config, "converge").environment).not.toHaveProperty("PRECLINICAL_REQUEST_TIMEOUT_MS");
  });

  test("PRECLINICAL_API_URL at synth time overrides the default API URL (trailing slash dropped)", () => {
    // Given: the variable set for this test only (afterEach restores it)
    process.env.PRECLINICAL_API_URL = "http://localhost:4010/api/v1/";

    const { hook, json } = oneWebhook();

    expect(block(json, hook.scopeResource).triggers_replace.api_url).toBe("http://localhost:4010/api/v1");
    expect(run(block(json, hook.configResource), "converge").environment.PRECLINICAL_API_URL).toBe(
      "http://localhost:4010/api/v1",
    );
  });

  test("an empty PRECLINICAL_API_URL means the default", () => {
    process.env.PRECLINICAL_API_URL = "";
    const { hook, json } = oneWebhook();
    expect(block(json, hook.scopeResource).triggers_replace.api_url).toBe(DEFAULT_API_URL);
  });

  test("a webhook with its own apiUrl does not depend on PRECLINICAL_API_URL", () => {
    process.env.PRECLINICAL_API_URL = "not-a-url";
    // A stack on provisioners without a default connection (which would read PRECLINICAL_API_URL).
    const stack = bareStack();
    new PreclinicalConnection(stack, "Other", {
      engine: PreclinicalEngine.PROVISIONERS,
      apiUrl: "https://x.preclinical.dev/api/v1",
    });

    const hook = new PreclinicalWebhook(stack, "Hook", {
      url: URL,
      apiUrl: "https://eu.preclinical.dev/api/v1",
      apiKeyEnvVar: "EU_KEY",
    });

    expect(block(synth(stack), hook.scopeResource).triggers_replace.api_url).toBe("https://eu.preclinical.dev/api/v1");
  });

  test("an invalid PRECLINICAL_API_URL is reported as the environment variable", () => {
    process.env.PRECLINICAL_API_URL = "not-a-url";

    const error = thrown(() => new PreclinicalWebhook(newStack(), "Hook", { url: URL }));

    expect(error.message).toContain("PRECLINICAL_API_URL");
    expect(error.message).toContain('"not-a-url"');
  });
});

describe("connections", () => {
  test("apiUrl and apiKeyEnvVar on one webhook apply to it alone", () => {
    const stack = newStack();
    const custom = new PreclinicalWebhook(stack, "Custom", {
      url: URL,
      apiUrl: "https://eu.preclinical.dev/api/v1",
      apiKeyEnvVar: "EU_KEY",
    });
    const plain = new PreclinicalWebhook(stack, "Plain", { url: URL });
    const json = synth(stack);

    expect(block(json, custom.scopeResource).triggers_replace).toEqual({
      api_url: "https://eu.preclinical.dev/api/v1",
      api_key_env: "EU_KEY",
      agent_id: "",
    });
    expect(run(block(json, custom.configResource), "converge").environment).toMatchObject({
      PRECLINICAL_API_URL: "https://eu.preclinical.dev/api/v1",
      PRECLINICAL_API_KEY_ENV: "EU_KEY",
    });
    expect(block(json, plain.scopeResource).triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "PRECLINICAL_API_KEY",
      agent_id: "",
    });
  });

  test("a PreclinicalConnection is shared by the webhooks that name it", () => {
    const stack = bareStack();
    const connection = new PreclinicalConnection(stack, "Staging", {
      apiUrl: "https://staging.preclinical.dev/api/v1",
      apiKeyEnvVar: "STAGING_KEY",
      requestTimeoutMs: 5000,
      deadlineMs: 30000,
      nodeExecutable: "/opt/node20/bin/node",
    });
    const a = new PreclinicalWebhook(stack, "A", { url: URL, agentId: AGENT, connection });
    const b = new PreclinicalWebhook(stack, "B", { url: URL, agentId: OTHER_AGENT, connection });
    const json = synth(stack);

    for (const hook of [a, b]) {
      expect(block(json, hook.scopeResource).triggers_replace).toMatchObject({
        api_url: "https://staging.preclinical.dev/api/v1",
        api_key_env: "STAGING_KEY",
      });
      expect(run(block(json, hook.configResource), "converge").environment).toMatchObject({
        PRECLINICAL_API_URL: "https://staging.preclinical.dev/api/v1",
        PRECLINICAL_API_KEY_ENV: "STAGING_KEY",
        PRECLINICAL_REQUEST_TIMEOUT_MS: "5000",
        PRECLINICAL_DEADLINE_MS: "30000",
        PRECLINICAL_NODE: "/opt/node20/bin/node",
      });
    }
    // No default connection was made for webhooks that named one.
    expect(stack.node.tryFindChild(PreclinicalConnection.DEFAULT_ID)).toBeUndefined();
  });

  test.each([
    ["apiUrl", { apiUrl: "https://eu.preclinical.dev/api/v1" }],
    ["apiKeyEnvVar", { apiKeyEnvVar: "EU_KEY" }],
  ])("`connection` combined with `%s` is a clear error naming the webhook", (_prop, extra) => {
    const stack = newStack();
    const connection = new PreclinicalConnection(stack, "Conn");

    const error = thrown(() => new PreclinicalWebhook(stack, "Hook", { url: URL, connection, ...extra }));

    expect(error.message).toBe(
      "stack/Hook: `connection` cannot be combined with `apiUrl` or `apiKeyEnvVar`. Set those on the " +
        "PreclinicalConnection, or drop `connection`.",
    );
  });

  test.each(["apiUrl", "apiKeyEnvVar"])(
    "`%s` from a TerraformVariable is rejected with a message that does not show a raw token",
    (prop) => {
      const stack = newStack();
      const variable = new TerraformVariable(stack, "value", { type: "string" });

      const error = thrown(() => new PreclinicalWebhook(stack, "Hook", { url: URL, [prop]: variable.stringValue }));

      expect(error.message).toContain(`\`${prop}\``);
      expect(error.message).not.toContain("TfToken");
    },
  );

  test("two organizations (different key variables) in one stack may each have an organization-level webhook", () => {
    const stack = newStack();
    const prod = new PreclinicalConnection(stack, "Prod", {
      apiKeyEnvVar: "PROD_KEY",
      engine: PreclinicalEngine.PROVISIONERS,
    });
    const lab = new PreclinicalConnection(stack, "Lab", {
      apiKeyEnvVar: "LAB_KEY",
      engine: PreclinicalEngine.PROVISIONERS,
    });
    const a = new PreclinicalWebhook(stack, "ProdHook", { url: URL, connection: prod });
    const b = new PreclinicalWebhook(stack, "LabHook", { url: URL, connection: lab });

    const json = synth(stack);

    expect([...a.node.validate(), ...b.node.validate()]).toEqual([]); // no scope conflict
    expect(block(json, a.scopeResource).triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "PROD_KEY",
      agent_id: "",
    });
    expect(block(json, b.scopeResource).triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "LAB_KEY",
      agent_id: "",
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// null_resource
// ---------------------------------------------------------------------------------------------------------

describe("ProvisionerResourceType.NULL_RESOURCE", () => {
  function nullStack() {
    const stack = bareStack();
    const connection = new PreclinicalConnection(stack, "Conn", {
      resourceType: ProvisionerResourceType.NULL_RESOURCE,
    });
    const hook = new PreclinicalWebhook(stack, "Hook", { url: URL, agentId: AGENT, connection });
    new PreclinicalWebhook(stack, "Org", { url: URL, connection });
    return { stack, hook, text: Testing.synth(stack) };
  }

  test("emits null_resource with triggers, and one null provider", () => {
    const { hook, text } = nullStack();
    const json = JSON.parse(text) as Json;

    expect(text).toHaveProvider(NullProvider);
    expect(json.provider.null).toHaveLength(1);
    expect(json.terraform.required_providers).toHaveProperty("null");
    expect(text).toHaveResourceWithProperties(NullResource, {
      triggers: { api_url: DEFAULT_API_URL, api_key_env: "PRECLINICAL_API_KEY", agent_id: AGENT },
    });
    expect(json.resource).not.toHaveProperty("terraform_data");
    const scope = block(json, hook.scopeResource);
    expect(scope).not.toHaveProperty("triggers_replace");
    expect(block(json, hook.configResource).depends_on).toEqual([
      `null_resource.${hook.scopeResource.friendlyUniqueId}`,
    ]);
  });

  test.each([
    ["before", true],
    ["after", false],
  ])("a null provider of the app's own, declared %s the first webhook, is the only provider.null block", (_, first) => {
    const stack = bareStack();
    if (first) new NullProvider(stack, "mine", { alias: undefined });
    const connection = new PreclinicalConnection(stack, "Conn", {
      resourceType: ProvisionerResourceType.NULL_RESOURCE,
    });
    new PreclinicalWebhook(stack, "Hook", { url: URL, connection });
    if (!first) new NullProvider(stack, "mine", { alias: undefined });
    const json = JSON.parse(Testing.synth(stack)) as Json;

    expect(json.provider.null).toHaveLength(1);
    expect(Object.keys(json.terraform.required_providers)).toContain("null");
  });

  test("destroy provisioners read self.triggers", () => {
    const { hook, text } = nullStack();
    const json = JSON.parse(text) as Json;

    expect(run(block(json, hook.scopeResource), "delete").environment).toMatchObject({
      PRECLINICAL_API_URL: '${self.triggers["api_url"]}',
      PRECLINICAL_API_KEY_ENV: '${self.triggers["api_key_env"]}',
      PRECLINICAL_AGENT_ID: '${self.triggers["agent_id"]}',
    });
    const [ledger] = ledgers(json);
    expect(run(ledger, "reconcile").environment.PRECLINICAL_LEDGER_PREVIOUS).toBe("${jsonencode(self.triggers)}");
  });
});

// ---------------------------------------------------------------------------------------------------------
// Values known only at plan time
// ---------------------------------------------------------------------------------------------------------

describe("values known only at plan time", () => {
  type Prop = "url" | "description" | "agentId" | "secret";
  const rows: { prop: Prop; variable: string; on: "scope" | "config"; message: string }[] = [
    { prop: "url", variable: "url", on: "config", message: messages.urlRule('"${var.url}"') },
    {
      prop: "description",
      variable: "description",
      on: "config",
      message: messages.descriptionRule('"${var.description}"'),
    },
    { prop: "agentId", variable: "agent_id", on: "scope", message: messages.agentIdRule('"${var.agent_id}"') },
    // Never quoted: the secret is sensitive.
    { prop: "secret", variable: "secret", on: "config", message: messages.secretRule() },
  ];

  function withVariable(prop: Prop, variable: string) {
    const stack = newStack();
    const value = new TerraformVariable(stack, variable, { type: "string", sensitive: prop === "secret" }).stringValue;
    const hook = new PreclinicalWebhook(stack, "Hook", { url: URL, [prop]: value });
    const json = synth(stack);
    return { scope: block(json, hook.scopeResource), config: block(json, hook.configResource) };
  }

  test.each(rows)(
    "`$prop` from a variable is a precondition on the $on resource with the synth-time message",
    ({ prop, variable, on, message }) => {
      // Given / When
      const resources = withVariable(prop, variable);

      // Then
      const preconditions = resources[on].lifecycle.precondition as Json[];
      expect(preconditions).toHaveLength(1);
      expect(preconditions[0].error_message).toBe(message);
      expect(preconditions[0].condition).toContain(`can(regex(`);
      expect(preconditions[0].condition).toContain(`var.${variable}`);
      const other = on === "scope" ? resources.config : resources.scope;
      expect(other).not.toHaveProperty("lifecycle");
    },
  );

  test.each(rows.filter((r) => r.prop !== "description"))(
    "the `$prop` precondition bounds its length with numbers",
    ({ prop, variable, on }) => {
      const condition = withVariable(prop, variable)[on].lifecycle.precondition[0].condition as string;
      expect(condition).not.toContain("undefined");
    },
  );

  test("the `description` precondition bounds its length with numbers", () => {
    const condition = withVariable("description", "description").config.lifecycle.precondition[0].condition as string;
    expect(condition).not.toContain("undefined");
  });

  test("literal values produce no precondition", () => {
    const { hook, json } = oneWebhook({ agentId: AGENT, description: "d", secret: SECRET });
    expect(block(json, hook.scopeResource)).not.toHaveProperty("lifecycle");
    expect(block(json, hook.configResource)).not.toHaveProperty("lifecycle");
  });
});

// ---------------------------------------------------------------------------------------------------------
// One webhook per scope
// ---------------------------------------------------------------------------------------------------------

describe("two webhooks claiming one scope", () => {
  test.each([
    ["two organization-level webhooks on the default connection", {}, {}, "organization-level scope"],
    ["two webhooks of one agent", { agentId: AGENT }, { agentId: AGENT }, `scope of agent ${AGENT}`],
    [
      "one agent in different letter case",
      { agentId: AGENT },
      { agentId: AGENT.toUpperCase() },
      `scope of agent ${AGENT.toUpperCase()}`,
    ],
    [
      "the same API URL with and without a trailing slash",
      { apiUrl: "https://eu.preclinical.dev/api/v1" },
      { apiUrl: "https://eu.preclinical.dev/api/v1/" },
      "organization-level scope",
    ],
  ])("%s fail synthesis naming both construct paths", (_name, first, second, scope) => {
    // Given
    const stack = newStack();
    new PreclinicalWebhook(stack, "First", { url: URL, ...first });
    new PreclinicalWebhook(stack, "Second", { url: URL, ...second });

    // When / Then
    const error = thrown(() => Testing.synth(stack, true));
    expect(error.message).toContain(messages.duplicateScope(scope, "stack/First", "stack/Second"));
  });

  test("a shared explicit connection is one organization too", () => {
    const stack = newStack();
    const connection = new PreclinicalConnection(stack, "Conn");
    new PreclinicalWebhook(stack, "First", { url: URL, connection });
    new PreclinicalWebhook(stack, "Second", { url: URL, connection });

    expect(thrown(() => Testing.synth(stack, true)).message).toContain(
      messages.duplicateScope("organization-level scope", "stack/First", "stack/Second"),
    );
  });

  test("across two stacks of one App, app.synth() fails naming both paths", () => {
    const app = Testing.app();
    new PreclinicalWebhook(newStack(app, "a"), "Hook", { url: URL, agentId: AGENT });
    new PreclinicalWebhook(newStack(app, "b"), "Hook", { url: URL, agentId: AGENT });

    try {
      const error = thrown(() => app.synth());
      expect(error.message).toContain(messages.duplicateScope(`scope of agent ${AGENT}`, "a/Hook", "b/Hook"));
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  test.each([
    ["different agents", { agentId: AGENT }, { agentId: OTHER_AGENT }],
    ["the organization and one agent", {}, { agentId: AGENT }],
    ["different key variables", { apiKeyEnvVar: "KEY_A" }, { apiKeyEnvVar: "KEY_B" }],
    [
      "different API URLs",
      { apiUrl: "https://eu.preclinical.dev/api/v1" },
      { apiUrl: "https://us.preclinical.dev/api/v1" },
    ],
  ])("%s are fine", (_name, first, second) => {
    const stack = newStack();
    const hooks = [
      new PreclinicalWebhook(stack, "First", { url: URL, ...first }),
      new PreclinicalWebhook(stack, "Second", { url: URL, ...second }),
    ];

    // The webhooks' own validations, as synthesis runs them. (A full validating synth also spawns
    // `terraform version` once per terraform_data resource: slow, and not what is under test here.)
    expect(hooks.flatMap((hook) => hook.node.validate())).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// adoptExisting
// ---------------------------------------------------------------------------------------------------------

describe("adoptExisting", () => {
  test("true reaches the claim environment and changes no trigger", () => {
    // Given: the same webhook with and without adoptExisting
    const plain = oneWebhook({ agentId: AGENT });
    const adopting = oneWebhook({ agentId: AGENT, adoptExisting: true });

    // Then: only the claim environment differs
    expect(run(block(adopting.json, adopting.hook.scopeResource), "claim").environment.PRECLINICAL_ADOPT_EXISTING).toBe(
      "true",
    );
    expect(run(block(plain.json, plain.hook.scopeResource), "claim").environment.PRECLINICAL_ADOPT_EXISTING).toBe(
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
