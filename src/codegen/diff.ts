/** A short, human summary of how a generated file on disk differs from what the generator would write. */
import { escapeText } from "./escape.js";

const DECL = /^export (?:interface|type|function|const) ([\w$]+)/;
const MEMBER = /^ {2}([\w$"]+)(?:\(|\??:)/;

/** Exported declarations and, inside them, members (`Decl.member`), in file order. */
function outline(text: string): string[] {
  const names: string[] = [];
  let current: string | undefined;
  for (const line of text.split("\n")) {
    const decl = DECL.exec(line);
    if (decl) {
      current = decl[1]!;
      names.push(current);
      continue;
    }
    if (line === "}" || line === "};") current = undefined;
    const member = current === undefined ? null : MEMBER.exec(line);
    if (member) names.push(`${current}.${member[1]!.replace(/"/g, "")}`);
  }
  return names;
}

/**
 * Empty when the texts are equal; else a few lines: what was added and removed (by exported name
 * and member) and the first line that differs, clipped and escaped (a file's text is printed as is
 * nowhere: it may hold terminal escapes).
 */
export function summarizeDifference(onDisk: string | undefined, wanted: string): string[] {
  if (onDisk === wanted) return [];
  if (onDisk === undefined) return ["the file does not exist"];
  const lines: string[] = [];
  const before = new Set(outline(onDisk));
  const after = new Set(outline(wanted));
  const added = [...after].filter((n) => !before.has(n));
  const removed = [...before].filter((n) => !after.has(n));
  const list = (xs: string[]) => (xs.length > 8 ? `${xs.slice(0, 8).join(", ")} and ${xs.length - 8} more` : xs.join(", "));
  if (added.length > 0) lines.push(`added: ${list(added)}`);
  if (removed.length > 0) lines.push(`removed: ${list(removed)}`);
  const a = onDisk.split("\n");
  const b = wanted.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const clip = (s: string | undefined) => (s === undefined ? "(end of file)" : escapeText(s.length > 100 ? `${s.slice(0, 100)}…` : s));
  let changed = 0;
  for (let j = 0; j < Math.max(a.length, b.length); j++) if (a[j] !== b[j]) changed++;
  lines.push(`first difference at line ${i + 1} (${changed} line${changed === 1 ? "" : "s"} differ):`, `  on disk: ${clip(a[i])}`, `  wanted:  ${clip(b[i])}`);
  return lines;
}
