// Bundles the two programs that run on the machine that runs terraform, each into one self-contained file
// that needs Node 20+ and no node_modules: the provisioner CLI (shipped with each synthesized stack as a
// TerraformAsset) and the Terraform provider (laid out as a local mirror by `preclinical-provider install`).
// esbuild's output depends only on its inputs, so a given version is always the same bytes, which the
// provider's lock file checksums rely on.
import { build } from "esbuild";

const common = {
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
  outfile: "dist/provisioner/preclinical-provisioner.cjs",
});

await build({
  ...common,
  entryPoints: ["src/provider/main.ts"],
  outfile: "dist/provider/terraform-provider-preclinical.cjs",
  banner: { js: "#!/usr/bin/env node" },
  // Keeps the bundle free of this machine's paths (no __filename baked in from sources).
  sourcemap: false,
});
