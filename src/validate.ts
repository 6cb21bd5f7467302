/** Checks values against the spec's rules before anything is sent. Each check returns a message or undefined. */
import type { ValueRule } from "./operation.js";

const regexCache = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) regexCache.set(pattern, (re = new RegExp(pattern, "u")));
  return re;
}

function describe(value: unknown): string {
  if (typeof value === "string") return value.length > 80 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/** Why `value` breaks `rule`, or undefined when it fits. */
export function checkValue(name: string, value: unknown, rule: ValueRule | undefined): string | undefined {
  if (!rule) return undefined;
  const types = rule.type === undefined ? [] : typeof rule.type === "string" ? [rule.type] : rule.type;
  if (types.includes("boolean")) {
    return typeof value === "boolean" ? undefined : `${name} must be true or false, not ${describe(value)}`;
  }
  if (types.includes("integer") || types.includes("number")) {
    const isInt = typeof value === "bigint" || (typeof value === "number" && Number.isInteger(value));
    if (!isInt && types.includes("integer")) return `${name} must be an integer, not ${describe(value)}`;
    if (!isInt && typeof value !== "number") return `${name} must be a number, not ${describe(value)}`;
    const n = value as number | bigint;
    if (rule.minimum !== undefined && n < rule.minimum) return `${name} must be at least ${rule.minimum}, not ${n}`;
    if (rule.maximum !== undefined && n > rule.maximum) return `${name} must be at most ${rule.maximum}, not ${n}`;
    if (rule.enum && !rule.enum.includes(Number(n))) return `${name} must be one of ${rule.enum.join(", ")}, not ${n}`;
    return undefined;
  }
  if (typeof value !== "string") return `${name} must be a string, not ${describe(value)}`;
  if (rule.enum && !rule.enum.includes(value)) return `${name} must be one of ${rule.enum.join(", ")}, not ${describe(value)}`;
  if (rule.pattern && !regex(rule.pattern).test(value)) return `${name} ${describe(value)} does not match ${rule.pattern}`;
  if (rule.notPattern && regex(rule.notPattern).test(value)) return `${name} ${describe(value)} must not match ${rule.notPattern}`;
  return undefined;
}

/**
 * Percent-encodes one path segment. Empty, `.` and `..` are refused: a URL parser would drop or
 * collapse them, so the request would reach another route.
 */
export function encodeSegment(name: string, value: unknown): string | { error: string } {
  if (typeof value !== "string") return { error: `${name} must be a string, not ${describe(value)}` };
  if (value === "" || value === "." || value === "..") return { error: `${name} must not be ${describe(value)}` };
  return encodeURIComponent(value);
}
