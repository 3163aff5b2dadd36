// Bundles the two programs that run on the machine that runs terraform, each into one self-contained file
// that needs Node 20+ and no node_modules: the provisioner CLI (shipped with each synthesized stack as a
// TerraformAsset) and the Terraform provider (laid out as a local mirror by `preclinical-provider install`).
// esbuild's output depends only on its inputs, so a given version is always the same bytes, which the
// provider's lock file checksums rely on.
//
//   node scripts/bundle-cli.mjs [--outdir DIR]   (default dist; a test builds into a temp folder and compares)
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const outdir = process.argv.includes("--outdir") ? process.argv[process.argv.indexOf("--outdir") + 1] : "dist";

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

await build({
  ...common,
  entryPoints: ["src/provider/main.ts"],
  outfile: `${outdir}/provider/terraform-provider-preclinical.cjs`,
  banner: { js: "#!/usr/bin/env node" },
  // Keeps the bundle free of this machine's paths (no __filename baked in from sources).
  sourcemap: false,
});
