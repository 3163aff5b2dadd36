/**
 * V8 settings for a short-lived process, imported by main.ts before anything loads undici: compile undici's
 * llhttp WebAssembly with V8's baseline compiler only. The optimizing compile of that module took about as
 * long as everything else the CLI does; a provisioner parses a few small HTTP answers (BENCHMARKS.md).
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--liftoff-only");
