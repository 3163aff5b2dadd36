import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TestDeliveryResultSchema } from "../../src/api/schemas";
import { NON_LOOPBACK_MESSAGE } from "../../src/emulator";
import { AGENT_A } from "../support/agents";
import { useSharedEmulator } from "../support/emulator";
import { call, createWebhook } from "../support/emulator-http";
import { closedPort } from "../support/net";

useSharedEmulator();

describe("POST /webhooks/{id}/test", () => {
  let receiver: Server;
  let receiverUrl: string;
  let received: { headers: IncomingHttpHeaders; body: any }[];
  let receiverStatus: number;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (text += chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(text) });
        res.writeHead(receiverStatus).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  beforeEach(() => {
    received = [];
    receiverStatus = 200;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test("delivers the test payload to a loopback receiver and reports its 200 as a success", async () => {
    const hook = await createWebhook({ url: receiverUrl, agent_id: AGENT_A });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(TestDeliveryResultSchema.parse(answer.json)).toMatchObject({ success: true, http_status: 200 });
    expect(received).toHaveLength(1);
    expect(received[0].headers["content-type"]).toBe("application/json");
    expect(received[0].body).toMatchObject({
      event: "test",
      is_test: true,
      timestamp: expect.any(String),
      results_url: expect.stringMatching(/^https:\/\//),
      test_run: expect.objectContaining({
        status: "completed",
        pass_rate: expect.any(Number),
        total_scenarios: expect.any(Number),
      }),
    });
    const stored = (await call("GET", `/webhooks/${hook.id}`)).json;
    expect(stored.last_triggered_at).toEqual(expect.any(String));
    expect(stored.consecutive_failures).toBe(0);
  });

  test("reports a receiver's 500s as failures and counts them in consecutive_failures until a success", async () => {
    const hook = await createWebhook({ url: receiverUrl });
    receiverStatus = 500;

    await call("POST", `/webhooks/${hook.id}/test`);
    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.json).toMatchObject({ success: false, http_status: 500 });
    expect((await call("GET", `/webhooks/${hook.id}`)).json.consecutive_failures).toBe(2);

    receiverStatus = 204;
    expect((await call("POST", `/webhooks/${hook.id}/test`)).json).toMatchObject({ success: true, http_status: 204 });
    expect((await call("GET", `/webhooks/${hook.id}`)).json.consecutive_failures).toBe(0);
  });

  test("answers 200 with success false and no http_status when nothing listens at the loopback URL", async () => {
    const hook = await createWebhook({ url: `http://127.0.0.1:${await closedPort()}/hook` });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ success: false, http_status: null });
  });

  test("sends nothing to a non-loopback host and answers why", async () => {
    const hook = await createWebhook({ url: "https://hooks.example.com/preclinical" });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ success: false, message: NON_LOOPBACK_MESSAGE, http_status: null });
    expect(received).toEqual([]);
    const stored = (await call("GET", `/webhooks/${hook.id}`)).json;
    expect(stored).toMatchObject({ last_triggered_at: expect.any(String), consecutive_failures: 1 });
  });
});
