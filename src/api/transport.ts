/**
 * The part of undici the client uses: a pooling Agent and its `request` method. undici's package index also
 * loads fetch, WebSocket, EventSource, caches, interceptors and mocks, which add about 50 ms to every
 * provisioner start (BENCHMARKS.md); these three modules are what the index itself combines for `request`.
 * Pinned to undici 7 by package.json; a change of these paths fails the build, not a deploy.
 */
import type { Agent } from "undici";

/* eslint-disable @typescript-eslint/no-require-imports */
const AgentClass: typeof Agent = require("undici/lib/dispatcher/agent");
const Dispatcher: { prototype: object } = require("undici/lib/dispatcher/dispatcher");
const api: object = require("undici/lib/api");
/* eslint-enable @typescript-eslint/no-require-imports */

// What undici's index does: the request API lives on every dispatcher. Idempotent if the index loads too.
Object.assign(Dispatcher.prototype, api);

export function createAgent(options: Agent.Options): Agent {
  return new AgentClass(options);
}
