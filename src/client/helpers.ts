/** Small helpers for what the SDK returns: JSON text with exact bigints, and one identity form. */
import { writeJson } from "../core/serialize.js";

/**
 * `JSON.stringify` that writes bigints as their exact digits (JSON.stringify throws on a bigint).
 * For logging decoded rows: `console.log(toJson(rows, 2))`. Parse it back with a lossless reader
 * if the digits matter: `JSON.parse` turns numbers past 2^53 into approximations.
 */
export function toJson(value: unknown, space?: number | string): string {
  return writeJson(value, space) as string;
}

/**
 * Any identity form the server or the SDK gives, as 64 lowercase hex digits: bare hex (as
 * `createIdentity` returns it), `"0x…"` (a SATS u256), or `{ "__identity__": "0x…" }` (as
 * `getDatabase` returns owners and databases). Throws a TypeError for anything else.
 */
export function normalizeIdentity(identity: string | { readonly __identity__: string }): string {
  const text = typeof identity === "object" && identity !== null ? identity.__identity__ : identity;
  const hex = typeof text === "string" ? text.replace(/^0x/i, "") : "";
  if (!/^[0-9a-fA-F]{1,64}$/.test(hex)) throw new TypeError(`normalizeIdentity: not an identity: ${JSON.stringify(identity)?.slice(0, 80)}`);
  return hex.toLowerCase().padStart(64, "0");
}
