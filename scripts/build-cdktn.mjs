// The same library for CDK Terrain (npm `cdktn`, the community fork of cdktf with the same API and module
// layout): dist/src compiled once, copied to dist/cdktn with every import of cdktf pointed at cdktn. One
// source, two builds; the package exposes this one as `cdktf-preclinical-webhooks/cdktn`.
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const from = "dist/src";
const to = "dist/cdktn";
// `require("cdktf")`, `require("cdktf/lib/...")`, `from "cdktf"` and `import("cdktf")` in .js and .d.ts.
const CDKTF_MODULE = /((?:require\(|from |import\()\s*["'])cdktf(["'/])/g;

rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });

function rewrite(dir) {
  for (const name of readdirSync(dir)) {
    const file = join(dir, name);
    if (statSync(file).isDirectory()) rewrite(file);
    else if (/\.(js|d\.ts)$/.test(name)) {
      const text = readFileSync(file, "utf8");
      const out = text.replace(CDKTF_MODULE, "$1cdktn$2");
      if (out !== text) writeFileSync(file, out);
    }
  }
}
rewrite(to);
