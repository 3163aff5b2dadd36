/**
 * Programs and request counts for the end-to-end tests of the provider engine (test/e2e/provider-engine):
 * a PreclinicalConnection that names its engine, a sensitive variable for the webhook secret, and the
 * webhooks the test declares, with optional outputs of their ids.
 */
import { TerraformOutput, TerraformVariable, type TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook, type PreclinicalWebhookProps } from "../../src";
import type { RequestLogEntry } from "../../src/emulator";
import { AGENT_A } from "./agents";
import type { Program } from "./terraform";
import { SECRET_VARIABLE } from "./webhook-config";

/** One webhook of a program: its construct id, its props, and whether it takes the secret from the variable. */
export type Decl = { id: string } & Omit<PreclinicalWebhookProps, "connection" | "secret"> & {
    readonly withSecret?: boolean;
    /** An output named `<id>_id` with the webhook's id (provider engine only). */
    readonly outputId?: boolean;
    /** `hook.webhookResource.importFrom(<this>)`: an import block (provider engine only). */
    readonly importFrom?: string;
  };

/**
 * The webhooks most of these tests declare: `org`, organization-level, with a description, the secret from the
 * variable and an output of its id; `triage`, AGENT_A's, with none of those.
 */
export const WEBHOOKS: Readonly<Record<"org" | "triage", Decl>> = {
  org: { id: "org", url: "https://hooks.example.com/org", description: "All agents", withSecret: true, outputId: true },
  triage: { id: "triage", url: "https://hooks.example.com/triage", agentId: AGENT_A },
};

export interface ProgramOptions {
  /** Always given explicitly: the default engine may change. */
  readonly engine: PreclinicalEngine;
  readonly apiUrl: string;
  /** Declares the secret's variable ephemeral (Terraform 1.10+): then webhooks must set `secretVersion`. */
  readonly ephemeralSecret?: boolean;
  /** The connection's `requestTimeoutMs`; default 2000. */
  readonly requestTimeoutMs?: number;
}

/** A program that declares `decls` on one connection, with the secret from a sensitive TerraformVariable. */
export function webhookProgram(
  { engine, apiUrl, ephemeralSecret, requestTimeoutMs = 2000 }: ProgramOptions,
  ...decls: Decl[]
): Program {
  return (stack: TerraformStack) => {
    const connection = new PreclinicalConnection(stack, "preclinical", {
      engine,
      apiUrl,
      requestTimeoutMs,
      deadlineMs: 10000,
    });
    const secret = new TerraformVariable(stack, SECRET_VARIABLE, { type: "string", sensitive: true });
    // cdktf has no prop for it yet.
    if (ephemeralSecret) secret.addOverride("ephemeral", true);
    for (const { id, withSecret, outputId, importFrom, ...props } of decls) {
      const hook = new PreclinicalWebhook(stack, id, {
        ...props,
        connection,
        ...(withSecret ? { secret: secret.stringValue } : {}),
      });
      if (outputId) new TerraformOutput(stack, `${id}_id`, { value: hook.webhookId });
      if (importFrom !== undefined) hook.webhookResource.importFrom(importFrom);
    }
  };
}

/** The write requests of a log, counted by method. */
export function writeCounts(log: readonly RequestLogEntry[]): { POST: number; PUT: number; DELETE: number } {
  const count = (method: string) => log.filter((r) => r.method === method).length;
  return { POST: count("POST"), PUT: count("PUT"), DELETE: count("DELETE") };
}
