/** The routes of the emulated API, relative to /api/v1. Handlers run after authentication. */
import { DELETE_SUCCESS_STATUS, TEST_DELIVERIES_COUNT } from "../api/assumptions";
import { deliverTestEvent } from "./delivery";
import { emptyResponse, jsonResponse, parseJsonObject, type Route } from "./http";
import { toApiWebhook, toCreatedWebhook, type EmulatorStore } from "./store";
import { pageOf, parseCreateInput, parseUpdateInput } from "./validation";

export interface ApiContext {
  readonly store: EmulatorStore;
  readonly organization: string;
  readonly query: URLSearchParams;
  readonly body: string;
  /** EmulatorOptions.pagedWebhookList. */
  readonly pagedWebhookList: boolean;
}

export const API_ROUTES: readonly Route<ApiContext>[] = [
  {
    pattern: /^\/webhooks$/,
    methods: {
      GET: ({ store, organization, query, pagedWebhookList }) => {
        const webhooks = store.listWebhooks(organization, query.get("agent_id") ?? undefined).map(toApiWebhook);
        // Paged only when asked to: the webhook list documents no paging (assumptions.ts, 5).
        const paged = pagedWebhookList && (query.has("limit") || query.has("offset"));
        return jsonResponse(200, { webhooks: paged ? pageOf(webhooks, query) : webhooks, total: webhooks.length });
      },
      POST: ({ store, organization, body }) => {
        const input = parseCreateInput(parseJsonObject(body));
        return jsonResponse(201, toCreatedWebhook(store.createWebhook(organization, input)));
      },
    },
  },
  {
    pattern: /^\/webhooks\/([^/]+)$/,
    methods: {
      GET: ({ store, organization }, [id]) => jsonResponse(200, toApiWebhook(store.getWebhook(organization, id))),
      PUT: ({ store, organization, body }, [id]) => {
        store.getWebhook(organization, id); // an unknown id is NOT_FOUND even when the body is invalid
        const patch = parseUpdateInput(parseJsonObject(body));
        return jsonResponse(200, toApiWebhook(store.updateWebhook(organization, id, patch)));
      },
      DELETE: ({ store, organization }, [id]) => {
        store.deleteWebhook(organization, id);
        return emptyResponse(DELETE_SUCCESS_STATUS);
      },
    },
  },
  {
    pattern: /^\/webhooks\/([^/]+)\/test$/,
    methods: {
      POST: async ({ store, organization }, [id]) => {
        const webhook = store.getWebhook(organization, id);
        const outcome = await deliverTestEvent(webhook.url);
        // The webhook may have changed or gone while the delivery was in flight.
        const current = store.findWebhook(organization, id);
        if (current && TEST_DELIVERIES_COUNT) store.recordDelivery(current, outcome.success);
        return jsonResponse(200, outcome);
      },
    },
  },
  {
    pattern: /^\/agents$/,
    methods: {
      GET: ({ store, query }) => {
        const agents = store.listAgents(query.get("provider") ?? undefined);
        return jsonResponse(200, { agents: pageOf(agents, query), total: agents.length });
      },
    },
  },
  {
    pattern: /^\/agents\/([^/]+)$/,
    methods: {
      GET: ({ store }, [id]) => jsonResponse(200, store.getAgent(id)),
    },
  },
];
