/**
 * A tokenizer for Rust source, just enough to read axum routers: identifiers, string literals
 * (plain, raw, byte), other literals, punctuation, and bracket groups nested into trees.
 * Comments (nested block comments and doc comments included) are dropped. `<`/`>` are not grouped:
 * whether they are generics or comparisons is for the reader to decide.
 */

export type Token =
  | { kind: "ident"; text: string; line: number }
  | { kind: "punct"; text: string; line: number }
  | { kind: "str"; text: string; line: number }
  | { kind: "lit"; text: string; line: number }
  | { kind: "group"; delim: "(" | "[" | "{"; children: Token[]; line: number };

/** Longest first; `>>` and `<<` are left as two tokens so that nested generics close one at a time. */
const PUNCTS = ["..=", "...", "::", "->", "=>", "..", "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "|=", "&="];
const CLOSERS: Record<string, "(" | "[" | "{"> = { ")": "(", "]": "[", "}": "{" };

export function tokenize(source: string): Token[] {
  const root: Token[] = [];
  const stack: { delim: "(" | "[" | "{"; children: Token[]; line: number }[] = [];
  const out = () => (stack.length ? stack[stack.length - 1]!.children : root);
  let i = 0;
  let line = 1;
  const n = source.length;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (source[k] === "\n") line++;
    i = to;
  };

  while (i < n) {
    const c = source[i]!;
    const start = line;
    if (c === "\n" || c === " " || c === "\t" || c === "\r") {
      advance(i + 1);
    } else if (source.startsWith("//", i)) {
      const end = source.indexOf("\n", i);
      advance(end === -1 ? n : end);
    } else if (source.startsWith("/*", i)) {
      advance(blockCommentEnd(source, i));
    } else if (/[A-Za-z_]/.test(c)) {
      const literal = prefixedLiteralEnd(source, i);
      if (literal) {
        out().push({ kind: "str", text: literal.value, line: start });
        advance(literal.end);
        continue;
      }
      if (source.startsWith("r#", i) && /[A-Za-z_]/.test(source[i + 2] ?? "")) advance(i + 2); // raw identifier r#type
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256))!;
      out().push({ kind: "ident", text: m[0], line: start });
      advance(i + m[0].length);
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9][A-Za-z0-9_]*(\.[0-9][A-Za-z0-9_]*)?/.exec(source.slice(i, i + 256))!;
      out().push({ kind: "lit", text: m[0], line: start });
      advance(i + m[0].length);
    } else if (c === '"') {
      const { value, end } = quotedString(source, i);
      out().push({ kind: "str", text: value, line: start });
      advance(end);
    } else if (c === "'") {
      const end = charLiteralEnd(source, i);
      if (end) {
        out().push({ kind: "lit", text: source.slice(i, end), line: start });
        advance(end);
      } else {
        const m = /^'[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i, i + 256));
        out().push({ kind: "lit", text: m ? m[0] : "'", line: start }); // a lifetime
        advance(i + (m ? m[0].length : 1));
      }
    } else if (c === "(" || c === "[" || c === "{") {
      stack.push({ delim: c, children: [], line: start });
      advance(i + 1);
    } else if (c === ")" || c === "]" || c === "}") {
      const open = stack.pop();
      if (!open || open.delim !== CLOSERS[c]) throw new Error(`unbalanced '${c}' at line ${start}`);
      out().push({ kind: "group", delim: open.delim, children: open.children, line: open.line });
      advance(i + 1);
    } else {
      const p = PUNCTS.find((q) => source.startsWith(q, i)) ?? c;
      out().push({ kind: "punct", text: p, line: start });
      advance(i + p.length);
    }
  }
  if (stack.length) throw new Error(`unclosed '${stack[stack.length - 1]!.delim}' from line ${stack[stack.length - 1]!.line}`);
  return root;
}

function blockCommentEnd(source: string, from: number): number {
  let depth = 0;
  let i = from;
  while (i < source.length) {
    if (source.startsWith("/*", i)) {
      depth++;
      i += 2;
    } else if (source.startsWith("*/", i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return source.length;
}

/** `r"…"`, `r#"…"#`, `b"…"`, `br#"…"#`, `c"…"`: the literal's value and where it ends, if one starts here. */
function prefixedLiteralEnd(source: string, i: number): { value: string; end: number } | undefined {
  const m = /^(b|c)?(r(#*))?"/.exec(source.slice(i, i + 300));
  if (!m || (!m[1] && !m[2])) return undefined;
  const open = i + m[0].length;
  if (m[2] !== undefined) {
    const close = `"${m[3]}`;
    const end = source.indexOf(close, open);
    if (end === -1) throw new Error("unterminated raw string");
    return { value: source.slice(open, end), end: end + close.length };
  }
  return quotedString(source, open - 1);
}

function quotedString(source: string, quote: number): { value: string; end: number } {
  let value = "";
  let i = quote + 1;
  while (i < source.length && source[i] !== '"') {
    if (source[i] === "\\") {
      const next = source[i + 1] ?? "";
      if (next === "\n") {
        i += 2;
        while (/\s/.test(source[i] ?? "")) i++; // a line continuation drops the leading whitespace
        continue;
      }
      const unicode = /^u\{([0-9A-Fa-f]+)\}/.exec(source.slice(i + 1, i + 12));
      if (unicode) {
        value += String.fromCodePoint(parseInt(unicode[1]!, 16));
        i += 1 + unicode[0].length;
        continue;
      }
      const hex = /^x([0-9A-Fa-f]{2})/.exec(source.slice(i + 1, i + 4));
      if (hex) {
        value += String.fromCharCode(parseInt(hex[1]!, 16));
        i += 4;
        continue;
      }
      value += ({ n: "\n", t: "\t", r: "\r", "0": "\0" } as Record<string, string>)[next] ?? next;
      i += 2;
    } else value += source[i++];
  }
  if (i >= source.length) throw new Error("unterminated string");
  return { value, end: i + 1 };
}

/** The end of a char literal starting at `i` (`'a'`, `'\n'`, `'\u{1F600}'`), or undefined for a lifetime. */
function charLiteralEnd(source: string, i: number): number | undefined {
  if (source[i + 1] === "\\") {
    const close = source.indexOf("'", i + 3);
    return close === -1 ? undefined : close + 1;
  }
  const cp = source.codePointAt(i + 1);
  if (cp === undefined) return undefined;
  const width = cp > 0xffff ? 2 : 1;
  return source[i + 1 + width] === "'" ? i + 2 + width : undefined;
}

/** Token helpers used by the readers. */
export const isPunct = (t: Token | undefined, text: string): boolean => t?.kind === "punct" && t.text === text;
export const isIdent = (t: Token | undefined, text?: string): boolean => t?.kind === "ident" && (text === undefined || t.text === text);
export type Group = Extract<Token, { kind: "group" }>;
export const isGroup = (t: Token | undefined, delim: "(" | "[" | "{"): boolean => t?.kind === "group" && t.delim === delim;
/** The token as a group with that delimiter, or undefined. */
export const groupOf = (t: Token | undefined, delim: "(" | "[" | "{"): Group | undefined => (t?.kind === "group" && t.delim === delim ? t : undefined);
/** The text of an identifier token, or undefined. */
export const identOf = (t: Token | undefined): string | undefined => (t?.kind === "ident" ? t.text : undefined);

/**
 * Split a token list at top-level commas. With `angles`, `<…>` counts as nesting (types, and
 * turbofish in expressions: `HashMap::<K, V>::new()`); a `<` in an expression only after `::`.
 */
export function splitCommas(tokens: Token[], angles: "types" | "expressions"): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === "punct" && t.text === "<" && (angles === "types" || depth > 0 || isPunct(tokens[k - 1], "::"))) depth++;
    else if (t.kind === "punct" && t.text === ">" && depth > 0) depth--;
    if (depth === 0 && isPunct(t, ",")) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/** The index just past a `<…>` that starts at `from` (which must be `<`). */
export function skipAngles(tokens: Token[], from: number): number {
  let depth = 0;
  for (let k = from; k < tokens.length; k++) {
    if (isPunct(tokens[k], "<")) depth++;
    else if (isPunct(tokens[k], ">") && --depth === 0) return k + 1;
  }
  return tokens.length;
}

/** Every token, groups flattened, in source order (for scanning bodies). */
export function* walk(tokens: Token[]): Generator<{ token: Token; siblings: Token[]; index: number }> {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    yield { token: t, siblings: tokens, index: k };
    if (t.kind === "group") yield* walk(t.children);
  }
}
