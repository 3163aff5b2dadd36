#!/usr/bin/env node
/** Entry point of the bundled provisioner CLI (dist/provisioner/preclinical-provisioner.cjs). */
import { useProgramV8Flags } from "../api/startup";
import { runProvisioner } from "./cli";

/**
 * Exits as soon as the output is flushed. Left alone, Node lingers after the last request (undici's
 * internal timers), in every provisioner process of a deploy (BENCHMARKS.md, "What changed", 2).
 */
function exitWhenFlushed(code: number): void {
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

useProgramV8Flags();
runProvisioner(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).then(exitWhenFlushed, (err: unknown) => {
  // runProvisioner catches everything; this is a last resort that still prints no secret.
  process.stderr.write(`preclinical: unexpected failure: ${err instanceof Error ? err.name : "unknown"}\n`);
  exitWhenFlushed(1);
});
