/** Declarations for `user-checks.js` (plain JavaScript, run as is by Node, Bun, Deno and workerd). */
import type { SmokeCheck } from "./smoke.js";

export const BEARER_TOKEN: string;
export const IDENTITY_TOKEN: string;
export const HEADER_TOKEN: string;
export const TOKENS: string[];
export const NEW_IDENTITY: string;
export const ECHO_DB: string;
export const PROBE_PREFIX: string;
export const SHOWN_PREFIX: string;

/** The groups of checks a probe runs, each becoming tests of its own. */
export type GroupName = "calls" | "inspection" | "copies" | "uploads";

/** The `PROBE_RESULT` line's JSON. */
export interface ProbeResult {
  runtime: string;
  system: "import" | "require";
  /** Entry (`main`, `node`, `codegen`) → the file the runtime loaded. */
  resolved: Record<string, string>;
  /** Entry → its export names at run time, sorted. */
  exports: Record<string, string[]>;
  groups: Record<GroupName, SmokeCheck[]>;
}
export function uploadRedirectMode(): "error" | "manual";
