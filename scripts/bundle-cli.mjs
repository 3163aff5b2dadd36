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
// (src/provider/launcher.ts says why).
const provider = await build({
  ...common,
  entryPoints: ["src/provider/main.ts"],
  write: false,
  outfile: "provider.cjs",
  ...(sourcemap && { sourcemap: "external" }),
});
const source = provider.outputFiles.find((f) => f.path.endsWith(".cjs")).text;
if (sourcemap) writeFileSync(sourcemap, provider.outputFiles.find((f) => f.path.endsWith(".map")).text);
const launcher = await build({
  ...common,
  entryPoints: ["src/provider/launcher.ts"],
  write: false,
  outfile: "launcher.cjs",
});
const sha = createHash("sha256").update(source).digest("hex").slice(0, 16);
const executable =
  "#!/usr/bin/env node\n" +
  `var PROVIDER_SOURCE=${JSON.stringify(source)};var PROVIDER_SOURCE_SHA=${JSON.stringify(sha)};\n` +
  launcher.outputFiles[0].text;
mkdirSync(`${outdir}/provider`, { recursive: true });
writeFileSync(`${outdir}/provider/terraform-provider-preclinical.cjs`, executable);
chmodSync(`${outdir}/provider/terraform-provider-preclinical.cjs`, 0o755);
