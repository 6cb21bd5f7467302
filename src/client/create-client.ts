/**
 * createClient: the client's context (configuration, the one openapi-fetch client, the transport,
 * the clock), and its members: the generated methods, the hand-written ones and the conveniences,
 * each behind one guard so that no call throws.
 */
import createOpenApiClient from "openapi-fetch";
import type { paths } from "../generated/schema.js";
import { generatedMethods } from "../generated/methods.js";
import type { OperationMethods } from "../generated/method-types.js";
import { systemClock, type ClientContext, type Clock } from "../core/context.js";
import { InputError, messageOf } from "../core/errors.js";
import { readClientOptions, tokenSecrets, type ClientConfig, type ClientOptions } from "../core/options.js";
import { refused } from "../core/result.js";
import { redact } from "../core/secrets.js";
import { fetchTransport } from "../transport/fetch.js";
import type { Transport } from "../transport/transport.js";
import { conveniences, type Conveniences } from "./conveniences.js";
import { handWrittenMethods } from "../methods/hand-written.js";

export interface SpacetimeClient extends OperationMethods, Conveniences {}

/** What the entries and the tests choose beside the user's options: the transport and the clock. */
export interface ClientSetup {
  /** The transport when the user injected no `fetch` (the Node entry's undici); default: the global fetch. */
  readonly transport?: (config: ClientConfig) => Transport;
  readonly clock?: Clock;
}

export function createClientWith(options: ClientOptions | undefined, setup: ClientSetup = {}): SpacetimeClient {
  const config = readClientOptions(options);
  const transport = options?.fetch === undefined && setup.transport ? setup.transport(config) : fetchTransport(config.fetch);
  const api = createOpenApiClient<paths>({ baseUrl: config.baseUrl, fetch: (request) => transport.send(request, undefined) });
  const ctx: ClientContext = { config, api, transport, clock: setup.clock ?? systemClock, middleware: false };
  return guardAll({ ...generatedMethods(ctx), ...handWrittenMethods(ctx), ...conveniences(ctx) }, config);
}

/**
 * The one guard: every method keeps the SDK's promise whatever it is given. A throw or rejection
 * (an InputError from a check, or a bad argument's own TypeError) becomes an `invalid-input` result.
 * `use` is configuration and `raw` is openapi-fetch's own: both are left as they are.
 */
function guardAll(members: SpacetimeClient, config: ClientConfig): SpacetimeClient {
  const guarded: Record<string, unknown> = { ...members };
  // What an argument's getter or toJSON throws is foreign text: redacted with the client's token.
  const known = tokenSecrets(config.token);
  for (const [name, member] of Object.entries(members)) {
    if (typeof member !== "function" || name === "use") continue;
    const refuse = (e: unknown) => refused(name, e instanceof InputError ? e.said(known) : `invalid arguments (${redact(messageOf(e), known)})`);
    guarded[name] = (...args: unknown[]) => {
      try {
        return (member as (...a: unknown[]) => Promise<unknown>)(...args).catch(refuse);
      } catch (e) {
        return Promise.resolve(refuse(e));
      }
    };
  }
  return guarded as unknown as SpacetimeClient;
}
