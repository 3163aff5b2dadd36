/**
 * V8 settings for a short-lived process, imported by main.ts before anything loads undici: compile undici's
 * llhttp WebAssembly with V8's baseline compiler only. The optimizing compile of that module took much of
 * the CLI's time, and a provisioner parses only a few small HTTP answers (BENCHMARKS.md, "What changed", 2).
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--liftoff-only");
