/**
 * V8 settings for the programs that talk to the API (the provider, the provisioner CLI, preclinical-drift,
 * preclinical-import), imported first by each entry point, before anything loads undici. Never imported by
 * the library that runs in a user's cdktf app: V8 flags belong to the process's owner.
 *
 * undici parses HTTP/1 answers with llhttp, WebAssembly that V8 compiles at the first request. By default
 * V8 then recompiles the module with its optimizing compiler on a background thread, which takes much of a
 * short process's CPU (BENCHMARKS.md, "What changed", 2) and which the process's exit waits for: 150-250 ms
 * after the last answer, in every provider process that spoke to the API and every provisioner run
 * (BENCHMARKS.md, section 6). The baseline compiler (Liftoff) alone parses the API's answers fast enough.
 */
import { setFlagsFromString } from "node:v8";

setFlagsFromString("--liftoff-only");
