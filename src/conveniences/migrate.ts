/** publishWithMigration: publish the way `spacetime publish` does, with the server's migration check. */
import { InputError, failure, optionsObject, type CallOptions, type Result } from "../core/index.js";
import type { HostType, PublishOptions, PublishSuccess, SpacetimeClient } from "../client.js";

export interface MigrationOptions extends CallOptions {
  hostType?: HostType;
  /** Publish even when the migration breaks existing clients (`policy=BreakClients`). */
  allowBreakingClients?: boolean;
  /** Ask for the plan without ANSI colour codes (and strip any left). */
  stripAnsi?: boolean;
  numReplicas?: number;
  parent?: string;
  organization?: string;
}

export interface MigrationOutcome {
  /** What publish answered. */
  published: PublishSuccess;
  /** The migration plan, absent when the database was new. */
  plan?: string;
  /** Whether the migration breaks existing clients. */
  breakClients?: boolean;
}

const ANSI = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * pre_publish first; a 404 there means a new database, published directly; an automatic migration
 * is applied (breaking clients only when allowed); a manual one is refused and nothing is published.
 * Never retried: `module` must be bytes or a Blob, since it is sent twice.
 */
export async function publishWithMigration(
  client: Pick<SpacetimeClient, "prePublish" | "publishDatabase">,
  nameOrIdentity: string,
  module: Uint8Array | ArrayBuffer | Blob,
  options?: MigrationOptions,
): Promise<Result<MigrationOutcome>> {
  if (!(module instanceof Uint8Array || module instanceof ArrayBuffer || (typeof Blob !== "undefined" && module instanceof Blob))) {
    throw new InputError("module must be a Uint8Array, ArrayBuffer or Blob (it is sent twice)");
  }
  const o = optionsObject(options);
  const calls: CallOptions = { token: o.token, signal: o.signal, timeoutMs: o.timeoutMs, headers: o.headers, retry: false };
  const publishOptions: PublishOptions = { ...calls, hostType: o.hostType, numReplicas: o.numReplicas, parent: o.parent, organization: o.organization };
  const check = await client.prePublish(nameOrIdentity, module, { ...calls, hostType: o.hostType, style: o.stripAnsi ? "NoColor" : undefined });
  if (!check.ok) {
    if (check.error.kind !== "http" || check.error.status !== 404) return check;
    const created = await client.publishDatabase(nameOrIdentity, module, publishOptions);
    return created.ok ? { ok: true, data: { published: created.data }, meta: created.meta } : created;
  }
  const plan = check.data;
  if (typeof plan !== "object" || plan === null || !("AutoMigrate" in plan || "ManualMigrate" in plan)) {
    return failure("publishWithMigration", "parse", "pre_publish answered something that is not a migration plan; nothing was published", { status: check.meta.status, meta: check.meta });
  }
  if ("ManualMigrate" in plan) {
    const message = `the update needs a manual migration, nothing was published: ${plan.ManualMigrate.reason}`;
    return failure("publishWithMigration", "http", message, { status: check.meta.status, body: plan, meta: check.meta });
  }
  const auto = plan.AutoMigrate;
  const planText = o.stripAnsi ? auto.migrate_plan.replace(ANSI, "") : auto.migrate_plan;
  if (auto.break_clients && !o.allowBreakingClients) {
    const message = `the migration breaks existing clients; pass allowBreakingClients to publish anyway. Plan:\n${planText}`;
    return failure("publishWithMigration", "invalid-input", `${message}\nNothing was published.`, { body: plan, meta: check.meta });
  }
  const breaking = auto.break_clients ? { policy: "BreakClients" as const, migrationToken: auto.token } : {};
  const published = await client.publishDatabase(nameOrIdentity, module, { ...publishOptions, ...breaking });
  if (!published.ok) return published;
  return { ok: true, data: { published: published.data, plan: planText, breakClients: auto.break_clients }, meta: published.meta };
}
