/**
 * How every command of the CLI fails: a missing or wrong API key, an unreachable API, an answer that is not
 * JSON, an unknown command, a missing variable. The CLI runs in-process against the emulator.
 */
import { Env } from "../../src/provisioner/protocol";
import { env, run } from "../support/provisioner";
import { apiRequests, emulator, useSharedEmulator } from "../support/emulator";
import { closedPort } from "../support/net";

useSharedEmulator();

describe("failures", () => {
  test("a missing API key variable exits 1, names the variable and sends no request", async () => {
    // Given the key variable is named but not set
    const result = await run(
      ["converge"],
      env({ PRECLINICAL_API_KEY: undefined, [Env.API_KEY_ENV_VAR]: "MY_PRECLINICAL_KEY" }),
    );
    // Then
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("The environment variable MY_PRECLINICAL_KEY is not set");
    expect(apiRequests()).toEqual([]);
  });

  test.each(["claim", "delete"])("a missing API key variable on %s sends no request either", async (command) => {
    const result = await run([command], env({ PRECLINICAL_API_KEY: undefined }));
    expect(result.code).toBe(1);
    expect(result.err[0]).toContain("The environment variable PRECLINICAL_API_KEY is not set");
    expect(apiRequests()).toEqual([]);
  });

  test("a wrong key exits 1 with the 401 message, naming the variable but not the key", async () => {
    // Given a key the API does not know, in a custom variable
    const wrong = "sk_live_" + "WrongKey".repeat(5);
    const result = await run(
      ["claim"],
      env({ PRECLINICAL_API_KEY: undefined, [Env.API_KEY_ENV_VAR]: "CI_KEY", CI_KEY: wrong }),
    );
    // Then
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("rejected the API key in CI_KEY (401)");
    expect(result.text).not.toContain(wrong);
    expect(apiRequests().map((r) => r.status)).toEqual([401]); // 401 is not retried
  });

  test("an unreachable API exits 1 within the deadline and suggests checking the URL", async () => {
    // Given nothing listens on the port
    const url = `http://127.0.0.1:${await closedPort()}/api/v1`;
    // When converging with a 1.5 s deadline
    const started = Date.now();
    const result = await run(["converge"], env({ [Env.DEADLINE_MS]: "1500" }, url));
    // Then it gives up in bounded time
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("ECONNREFUSED");
    expect(result.err[0]).toContain("Check the API URL");
  });

  test("a 200 answer that is not JSON exits 1 with a message that points at /api/v1", async () => {
    // Given a proxy or web page answers instead of the API
    emulator.injectFault({ method: "GET", path: "/webhooks", fault: { kind: "notJson" } });
    const result = await run(["claim"], env());
    // Then
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("not JSON");
    expect(result.err[0]).toContain("/api/v1");
  });

  test.each([[[]], [["apply"]], [["CLAIM"]]])(
    "an unknown command %j exits 2 with the usage and sends no request",
    async (args) => {
      const result = await run(args, env());
      expect(result.code).toBe(2);
      expect(result.out).toEqual([]);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toMatch(/^usage: preclinical-provisioner <claim\|converge\|delete\|reconcile>/);
      expect(apiRequests()).toEqual([]);
    },
  );

  test.each([["toString"], ["constructor"], ["hasOwnProperty"], ["__proto__"]])(
    "an inherited property name %s as command exits 2 with the usage",
    async (command) => {
      const result = await run([command], env());
      expect(result.code).toBe(2);
      expect(result.err[0]).toMatch(/^usage:/);
    },
  );

  test.each([
    ["claim", Env.API_URL],
    ["converge", Env.API_URL],
    ["delete", Env.API_URL],
    ["converge", Env.URL],
    ["converge", Env.IS_ENABLED],
    ["reconcile", Env.LEDGER_PREVIOUS],
  ])("%s without %s exits 1 and says to run cdktf synth again", async (command, missing) => {
    const base = command === "reconcile" ? { [Env.LEDGER_CURRENT]: "{}" } : {};
    const result = await run([command], env({ ...base, [missing]: undefined }));
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(`The provisioner was started without ${missing}`);
    expect(result.err[0]).toContain("run cdktf synth again");
    expect(apiRequests().filter((r) => r.method !== "GET")).toEqual([]);
  });
});
