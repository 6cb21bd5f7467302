/**
 * The call's secrets (the bearer token; environment values) kept out of text that comes from outside
 * the SDK: a server's body and headers, an error's cause, a thrown message. Redaction runs once, where
 * such text enters, and never on the SDK's own sentences, so it cannot match inside its own marker.
 * A secret is looked for as written, JSON-escaped and percent-encoded (the forms a server echoes it in).
 * See docs/design.md#secrets.
 */

export const REDACTED = "[redacted]";

/** Secrets shorter than this could match ordinary text: text holding one is left out instead. */
export const MIN_REDACTABLE_LENGTH = 8;

/** What stands for a text that holds a secret too short to redact safely. */
export const LEFT_OUT = "[left out: it may hold a secret too short to redact safely]";

export type Secrets = readonly string[];

/** The forms a secret may take in foreign text. */
function formsOf(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  let percent = secret;
  try {
    percent = encodeURIComponent(secret);
  } catch {
    // a lone surrogate has no percent-encoded form
  }
  return [...new Set([secret, json, percent])];
}

/** `text` as a regular expression that matches it literally. */
export const escapeRegExp = (text: string) => text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/** Whether `text` holds a secret too short to redact (in any of its forms). */
function holdsShort(text: string, secrets: Secrets): boolean {
  return secrets.some((s) => s.length > 0 && s.length < MIN_REDACTABLE_LENGTH && formsOf(s).some((f) => text.includes(f)));
}

/**
 * `text` with every secret (in each of its forms) replaced by `[redacted]` in one pass, or LEFT_OUT
 * when it holds a secret too short to redact safely.
 */
export function redact(text: string, secrets: Secrets | undefined): string {
  if (!secrets || secrets.length === 0 || text.length === 0) return text;
  if (holdsShort(text, secrets)) return LEFT_OUT;
  const forms = secrets.filter((s) => s.length >= MIN_REDACTABLE_LENGTH).flatMap(formsOf).filter((f) => text.includes(f));
  if (forms.length === 0) return text;
  // Longest first, so that a secret holding another is replaced whole.
  const pattern = new RegExp(forms.sort((a, b) => b.length - a.length).map(escapeRegExp).join("|"), "g");
  return text.replace(pattern, REDACTED);
}

/**
 * A parsed JSON value with every secret replaced structurally, so that it stays the same JSON: keys
 * and strings are redacted in place, and a number or boolean whose JSON text holds a secret becomes
 * the string `[redacted]`. `undefined` when any part holds a secret too short to redact.
 */
export function redactJson(value: unknown, secrets: Secrets | undefined): unknown {
  if (!secrets || secrets.length === 0) return value;
  let leftOut = false;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const clean = redact(v, secrets);
      if (clean === LEFT_OUT) leftOut = true;
      return clean;
    }
    if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") {
      const clean = redact(String(v), secrets);
      if (clean === LEFT_OUT) leftOut = true;
      return clean === String(v) ? v : REDACTED;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v)) Object.defineProperty(copy, walk(key) as string, { value: walk(item), enumerable: true, writable: true, configurable: true });
    return copy;
  };
  const clean = walk(value);
  return leftOut ? undefined : clean;
}
