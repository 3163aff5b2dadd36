/**
 * `npm run demo` end to end: the real cdktf CLI and terraform deploy the example against the emulator. The
 * test runs the built script as a user would (after `npm run build`, which `npm test` does first).
 */
import { execFile, execFileSync } from "node:child_process";
import * as path from "node:path";
import { describeWithTerraform } from "../support/e2e";

const repo = path.resolve(__dirname, "..", "..");

function gitStatus(): string {
  return execFileSync("git", ["status", "--porcelain", "--ignored"], { cwd: repo, encoding: "utf8" });
}

describeWithTerraform("npm run demo", () => {
  test("deploys the example, shows a change made in the UI in cdktf diff and repairs it, shows a delivery arriving and the health warning after the receiver fails, updates one webhook in place, destroys, and leaves nothing behind", async () => {
    const before = gitStatus();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        "node",
        [path.join(repo, "dist", "scripts", "demo.js")],
        // A real key in the environment must not send the demo to the real service.
        {
          cwd: repo,
          env: { ...process.env, PRECLINICAL_API_KEY: "sk_live_" + "r".repeat(40) },
          maxBuffer: 32 * 1024 * 1024,
        },
        (error, out, err) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout: out, stderr: err }),
      ),
    );
    // On failure, show what the demo said (its last lines), not only its exit code.
    expect({ code, said: code === 0 ? "" : `${stdout.slice(-3000)}\n${stderr.slice(-2000)}` }).toEqual({
      code: 0,
      said: "",
    });
    expect(stdout).toContain("the demo never deploys for real: it uses a local emulator");

    const url = /Started the Preclinical emulator at (\S+)/.exec(stdout)![1];
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);

    const receiver = /and a webhook receiver at (\S+):/.exec(stdout)![1];
    expect(receiver).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // The first deploy verified the triage webhook's delivery: the receiver got the test event
    const firstDeploy = stdout.split("==> cdktf deploy: creating")[1].split("==>")[0];
    expect(firstDeploy).toContain("Apply complete! Resources: 4 added, 0 changed, 0 destroyed.");
    expect(firstDeploy).toContain("the receiver got: test (is_test: true)");

    // After the first deploy: three webhooks, one per scope, all enabled
    const afterDeploy = stdout.split("==> The Preclinical API now holds:")[1].split("==>")[0];
    const rows = afterDeploy
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.trim().split(/\s{2,}/));
    expect(rows.map(([scope, hookUrl, enabled]) => [scope, hookUrl, enabled])).toEqual([
      ["agent intake", "https://hooks.example.com/preclinical/intake", "true"],
      ["agent triage", `${receiver}/triage`, "true"],
      ["organization", "https://hooks.example.com/preclinical", "true"],
    ]);
    const triageId = rows[1][3];
    const orgId = rows[2][3];
    expect(stdout).toContain(`organization_webhook_id = "${orgId}"`);

    // A change made in the UI shows in cdktf diff and the next deploy puts it back, same id
    const diff = stdout.split("==> cdktf diff")[1].split("==>")[0];
    expect(diff).toMatch(/~ is_enabled\s+= false -> true/);
    expect(diff).toMatch(
      /~ url\s+= "https:\/\/collector\.example\.net\/hijacked" -> "https:\/\/hooks\.example\.com\/preclinical"/,
    );
    expect(diff).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(stdout).toContain(`organization: same id ${orgId}, url and enabled restored: repaired in place`);

    // A completed test run arrives at the receiver; after it fails twice, the diff warns
    expect(stdout).toContain("the receiver got: test_run_completed (Triage bot, pass rate 90%), answered HTTP 200");
    expect(stdout).toContain("triage webhook: consecutive_failures = 2");
    const healthDiff = stdout.split("==> cdktf diff: the refresh warns")[1].split("==>")[0];
    expect(healthDiff).toContain(`Warning: Preclinical webhook deliveries are failing (webhook ${triageId})`);
    expect(healthDiff.replace(/\s+/g, " ")).toContain("failed its last 2 deliveries (consecutive_failures = 2;");
    expect(healthDiff).toContain("No changes.");

    // After the second deploy: the same triage webhook, now disabled
    expect(stdout).toMatch(new RegExp(`agent triage\\s+${receiver}/triage\\s+false\\s+${triageId}`));
    expect(stdout).toContain(`triage: same id ${triageId}, enabled true -> false: updated in place`);
    expect(stdout.split("==> cdktf deploy with TF_VAR_triage_enabled=false")[1]).toContain(
      // The webhook is updated in place; its delivery test is replaced by one that is not run (disabled).
      "Apply complete! Resources: 1 added, 1 changed, 1 destroyed.",
    );
    expect(stdout.split("==> cdktf deploy with TF_VAR_triage_enabled=false")[1]).toContain(
      "Warning: Webhook delivery not tested",
    );

    // After destroy: nothing left, and the emulator is stopped
    expect(stdout.split("==> cdktf destroy")[1]).toContain("(no webhooks)");
    await expect(fetch(`${url}/webhooks`)).rejects.toThrow();

    // No stray file in the repository
    expect(gitStatus()).toBe(before);
  }, 240_000);
});
