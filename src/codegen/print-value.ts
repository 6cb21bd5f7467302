/** JSON-like values (the embedded module definition, the name table) written as TypeScript literals. */
import { stringLiteral } from "./escape.js";
import { propertyKey } from "./names.js";

const MAX_WIDTH = 110;

/** A JSON-like value as a TypeScript literal: one line when it fits, else one item a line, indented by two. */
export function printValue(v: unknown, indent: number, prefix = 0): string {
  const flat = printFlat(v, MAX_WIDTH - indent - prefix);
  if (flat !== undefined) return flat;
  const pad = " ".repeat(indent + 2);
  const close = " ".repeat(indent);
  if (Array.isArray(v)) return `[\n${v.map((x) => `${pad}${printValue(x, indent + 2, 1)},`).join("\n")}\n${close}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return `{\n${entries.map(([k, x]) => `${pad}${key(k)}: ${printValue(x, indent + 2, key(k).length + 3)},`).join("\n")}\n${close}}`;
}

/** `__proto__` as a computed key, so that the object gets an own property and keeps its prototype. */
const key = (k: string) => (k === "__proto__" ? '["__proto__"]' : propertyKey(k));

/**
 * The value on one line, or undefined when an array or object would take more than `room` characters:
 * it stops there, so that printing a large value costs time in proportion to its size.
 */
function printFlat(v: unknown, room: number): string | undefined {
  if (v === undefined) return "undefined";
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "string") return stringLiteral(v);
  if (typeof v !== "object" || v === null) return JSON.stringify(v);
  const items: string[] = [];
  let length = Array.isArray(v) ? 0 : 2; // with each item's ", ": the length of `[…]` or `{ … }` so far
  for (const [k, x] of Array.isArray(v) ? v.map((x) => [undefined, x] as const) : Object.entries(v)) {
    const flat = printFlat(x, room - length);
    if (flat === undefined) return undefined;
    const item = k === undefined ? flat : `${key(k)}: ${flat}`;
    length += item.length + 2;
    if (length > room) return undefined;
    items.push(item);
  }
  if (items.length === 0) return Array.isArray(v) ? "[]" : "{}";
  return Array.isArray(v) ? `[${items.join(", ")}]` : `{ ${items.join(", ")} }`;
}
