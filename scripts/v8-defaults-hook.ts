/**
 * Loaded into the provider processes of the benchmark's "V8 defaults" runs (NODE_OPTIONS=--require
 * dist/scripts/v8-defaults-hook.js, set by scripts/bench-provider.ts), never into a user's: it makes
 * src/api/startup.ts's V8 flag a no-op, so that one run measures the provider with and without it.
 */
// The module object itself (an import would wrap it in getters, which cannot be replaced).
// eslint-disable-next-line @typescript-eslint/no-require-imports
import v8 = require("node:v8");

v8.setFlagsFromString = () => undefined;
