/**
 * The methods whose behaviour is more than one request; scripts/method-exceptions.json says why of
 * each. They call the generated send functions of their operations; publishing and environment
 * helpers load with their first call.
 */
import { onFirstCall, type ClientContext } from "../core/context.js";
import { optionsObject } from "../core/options.js";
import { withCall, type Call } from "../core/request.js";
import { sendSchema, sendVerifyIdentity, type HandWrittenMethods } from "../generated/methods.js";
import type { SchemaOptions } from "../generated/method-types.js";

type SchemaResult = Awaited<ReturnType<HandWrittenMethods["schema"]>>;

/** The module's schema: version 10, falling back to 9 on a 4xx as the CLI does (or the version asked for). */
export async function fetchSchema(ctx: ClientContext, nameOrIdentity: string, options: SchemaOptions | undefined, call: Call): Promise<SchemaResult> {
  const o = optionsObject(options);
  if (o.version !== undefined) return sendSchema(ctx, { call }, nameOrIdentity, o);
  const v10 = await sendSchema(ctx, { call }, nameOrIdentity, { ...o, version: 10 });
  const status = v10.ok ? 0 : (v10.error.status ?? 0);
  return status >= 400 && status < 500 ? sendSchema(ctx, { call }, nameOrIdentity, { ...o, version: 9 }) : v10;
}

export function handWrittenMethods(ctx: ClientContext): HandWrittenMethods {
  return {
    verifyIdentity: async (identity, options) => {
      const result = await sendVerifyIdentity(ctx, undefined, identity, options);
      if (result.ok) return { ok: true, data: true, meta: result.meta };
      const { error, meta } = result;
      // An empty 400: the token is valid but belongs to another identity.
      if (error.kind === "http" && error.status === 400 && error.body === undefined && meta) return { ok: true, data: false, meta };
      return result;
    },
    schema: (nameOrIdentity, options) => withCall(ctx, "schema", options, (call) => fetchSchema(ctx, nameOrIdentity, options, call)),
    publishNewDatabase: onFirstCall(ctx, () => import("./publishing.js").then((m) => m.publishNewDatabase)),
    publishDatabase: onFirstCall(ctx, () => import("./publishing.js").then((m) => m.publishDatabase)),
    setDatabaseEnvironment: onFirstCall(ctx, () => import("./environment.js").then((m) => m.setEnvironment)),
    updateDatabaseEnvironment: onFirstCall(ctx, () => import("./environment.js").then((m) => m.updateEnvironment)),
  };
}
