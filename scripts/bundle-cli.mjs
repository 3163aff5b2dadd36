// Bundles the provisioner CLI into one file that the construct ships with each synthesized stack as a
// TerraformAsset, so `terraform apply` needs Node 20+ on the runner and no node_modules.
import { build } from "esbuild";

await build({
  entryPoints: ["src/provisioner/main.ts"],
  outfile: "dist/provisioner/preclinical-provisioner.cjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
