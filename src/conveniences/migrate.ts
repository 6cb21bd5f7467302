/** publishWithMigration: publish the way `spacetime publish` does, with the server's migration check. */
import type { ClientContext } from "../core/context.js";
import { InputError } from "../core/errors.js";
import { optionsObject, type CallOptions } from "../core/options.js";
import { withCall } from "../core/request.js";
import { failure, type Result } from "../core/result.js";
import { sendPrePublish } from "../generated/methods.js";
import type { PublishDatabaseOptions } from "../generated/method-types.js";
import type { HostType, PublishSuccess } from "../methods/options.js";
import type { PrePublishResult } from "../generated/schema.js";

export interface MigrationOptions extends CallOptions {
  hostType?: HostType | undefined;
  /** Publish even when the migration breaks existing clients (`policy=BreakClients`). */
  allowBreakingClients?: boolean | undefined;
  /** Ask for the plan without ANSI colour codes (and strip any left). */
  stripAnsi?: boolean | undefined;
  numReplicas?: number | undefined;
  parent?: string | undefined;
  organization?: string | undefined;
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

/** Whether pre_publish answered a plan this reads: an automatic one with its text and flag, or a manual one with its reason. */
function isMigrationPlan(plan: unknown): plan is PrePublishResult {
  const field = (key: string) => (typeof plan === "object" && plan !== null ? (plan as Record<string, unknown>)[key] : undefined) as Record<string, unknown> | null | undefined;
  const auto = field("AutoMigrate");
  const manual = field("ManualMigrate");
  if (typeof auto === "object" && auto !== null) return typeof auto.migrate_plan === "string" && typeof auto.break_clients === "boolean";
  return typeof manual === "object" && manual !== null && typeof manual.reason === "string";
}

/**
 * pre_publish first; a 404 there means a new database, published directly; an automatic migration
 * is applied (breaking clients only when allowed); a manual one is refused and nothing is published.
 * Never retried: `module` must be bytes or a Blob, since it is sent twice.
 */
export async function publishWithMigration(ctx: ClientContext, nameOrIdentity: string, module: Uint8Array | ArrayBuffer | Blob, options?: MigrationOptions): Promise<Result<MigrationOutcome>> {
  if (!(module instanceof Uint8Array || module instanceof ArrayBuffer || (typeof Blob !== "undefined" && module instanceof Blob))) {
    throw new InputError("module must be a Uint8Array, ArrayBuffer or Blob (it is sent twice)");
  }
  const o = optionsObject(options);
  const { publishDatabase } = await import("../methods/publishing.js");
  const publishOptions: PublishDatabaseOptions = { retry: false, hostType: o.hostType, numReplicas: o.numReplicas, parent: o.parent, organization: o.organization };
  // One call: the deadline (none by default, as publish has none) and the token cover both requests.
  return withCall(
    ctx,
    "publishWithMigration",
    { ...o, retry: false },
    async (call): Promise<Result<MigrationOutcome>> => {
      const check = await sendPrePublish(ctx, { call }, nameOrIdentity, module, { hostType: o.hostType, style: o.stripAnsi ? "NoColor" : undefined });
      if (!check.ok) {
        if (check.error.kind !== "http" || check.error.status !== 404) return check;
        const created = await publishDatabase(ctx, nameOrIdentity, module, publishOptions, { call });
        return created.ok ? { ok: true, data: { published: created.data }, meta: created.meta } : created;
      }
      const plan = check.data;
      if (!isMigrationPlan(plan)) {
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
      const published = await publishDatabase(ctx, nameOrIdentity, module, { ...publishOptions, ...breaking }, { call });
      if (!published.ok) return published;
      return { ok: true, data: { published: published.data, plan: planText, breakClients: auto.break_clients }, meta: published.meta };
    },
    true,
  );
}
