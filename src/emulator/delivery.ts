/**
 * Deliveries, as the service makes them: the test event of POST /webhooks/{id}/test, and the
 * `test_run_completed` event of a test run (completed through the control endpoints). The emulator only ever
 * sends to loopback addresses, so a test run cannot make it call out to the internet.
 */
import { randomUUID } from "node:crypto";
import * as http from "node:http";
import * as https from "node:https";
import { isIPv4, isIPv6 } from "node:net";
import { DEFAULT_API_URL } from "../api/assumptions";

export const DELIVERY_TIMEOUT_MS = 2000;
export const NON_LOOPBACK_MESSAGE = "emulator does not deliver to non-loopback hosts";

/** The fixed sample test run of the test payload. */
const SAMPLE_TEST_RUN = {
  id: "00000000-0000-4000-8000-000000000001",
  test_run_id: "TR-SAMPLE-0001",
  name: "Sample test run",
  agent_id: "00000000-0000-4000-8000-000000000002",
  agent_name: "Sample agent",
  status: "completed",
  pass_rate: 80,
  passed_count: 8,
  failed_count: 2,
  error_count: 0,
  total_scenarios: 10,
  started_at: "2025-01-01T00:00:00.000Z",
  completed_at: "2025-01-01T00:05:00.000Z",
  duration_seconds: 300,
} as const;

/** What one delivery came to; also the body of the test endpoint's answer (TestDeliveryResultSchema). */
export interface DeliveryOutcome {
  readonly success: boolean;
  readonly message: string;
  readonly http_status: number | null;
}

/** The body POSTed to the webhook URL by the test endpoint. */
export function testPayload(): Record<string, unknown> {
  return {
    event: "test",
    is_test: true,
    timestamp: new Date().toISOString(),
    test_run: SAMPLE_TEST_RUN,
    results_url: resultsUrl(SAMPLE_TEST_RUN.id),
  };
}

function resultsUrl(testRunId: string): string {
  return `${new URL(DEFAULT_API_URL).origin}/test-runs/${testRunId}`;
}

/** 127.0.0.0/8, localhost and ::1, as `URL.hostname` spells them. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
  if (host === "localhost") return true;
  if (isIPv4(host)) return host.startsWith("127.");
  return isIPv6(host) && host === "::1";
}

/** What a test run that completes through the control endpoints may say; the rest is made up. */
export interface TestRunInput {
  readonly status?: "completed" | "failed" | "canceled";
  readonly name?: string;
  readonly passed_count?: number;
  readonly failed_count?: number;
  readonly error_count?: number;
}

/** The documented `test_run_completed` body, for a test run of `agent` that has just completed. */
export function testRunCompletedPayload(
  agent: { readonly id: string; readonly name: string },
  run: TestRunInput = {},
): Record<string, unknown> {
  const id = randomUUID();
  const [passed, failed, errors] = [run.passed_count ?? 9, run.failed_count ?? 1, run.error_count ?? 0];
  const total = passed + failed + errors;
  const completed = new Date();
  const durationSeconds = 120;
  return {
    event: "test_run_completed",
    timestamp: completed.toISOString(),
    test_run: {
      id,
      test_run_id: `TR-${id.slice(0, 8).toUpperCase()}`,
      name: run.name ?? `Test run of ${agent.name}`,
      agent_id: agent.id,
      agent_name: agent.name,
      status: run.status ?? "completed",
      pass_rate: total === 0 ? 0 : Math.round((passed / total) * 100),
      passed_count: passed,
      failed_count: failed,
      error_count: errors,
      total_scenarios: total,
      started_at: new Date(completed.getTime() - durationSeconds * 1000).toISOString(),
      completed_at: completed.toISOString(),
      duration_seconds: durationSeconds,
    },
    results_url: resultsUrl(id),
  };
}

/** POSTs the test payload to `url`; a refused, failed or non-2xx delivery is `success: false`. */
export function deliverTestEvent(url: string): Promise<DeliveryOutcome> {
  return deliver(url, testPayload());
}

/** POSTs `payload` as JSON to `url`, if it is a loopback URL; a refused, failed or non-2xx delivery is `success: false`. */
export async function deliver(url: string, payload: Record<string, unknown>): Promise<DeliveryOutcome> {
  const target = new URL(url);
  if (!isLoopbackHost(target.hostname)) return { success: false, message: NON_LOOPBACK_MESSAGE, http_status: null };
  try {
    const status = await postJson(target, JSON.stringify(payload));
    const success = status >= 200 && status < 300;
    const message = success ? `delivery succeeded with HTTP ${status}` : `webhook endpoint answered HTTP ${status}`;
    return { success, message, http_status: status };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { success: false, message: `delivery failed: ${reason}`, http_status: null };
  }
}

/** Resolves with the response status; a fresh connection each time, so nothing lingers. */
function postJson(target: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const transport = target.protocol === "https:" ? https : http;
    const request = transport.request(target, {
      method: "POST",
      agent: false,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        "user-agent": "preclinical-emulator",
      },
    });
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${DELIVERY_TIMEOUT_MS} ms`)),
      DELIVERY_TIMEOUT_MS,
    );
    request.on("response", (response) => {
      clearTimeout(timer);
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(body);
  });
}
