/** A publish's query parameters and environment headers, checked before anything is sent. Loaded with the first publish. */
import { InputError, type Query } from "./core/index.js";
import type { PublishOptions } from "./client.js";

/** The query (options that conflict are refused) and, when there are environment values, their headers. */
export async function publishParams(o: PublishOptions) {
  if (o.policy === "BreakClients" && !o.migrationToken) throw new InputError("policy BreakClients needs the migrationToken from prePublish");
  if (o.clear && o.parent !== undefined) throw new InputError("clear cannot be combined with parent");
  const query = {
    clear: o.clear,
    num_replicas: o.numReplicas,
    host_type: o.hostType,
    parent: o.parent,
    organization: o.organization,
    token: o.migrationToken,
    policy: o.policy,
    update_confirmation_timeout: o.updateConfirmationTimeout,
  } satisfies Query<"publishDatabase"> & Query<"publishNewDatabase">;
  if (o.environment === undefined && o.removeEnvironment === undefined) return { query, header: {}, values: {}, hiding: undefined };
  return { query, ...(await import("./environment.js")).publishHeaders(o) };
}
