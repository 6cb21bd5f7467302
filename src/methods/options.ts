/**
 * Option and result types of the hand-written methods, beside the generated ones
 * (src/generated/methods.ts). Types only, from the spec's types: nothing here imports the client.
 */
import type { components } from "../generated/schema.js";

type Schemas = components["schemas"];

/** A successful publish: the database's identity, its name, and what happened. */
export type PublishSuccess = Extract<Schemas["PublishResult"], { Success: unknown }>;

/** Where the server runs the module: `Wasm` (default) or `Js`, as the spec names them. */
export type HostType = "Wasm" | "Js";

/** A publish's environment (servers 2.12+), written into the server's `spacetime-environment` headers. */
export interface PublishEnvironmentOptions {
  /**
   * Environment values to store with the module. Keys, sizes and counts are checked before sending;
   * values never appear in an error, and the request follows no redirect.
   */
  environment?: Readonly<Record<string, string>> | undefined;
  /** Stored environment keys to delete, or `"*"` to replace the whole environment with `environment`. */
  removeEnvironment?: readonly string[] | "*" | undefined;
}

/** The keys updateDatabaseEnvironment deletes. */
export interface EnvironmentRemoveOptions {
  /** Stored keys to delete (not `"*"`: to replace everything, use setDatabaseEnvironment). */
  remove?: readonly string[] | undefined;
}
