/**
 * publishNewDatabase and publishDatabase: options that conflict are refused before sending (the
 * server registers a new name before it checks them), environment values become the server's
 * headers, and a 200 must be a `Success`. Loaded with the first publish.
 */
import type { ClientContext } from "../core/context.js";
import { InputError } from "../core/errors.js";
import { optionsObject } from "../core/options.js";
import type { CallPlan } from "../core/request.js";
import type { BinaryBody } from "../core/serialize.js";
import { sendPublishDatabase, sendPublishNewDatabase } from "../generated/methods.js";
import type { OperationMethods, PublishDatabaseOptions, PublishNewDatabaseOptions } from "../generated/method-types.js";

type PublishResult<K extends "publishNewDatabase" | "publishDatabase"> = Awaited<ReturnType<OperationMethods[K]>>;

/** A publish's 200 is always `Success` (PermissionDenied comes with a 401): anything else does not fit. */
const successOnly = (as: string): CallPlan["decode"] => ({
  as,
  run: (body) => {
    if (typeof body !== "object" || body === null || !("Success" in body)) throw new Error("a publish answered 200 without a Success");
    return body;
  },
});

/** The checked options, and the request's environment headers and secrets. */
async function publishOptions(options: PublishDatabaseOptions | undefined) {
  const o = optionsObject(options);
  if (o.policy === "BreakClients" && !o.migrationToken) throw new InputError("policy BreakClients needs the migrationToken from prePublish");
  if (o.clear && o.parent !== undefined) throw new InputError("clear cannot be combined with parent");
  if (o.environment === undefined && o.removeEnvironment === undefined) return { options: o, secrets: [] };
  const { header, secrets } = (await import("./environment.js")).publishHeaders(o);
  return { options: { ...o, ...header }, secrets };
}

export async function publishNewDatabase(ctx: ClientContext, module: BinaryBody, options?: PublishNewDatabaseOptions): Promise<PublishResult<"publishNewDatabase">> {
  const { options: o, secrets } = await publishOptions(options);
  return sendPublishNewDatabase(ctx, { decode: successOnly("publishNewDatabase"), secrets }, module, o) as never;
}

export async function publishDatabase(ctx: ClientContext, nameOrIdentity: string, module: BinaryBody, options?: PublishDatabaseOptions, plan: CallPlan = {}): Promise<PublishResult<"publishDatabase">> {
  const { options: o, secrets } = await publishOptions(options);
  return sendPublishDatabase(ctx, { ...plan, decode: successOnly("publishDatabase"), secrets }, nameOrIdentity, module, o) as never;
}
