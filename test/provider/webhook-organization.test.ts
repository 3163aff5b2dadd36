/**
 * A webhook remembers the organization it lives in (`api_url`, the API URL it was created or imported
 * through). When the provider points at another URL, read, plan and apply fail before any request to either
 * organization, naming both URLs; only a provider configuration that names no api_url (Terraform's implied
 * one, after the provider block left with its last webhook) follows a webhook to its own URL, to read and
 * delete it there. The resource runs over real clients of two real emulators.
 */
import { messages } from "../../src/messages";
import { PreclinicalEmulator } from "../../src/emulator";
import { Logger } from "../../src/provider/protocol/logger";
import { preclinicalProvider } from "../../src/provider/provider";
import { webhookResource } from "../../src/provider/webhook/resource";
import type { Session } from "../../src/provider/webhook/session";
import { UNKNOWN } from "../../src/provider/protocol/values";
import { AGENT_A } from "../support/agents";
import { URL_2, stateOf, useWebhookEmulator, webhook } from "../support/webhook-resource";
import { KEY } from "../support/emulator";

const env = useWebhookEmulator();
const { newSession, seed } = env;

/** A second organization, on its own URL: where the provider "now points". */
let other: PreclinicalEmulator;
beforeAll(async () => {
  other = await PreclinicalEmulator.start();
});
afterEach(() => other.reset());
afterAll(() => other.close());

/** The resource as the provider builds it: a session per URL, and where the configuration points. */
function resourcePointingAt(apiUrl: string, apiUrlConfigured = true) {
  const sessions = new Map<string, Session>();
  const sessionAt = (url: string = apiUrl) => {
    if (!sessions.has(url)) sessions.set(url, newSession(KEY, url));
    return sessions.get(url)!;
  };
  return webhookResource(sessionAt, () => ({ apiUrl, apiUrlConfigured }));
}

const movedDetail = (hook: { id: string; agent_id: string | null }, configured = true) =>
  messages.organizationMoved({
    id: hook.id,
    agentId: hook.agent_id,
    recorded: env.emulator.url,
    current: other.url,
    configured,
  });

const noRequests = () => {
  expect(env.emulator.requests()).toEqual([]);
  expect(other.requests()).toEqual([]);
};

describe("a webhook of another organization", () => {
  test("fails the read, naming both URLs and the ways forward, without asking either organization", async () => {
    const hook = seed({ agent_id: AGENT_A });
    env.emulator.clearRequests();

    await expect(resourcePointingAt(other.url).read(stateOf(hook))).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ severity: "error", summary: "Webhook lives in another organization" })],
    });
    const error = await resourcePointingAt(other.url)
      .read(stateOf(hook))
      .catch((e: { diagnostics: { detail: string }[] }) => e.diagnostics[0].detail);
    expect(error).toBe(movedDetail(hook));
    expect(error).toContain(env.emulator.url);
    expect(error).toContain(other.url);
    expect(error).toContain("terraform state rm");
    expect(error).toContain("point the connection back at");
    noRequests();
  });

  test("fails the plan of an update and of a replacement, so that nothing is planned at the new URL", async () => {
    const hook = seed({ agent_id: AGENT_A });
    env.emulator.clearRequests();
    const prior = stateOf(hook);
    const resource = resourcePointingAt(other.url);

    for (const proposed of [
      { ...prior, url: URL_2 },
      { ...prior, agent_id: null },
    ]) {
      await expect(resource.plan({ prior, proposed, config: proposed })).rejects.toMatchObject({
        diagnostics: [expect.objectContaining({ detail: movedDetail(hook) })],
      });
    }
    noRequests();
  });

  test("fails an apply of an update or a delete through the new URL, leaving the webhook where it is", async () => {
    const hook = seed();
    env.emulator.clearRequests();
    const prior = stateOf(hook);
    const resource = resourcePointingAt(other.url);

    for (const planned of [{ ...prior, url: URL_2 }, null]) {
      await expect(resource.apply({ prior, planned, config: planned })).rejects.toMatchObject({
        diagnostics: [expect.objectContaining({ detail: movedDetail(hook) })],
      });
    }
    noRequests();
    expect(env.stored(hook.id)).toMatchObject({ url: hook.url });
  });

  test("is read and deleted at its own URL when the provider's configuration names no api_url", async () => {
    const hook = seed();
    const resource = resourcePointingAt(other.url, false);

    const read = await resource.read(stateOf(hook));
    expect(read.state).toEqual(stateOf(hook));
    await resource.apply({ prior: stateOf(hook), planned: null, config: null });

    expect(env.stored(hook.id)).toBeUndefined();
    expect(other.requests()).toEqual([]);
  });

  test("still fails an update when the provider's configuration names no api_url, saying the default is meant", async () => {
    const hook = seed();
    const prior = stateOf(hook);
    const proposed = { ...prior, url: URL_2 };

    await expect(
      resourcePointingAt(other.url, false).plan({ prior, proposed, config: proposed }),
    ).rejects.toMatchObject({ diagnostics: [expect.objectContaining({ detail: movedDetail(hook, false) })] });
  });
});

describe("the recorded organization", () => {
  test("a create plans and records the URL the provider points at", async () => {
    const config = webhook();
    const resource = resourcePointingAt(env.emulator.url);
    const { planned } = await resource.plan({ prior: null, proposed: config, config });
    expect(planned?.api_url).toBe(env.emulator.url);

    const { state } = await resource.apply({ prior: null, planned, config });
    expect(state).toMatchObject({ api_url: env.emulator.url, id: expect.any(String) });
    expect(state?.id).not.toBe(UNKNOWN);
  });

  test("state from before api_url was kept is read where the provider points, and records that URL", async () => {
    const hook = seed();
    const legacy = stateOf(hook, { api_url: null });

    const { state } = await resourcePointingAt(env.emulator.url).read(legacy);
    expect(state).toEqual(stateOf(hook));
  });

  test("the provider takes two spellings of one URL for one organization", async () => {
    const hook = seed();
    const spelled = `${env.emulator.url}//`;
    const provider = preclinicalProvider(new Logger(() => undefined), { PRECLINICAL_API_KEY: KEY });
    await provider.configure(
      { api_url: spelled, api_key_env_var: null, request_timeout_ms: 2000, deadline_ms: 4000 },
      { terraformVersion: "1.11.4", writeOnlyAttributesAllowed: true },
    );

    const { state } = await provider.resources.preclinical_webhook.read(stateOf(hook));
    expect(state).toEqual(stateOf(hook));
  });
});
