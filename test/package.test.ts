/** What `npm pack` ships: the built library, its two bundles, README and LICENSE; nothing of this machine. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

interface PackEntry {
  readonly path: string;
}

describe("the npm package", () => {
  // --ignore-scripts: `npm test` has built dist already; prepack would build it again.
  const [pack] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8" }),
  ) as { files: PackEntry[] }[];
  const files = pack.files.map((f) => f.path);

  test("ships dist, README, LICENSE and package.json only", () => {
    const outside = files.filter(
      (f) => !f.startsWith("dist/") && !["README.md", "LICENSE", "package.json"].includes(f),
    );
    expect(outside).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(["README.md", "LICENSE", "package.json"]));
  });

  test("ships the provider and provisioner bundles and every entry point's types", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/provider/terraform-provider-preclinical.cjs",
        "dist/provider/provider-http1.cjs",
        "dist/provisioner/preclinical-provisioner.cjs",
        "dist/src/index.d.ts",
        "dist/src/api/index.d.ts",
        "dist/src/emulator/index.d.ts",
        "dist/src/drift/index.d.ts",
        "dist/src/provider/index.d.ts",
        "dist/cdktn/index.d.ts",
      ]),
    );
  });

  test("ships every program of package.json's bin, each starting with a node shebang", () => {
    const { bin } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      bin: Record<string, string>;
    };
    const programs = Object.values(bin);
    expect(programs).toContain("dist/src/importer/bin.js");
    expect(files).toEqual(expect.arrayContaining(programs));
    const shebangs = programs.map((p) => fs.readFileSync(path.join(ROOT, p), "utf8").split("\n")[0]);
    expect(shebangs).toEqual(programs.map(() => "#!/usr/bin/env node"));
  });

  test("the CDK Terrain build imports cdktn and never cdktf", () => {
    const cdktn = files.filter((f) => f.startsWith("dist/cdktn/") && /\.(js|d\.ts)$/.test(f));
    expect(cdktn.length).toBeGreaterThan(20);
    const text = cdktn.map((f) => fs.readFileSync(path.join(ROOT, f), "utf8")).join("\n");
    expect(text).not.toMatch(/(require\(|from |import\()\s*["']cdktf["'/]/);
    expect(text).toMatch(/require\("cdktn"\)/);
  });

  test("ships no tests, scripts, examples or source maps", () => {
    expect(files.filter((f) => /^dist\/(test|scripts|examples)\//.test(f) || f.endsWith(".map"))).toEqual([]);
  });
});
