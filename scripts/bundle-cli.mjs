// Bundles the two programs that run on the machine that runs terraform, each into one self-contained file
// that needs Node 20+ and no node_modules: the provisioner CLI (shipped with each synthesized stack as a
// TerraformAsset) and the Terraform provider (laid out as a local mirror by `preclinical-provider install`).
// esbuild's output depends only on its inputs, so a given version is always the same bytes, which the
// provider's lock file checksums rely on.
//
//   node scripts/bundle-cli.mjs [--outdir DIR] [--sourcemap FILE]
// --outdir: default dist; a test builds into a temp folder and compares. --sourcemap also writes the provider
// bundle's source map to FILE (outside the package; scripts/profile-provider.ts reads it to name the code a
// CPU profile spent its time in). The map changes nothing in the executable.
import { createHash } from "node:crypto";
import { Buffer } from "node:buffer";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";

const arg = (name) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const outdir = arg("--outdir") ?? "dist";
const sourcemap = arg("--sourcemap");

// The bundles need the package's name and version only: an edit elsewhere in package.json must not change
// their bytes.
const packageNameAndVersion = {
  name: "package-name-and-version",
  setup(b) {
    b.onLoad({ filter: /[\\/]package\.json$/ }, (args) => {
      const { name, version } = JSON.parse(readFileSync(args.path, "utf8"));
      return { contents: JSON.stringify({ name, version }), loader: "json" };
    });
  },
};

const common = {
  plugins: [packageNameAndVersion],
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: ["src/provisioner/main.ts"],
  outfile: `${outdir}/provisioner/preclinical-provisioner.cjs`,
});

// The provider: the bundle, embedded as a string in the launcher that compiles it with a code cache
// (src/provider/launcher.ts says why), and the API's HTTP client (undici) in a file of its own beside it, which
// the launcher compiles on the bundle's first require of it. The modules of it that the bundle requires are
// found while the bundle is built, and the HTTP client's file exports exactly those, by id.
const files = JSON.parse(readFileSync("src/provider/package-files.json", "utf8"));
const http1Ids = new Set();
const http1Apart = {
  name: "http1-apart",
  setup(b) {
    b.onResolve({ filter: /^undici(\/|$)/ }, (args) => {
      http1Ids.add(args.path);
      return { path: args.path, external: true };
    });
  },
};
const provider = await build({
  ...common,
  plugins: [...common.plugins, http1Apart],
  entryPoints: ["src/provider/main.ts"],
  write: false,
  outfile: "provider.cjs",
  ...(sourcemap && { sourcemap: "external" }),
});
const source = provider.outputFiles.find((f) => f.path.endsWith(".cjs")).text;
if (sourcemap) writeFileSync(sourcemap, provider.outputFiles.find((f) => f.path.endsWith(".map")).text);
const ids = [...http1Ids].sort();
const http1 = await build({
  ...common,
  stdin: {
    contents: `module.exports = {${ids.map((id) => `${JSON.stringify(id)}: require(${JSON.stringify(id)})`).join(", ")}};`,
    resolveDir: process.cwd(),
    loader: "js",
  },
  write: false,
  outfile: "http1.cjs",
});
const http1Source = http1.outputFiles[0].text;
const launcher = await build({
  ...common,
  entryPoints: ["src/provider/launcher.ts"],
  write: false,
  outfile: "launcher.cjs",
});
// Over the bytes written: the launcher hashes the file's bytes as it reads them.
const sha = (text) => createHash("sha256").update(Buffer.from(text, "utf8")).digest("hex").slice(0, 16);
const executable =
  "#!/usr/bin/env node\n" +
  `var PROVIDER_SOURCE=${JSON.stringify(source)};var PROVIDER_SOURCE_SHA=${JSON.stringify(sha(source))};` +
  `var PROVIDER_HTTP1_SHA=${JSON.stringify(sha(http1Source))};\n` +
  launcher.outputFiles[0].text;
mkdirSync(`${outdir}/provider`, { recursive: true });
writeFileSync(`${outdir}/provider/${files.executable}`, executable);
chmodSync(`${outdir}/provider/${files.executable}`, 0o755);
writeFileSync(`${outdir}/provider/${files.http1}`, http1Source);
