/**
 * The CLI never prints the webhook secret or the API key, not even with debug output on or when the API
 * echoes them. The CLI runs in-process against the emulator.
 */
import { Env } from "../../src/provisioner/protocol";
import { env, run } from "../support/provisioner";
import { emulator, KEY, useSharedEmulator } from "../support/emulator";
import { SECRET } from "../support/inputs";

useSharedEmulator();

describe("secrets", () => {
  const echo = JSON.stringify({ error: `bad secret ${SECRET} for key ${KEY}`, code: "INVALID_FIELD_VALUE" });

  test.each([
    ["POST", "an empty scope"],
    ["PUT", "a held scope"],
  ])("with debug on, a %s error body echoing the secret and key (%s) prints neither", async (method, _) => {
    // Given the server echoes both values in a 400 error body
    if (method === "PUT") emulator.seedWebhook("default", { url: "https://old.example.com/hook" });
    emulator.injectFault({ method, path: "/webhooks", fault: { kind: "status", status: 400, body: echo } });
    // When converging with a secret and debug output
    const result = await run(["converge"], env({ [Env.SECRET]: SECRET, [Env.DEBUG]: "1" }));
    // Then it fails, debug lines appear, and no line holds either value
    expect(result.code).toBe(1);
    expect(result.err.some((l) => l.startsWith("preclinical debug: "))).toBe(true);
    expect(result.text).toContain("[REDACTED]");
    for (const line of result.lines) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain(KEY);
    }
  });

  test("debug output has one line per API attempt, successful ones included", async () => {
    const result = await run(["converge"], env({ [Env.DEBUG]: "1" }));
    expect(result.code).toBe(0);
    expect(result.err.filter((l) => l.startsWith("preclinical debug: "))).toHaveLength(2);
  });

  test("a non-JSON error body echoing a secret that contains a quote does not print it", async () => {
    const quoted = 'whsec_"quoted"_' + "x".repeat(20);
    emulator.injectFault({
      method: "POST",
      path: "/webhooks",
      fault: { kind: "status", status: 400, body: `bad secret ${quoted}` },
    });
    const result = await run(["converge"], env({ [Env.SECRET]: quoted }));
    expect(result.code).toBe(1);
    expect(result.text).not.toContain(JSON.stringify(quoted).slice(1, -1)); // whsec_\"quoted\"_xxx...
    expect(result.text).not.toContain(quoted);
  });

  test("a non-JSON error body that echoes the key across the excerpt cut does not print most of it", async () => {
    emulator.injectFault({
      method: "GET",
      path: "/webhooks",
      fault: { kind: "status", status: 400, body: "y".repeat(41) + KEY },
    });
    const result = await run(["claim"], env());
    expect(result.code).toBe(1);
    expect(result.text).not.toContain(KEY.slice(0, 24));
  });
});
