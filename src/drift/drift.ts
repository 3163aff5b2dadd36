/**
 * Drift detection: compares what Terraform last applied (from `terraform show -json`) with what the
 * Preclinical API holds now. Provisioners cannot refresh, so `terraform plan` never sees a change made in
 * the UI; this check does. The secret cannot be read back from the API, so it is never compared.
 */
import { PreclinicalClient } from "../api/client";
import { describeScope } from "../api/scope";
import type { Webhook } from "../api/schemas";
import { LEDGER_ID, Trigger, decodeLedgerEntry, scopeKey, type LedgerEntry } from "../provisioner/protocol";

/** A webhook as Terraform last applied it. */
export interface AppliedWebhook extends LedgerEntry {
  /** The Terraform address of its config resource (the one to `-replace` to converge it again). */
  readonly address: string;
  /** The construct path, when the stack's ledger records it. */
  readonly path?: string;
  readonly url: string;
  readonly description: string | null;
  readonly isEnabled: boolean;
  readonly hasSecret: boolean;
}

export enum DriftStatus {
  IN_SYNC = "in_sync",
  CHANGED = "changed",
  DELETED = "deleted",
  UNMANAGED = "unmanaged",
}

export interface FieldChange {
  readonly field: "url" | "description" | "is_enabled";
  readonly applied: string | boolean | null;
  readonly live: string | boolean | null;
}

export interface DriftItem {
  readonly status: DriftStatus;
  readonly scope: string;
  readonly apiUrl: string;
  readonly path?: string;
  readonly address?: string;
  readonly webhookId?: string;
  readonly changes: readonly FieldChange[];
  /** What to do about it, for people. */
  readonly action?: string;
}

export interface DriftReport {
  readonly items: readonly DriftItem[];
  /** True when any item is not in sync (unmanaged webhooks count unless ignored). */
  readonly drifted: boolean;
  readonly notes: readonly string[];
}

export const SECRET_NOTE =
  "Secrets are not compared: the Preclinical API never returns a webhook's secret. To be sure of it, rotate it " +
  "through the stack (change the variable and deploy).";

interface ShowResource {
  address?: string;
  type?: string;
  values?: { triggers_replace?: unknown; triggers?: unknown };
}
interface ShowModule {
  resources?: ShowResource[];
  child_modules?: ShowModule[];
}

/** Reads the applied webhooks from the JSON of `terraform show -json` (state, not plan). */
export function appliedWebhooks(show: unknown): AppliedWebhook[] {
  const root = (show as { values?: { root_module?: ShowModule } })?.values?.root_module;
  const resources: ShowResource[] = [];
  const walk = (mod: ShowModule | undefined) => {
    if (!mod) return;
    resources.push(...(mod.resources ?? []));
    (mod.child_modules ?? []).forEach(walk);
  };
  walk(root);

  const triggersOf = (r: ShowResource): Record<string, unknown> | undefined => {
    if (r.type !== "terraform_data" && r.type !== "null_resource") return undefined;
    const t = r.values?.triggers_replace ?? r.values?.triggers;
    return t && typeof t === "object" ? (t as Record<string, unknown>) : undefined;
  };

  // The ledgers map construct paths to scopes; their values are JSON entries.
  const pathByScope = new Map<string, string>();
  for (const r of resources) {
    const t = triggersOf(r);
    if (!t || !r.address?.includes(LEDGER_ID)) continue;
    for (const [path, value] of Object.entries(t)) {
      if (typeof value === "string") pathByScope.set(scopeKey(decodeLedgerEntry(value)), path);
    }
  }

  const applied: AppliedWebhook[] = [];
  for (const r of resources) {
    const t = triggersOf(r);
    const text = (key: string) => (typeof t?.[key] === "string" ? (t[key] as string) : undefined);
    const [url, apiUrl, apiKeyEnvVar] = [text(Trigger.URL), text(Trigger.API_URL), text(Trigger.API_KEY_ENV_VAR)];
    if (url === undefined || apiUrl === undefined || apiKeyEnvVar === undefined) continue;
    const entry: LedgerEntry = { apiUrl, apiKeyEnvVar, agentId: text(Trigger.AGENT_ID) || null };
    applied.push({
      ...entry,
      address: r.address ?? "(unknown address)",
      path: pathByScope.get(scopeKey(entry)),
      url,
      description: text(Trigger.DESCRIPTION) ?? null,
      isEnabled: text(Trigger.IS_ENABLED) !== "false",
      hasSecret: t?.[Trigger.SECRET_FINGERPRINT] !== undefined,
    });
  }
  return applied;
}

/** Compares the applied webhooks with the API. `clientFor` gives the client of one organization. */
export async function checkDrift(
  applied: readonly AppliedWebhook[],
  clientFor: (entry: LedgerEntry) => PreclinicalClient,
  options: { ignoreUnmanaged?: boolean } = {},
): Promise<DriftReport> {
  const items: DriftItem[] = [];
  const organizations = new Map<string, { entry: LedgerEntry; webhooks: AppliedWebhook[] }>();
  for (const w of applied) {
    const key = scopeKey({ ...w, agentId: null });
    const org = organizations.get(key) ?? { entry: w, webhooks: [] };
    org.webhooks.push(w);
    organizations.set(key, org);
  }

  for (const { entry, webhooks } of organizations.values()) {
    const live = await clientFor(entry).listWebhooks();
    const liveByScope = new Map(live.map((l) => [l.agent_id?.toLowerCase() ?? "", l]));
    for (const w of webhooks) {
      const scope = w.agentId?.toLowerCase() ?? "";
      const current = liveByScope.get(scope);
      liveByScope.delete(scope);
      items.push(compare(w, current));
    }
    if (!options.ignoreUnmanaged) {
      for (const other of liveByScope.values()) {
        items.push({
          status: DriftStatus.UNMANAGED,
          scope: describeScope(other.agent_id),
          apiUrl: entry.apiUrl,
          webhookId: other.id,
          changes: [],
          action:
            "Not declared in this stack. Declare it (with adoptExisting: true) or delete it in the Preclinical UI.",
        });
      }
    }
  }
  const notes = applied.some((w) => w.hasSecret) ? [SECRET_NOTE] : [];
  return { items, drifted: items.some((i) => i.status !== DriftStatus.IN_SYNC), notes };
}

function compare(applied: AppliedWebhook, live: Webhook | undefined): DriftItem {
  const base = {
    scope: describeScope(applied.agentId),
    apiUrl: applied.apiUrl,
    path: applied.path,
    address: applied.address,
  };
  const command = `terraform apply -replace='${applied.address}'`;
  const reapply = `Run \`${command}\` in the stack folder to restore the declared webhook.`;
  if (!live) {
    return { ...base, status: DriftStatus.DELETED, changes: [], action: `Deleted out of band. ${reapply}` };
  }
  const changes: FieldChange[] = [];
  if (live.url !== applied.url) changes.push({ field: "url", applied: applied.url, live: live.url });
  if ((live.description ?? null) !== applied.description) {
    changes.push({ field: "description", applied: applied.description, live: live.description ?? null });
  }
  if (live.is_enabled !== applied.isEnabled)
    changes.push({ field: "is_enabled", applied: applied.isEnabled, live: live.is_enabled });
  if (changes.length === 0) return { ...base, status: DriftStatus.IN_SYNC, webhookId: live.id, changes };
  return {
    ...base,
    status: DriftStatus.CHANGED,
    webhookId: live.id,
    changes,
    action: `Changed out of band. ${reapply}`,
  };
}

/** The report as a table for people. */
export function formatReport(report: DriftReport): string {
  const rows = report.items.map((i) => [
    i.status.replace("_", " "),
    i.scope,
    i.path ?? i.address ?? "-",
    i.webhookId ?? "-",
    i.changes.map((c) => `${c.field}: applied ${JSON.stringify(c.applied)}, live ${JSON.stringify(c.live)}`).join("; "),
  ]);
  const header = ["STATUS", "SCOPE", "CONSTRUCT", "WEBHOOK ID", "CHANGES"];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, col) => c.padEnd(widths[col]))
      .join("  ")
      .trimEnd();
  const out = [line(header), ...rows.map(line)];
  const actions = report.items.filter((i) => i.action).map((i) => `- ${i.path ?? i.webhookId}: ${i.action}`);
  if (actions.length) out.push("", ...actions);
  if (report.notes.length) out.push("", ...report.notes);
  const drifted = report.items.filter((i) => i.status !== DriftStatus.IN_SYNC).length;
  out.push(
    "",
    report.drifted
      ? `Drift found in ${drifted} of ${report.items.length} webhooks.`
      : `All ${report.items.length} webhooks are in sync.`,
  );
  return out.join("\n");
}
