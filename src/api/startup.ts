/**
 * V8 settings for the programs that talk to the API: the provider (its launcher, before it compiles the
 * bundle it runs), the provisioner CLI, preclinical-drift and preclinical-import,
 * each calling useProgramV8Flags when it runs as a program. Never called by the library in a user's cdktf
 * app or by a module a package entry point loads: V8 flags belong to the process's owner
 * (test/package-exports-flags.test.ts holds every entry point to that).
 *
 * undici parses HTTP/1 answers with llhttp, WebAssembly that V8 compiles at the first request (so the call
 * may come after undici loads). By default V8 then recompiles the module with its optimizing compiler on a
 * background thread, which takes much of a short process's CPU (BENCHMARKS.md, "What changed", 2) and which
 * the process's exit waits for: 150-250 ms after the last answer, in every provider process that spoke to
 * the API and every provisioner run (BENCHMARKS.md, section 6). The baseline compiler (Liftoff) alone parses
 * the API's answers fast enough.
 *
 * V8 also rejects a code cache made under other flags, and the provider's is made at exit: its launcher
 * calls this before it compiles the bundle, so the cache it reads and the one it writes agree.
 */
import { setFlagsFromString } from "node:v8";

export function useProgramV8Flags(): void {
  setFlagsFromString("--liftoff-only");
}
