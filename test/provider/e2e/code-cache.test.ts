/**
 * The provider's V8 code cache (src/provider/launcher.ts), through terraform: the first command's provider
 * processes write it into the user's cache folder, private to the user, and later starts accept it and so
 * leave it alone. A cache that every start rejects (one made under other V8 flags than the next start
 * compiles with) looks the same from outside but costs a compile and a rewrite at each of Terraform's three
 * or four provider starts per command; the unchanged file is what tells the two apart. The HTTP client's file
 * (package-files.json), compiled at a process's first API request, has a cache of its own, checked the same way
 * through a plan against the emulator.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeWithTerraform } from "../../support/e2e";
import { apiRequests, emulator, KEY, useSharedEmulator } from "../../support/emulator";
import { HclWorkspace } from "../../support/hcl-workspace";
import { webhookConfig } from "../../support/webhook-config";

useSharedEmulator();

const CONFIG = {
  provider: { preclinical: { api_url: "http://127.0.0.1:1/api/v1" } },
  resource: { preclinical_webhook: { org: { url: "https://hooks.example.com/cache" } } },
};

describeWithTerraform("the provider's code cache", () => {
  let cacheHome: string;
  beforeEach(() => {
    cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), "provider-code-cache-"));
  });
  afterEach(() => fs.rmSync(cacheHome, { recursive: true, force: true }));

  const validate = async (env: Record<string, string>) => {
    const ws = new HclWorkspace({ PRECLINICAL_API_KEY: "unused", XDG_CACHE_HOME: cacheHome, ...env });
    try {
      ws.write(CONFIG);
      await ws.init();
      const result = await ws.terraform(["validate", "-no-color"]);
      expect(result.code).toBe(0);
    } finally {
      ws.cleanup();
    }
  };
  /** A plan of one webhook against the emulator: its provider processes ask the API, through the HTTP client. */
  const plan = async () => {
    const ws = new HclWorkspace({ PRECLINICAL_API_KEY: KEY, XDG_CACHE_HOME: cacheHome });
    try {
      ws.write(webhookConfig({ apiUrl: emulator.url, webhooks: { org: { url: "https://hooks.example.com/cache" } } }));
      await ws.init();
      const before = apiRequests().length;
      const result = await ws.plan();
      expect(result.code).toBe(2); // a webhook to create
      expect(apiRequests().length).toBeGreaterThan(before);
    } finally {
      ws.cleanup();
    }
  };
  const cacheFiles = () => {
    const dir = path.join(cacheHome, "cdktf-preclinical-webhooks");
    return fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith(".v8cache"))
          .sort()
          .map((f) => path.join(dir, f))
      : [];
  };
  const identity = (file: string) => {
    const { ino, mtimeMs } = fs.statSync(file);
    return { ino, mtimeMs };
  };

  test("is written once, private, and accepted by the next command's starts, which leave it as it was", async () => {
    await validate({});
    const [file, ...others] = cacheFiles();
    expect(others).toEqual([]);
    expect(path.basename(file)).toMatch(
      new RegExp(`^provider-[0-9a-f]+-node${process.version}-${process.arch}\\.v8cache$`),
    );
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    const before = fs.statSync(file);

    await validate({});
    const after = fs.statSync(file);
    expect(cacheFiles()).toEqual([file]);
    // A rejected cache is written again at exit, through a new file renamed over the old one.
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({ ino: before.ino, mtimeMs: before.mtimeMs });
  });

  test("the HTTP client's cache is written by the first command that asks the API, and accepted by the next", async () => {
    await validate({});
    expect(cacheFiles().map((f) => path.basename(f))).toEqual([expect.stringMatching(/^provider-/)]);

    await plan();
    const files = cacheFiles();
    expect(files.map((f) => path.basename(f))).toEqual([
      expect.stringMatching(new RegExp(`^http1-[0-9a-f]+-node${process.version}-${process.arch}\\.v8cache$`)),
      expect.stringMatching(/^provider-/),
    ]);
    const http1Cache = files[0];
    expect(fs.statSync(http1Cache).mode & 0o777).toBe(0o600);
    const before = identity(http1Cache);

    await plan();
    expect(cacheFiles()).toEqual(files);
    expect(identity(http1Cache)).toEqual(before);
  });

  test("PRECLINICAL_PROVIDER_CODE_CACHE=off writes none", async () => {
    await validate({ PRECLINICAL_PROVIDER_CODE_CACHE: "off" });
    expect(cacheFiles()).toEqual([]);
  });
});
