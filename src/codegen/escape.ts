/**
 * Text from a server or a schema, made safe to print and to write into generated code: control
 * characters (C0, DEL, C1), format characters (bidi overrides and isolates such as U+202E, zero-width
 * characters, the BOM), line and paragraph separators and lone surrogates are written as `\uXXXX`
 * escapes, so that they can neither drive a terminal nor make code read differently from what it does.
 */

const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/gu;

const escape = (c: string): string => {
  const code = c.codePointAt(0)!;
  return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** `text` with every unsafe character written as its escape (a newline too): what the CLI prints of
 *  foreign text, and what a generated comment holds. */
export const escapeText = (text: string): string => text.replace(UNSAFE, escape);

/** A string literal for generated code, with the same value as `text`: nothing unsafe is left raw. */
export const stringLiteral = (text: string): string => JSON.stringify(text).replace(UNSAFE, escape);

/** Text for a generated `/** … *\/` comment: escaped, and unable to end the comment. */
export const commentText = (text: string): string => escapeText(text).replace(/\*\//g, "*\\/");
