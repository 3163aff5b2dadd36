#!/usr/bin/env node
/** Entry point of the bundled provisioner CLI (dist/provisioner/preclinical-provisioner.cjs). */
import { runProvisioner } from "./cli";

runProvisioner(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runProvisioner catches everything; this is a last resort that still prints no secret.
    process.stderr.write(`preclinical: unexpected failure: ${err instanceof Error ? err.name : "unknown"}\n`);
    process.exitCode = 1;
  },
);
