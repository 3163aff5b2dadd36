/**
 * The part of undici the client uses: a pooling Agent and its `request` method. undici's package index also
 * loads fetch, WebSocket, EventSource, caches, interceptors and mocks, which slow every provisioner start
 * (BENCHMARKS.md, "What changed", 2); these three modules are what the index itself combines for `request`.
 * They are internal paths, so package.json allows patch releases only (`~7.30.2`): a minor upgrade that
 * moves them must be made on purpose, and the bundle build and the client tests fail if they move.
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
