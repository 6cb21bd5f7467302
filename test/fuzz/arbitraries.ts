/**
 * Generators for the fuzz: arbitrary arguments for any client method, and an adversarial server (an
 * injected fetch) that answers with any status, content type, broken or hostile body — including
 * bodies and headers that echo the caller's Authorization back.
 */
import fc from "fast-check";
import { inspect } from "node:util";
import { ERROR_KINDS, SpacetimeHttpError, type FetchLike } from "../../src/index.js";

export const IDENTITY = "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d";

/** Pieces that break paths, queries, headers and encodings. */
const nasty = fc.constantFrom("/", "..", ".", "%2F", "%2e", "%", "?", "#", "&", "=", "\\", ";", "\u0000", "\n", "\r", "\t", " ", "\u2028", "\u202e", "\ud800", "\udfff", "é", "ÿ", "🙂", '"', "a", "Z", "-", "0x", "9");
export const trickyString = fc.oneof(fc.string({ unit: nasty, maxLength: 12 }), fc.string({ unit: "binary", maxLength: 24 }));

const plausible = fc.constantFrom("quickstart-chat", "chat", "a", IDENTITY, `0x${IDENTITY}`, "send_message", "SELECT * FROM message", "/hello", "", "9", "10");
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, 255, 256, 9, 10));
/** A large argument that prints as its label in a counterexample; `check` passes its value. */
export class Huge {
  constructor(
    readonly value: unknown,
    readonly label: string,
  ) {}
  [fc.toStringMethod]() {
    return this.label;
  }
}
const HUGE = [new Huge(Array.from({ length: 100_000 }, (_, i) => (i % 2 ? i : `row-${i}`)), "<100,000-element array>"), new Huge("x".repeat(1 << 20), "<1 MiB string>")];
const scalar = fc.oneof(plausible, trickyString, number, fc.bigInt(), fc.constantFrom(null, undefined, true, false));

const signal = fc.oneof(
  fc.constant(undefined),
  fc.constant("aborted").map(() => AbortSignal.abort()),
  fc.constant("live").map(() => new AbortController().signal),
  fc.integer({ min: 0, max: 5 }).map((ms) => AbortSignal.timeout(ms)),
);

/**
 * A per-call options object with every known key, plus junk. Tokens always carry `marker`, wrapped
 * in characters that no header may hold. `bounded` keeps timeouts finite (for a real server).
 */
export function options(marker: string, bounded: boolean) {
  const junk = fc.string({ unit: fc.constantFrom("\n", "\r", "\u0000", " ", "\t", "é", "🙂", '"', "\\", "=", "\u2028", "\ud800", "a"), maxLength: 2 });
  const token = fc.oneof(fc.constant(`tok.${marker}.sig`), fc.tuple(junk, junk).map(([a, b]) => `${a}${marker}${b}`), fc.constantFrom(undefined, ""));
  const timeoutMs = bounded
    ? fc.constantFrom(undefined, 1, 50, 3_000)
    : fc.oneof(fc.constantFrom(undefined, 0, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31), fc.integer({ min: -5, max: 40 }));
  const headers = fc.oneof(
    fc.constant(undefined),
    fc.dictionary(fc.string({ unit: "binary-ascii", maxLength: 6 }), fc.string({ unit: "binary-ascii", maxLength: 8 }), { maxKeys: 2 }),
    fc.constant({ "x-trace": "1" }),
  );
  return fc.record(
    {
      token,
      timeoutMs,
      headers,
      signal,
      retry: fc.oneof(fc.boolean(), fc.integer({ min: -2, max: 3 }), fc.constant(Number.NaN)),
      // method-specific options, valid and not
      version: fc.constantFrom(9, 10, 8, "10"),
      numLines: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant(1.5)),
      confirmed: fc.oneof(fc.boolean(), scalar),
      method: fc.constantFrom("GET", "post", "PUT", "PATCH", "DELETE", "HEAD", "TRACE", "\n"),
      body: fc.oneof(scalar, fc.uint8Array({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 })),
      responseAs: fc.constantFrom("text", "json", "binary", "xml"),
      protocol: fc.constantFrom("v1.json.spacetimedb", "v9", undefined),
      compression: fc.constantFrom("None", "Gzip", "Zip"),
      numReplicas: fc.oneof(fc.integer({ min: -1, max: 300 }), fc.constant(1.5)),
      policy: fc.constantFrom("Compatible", "BreakClients", "Other"),
      migrationToken: fc.constantFrom("0xabc", "abc", "0x" + "f".repeat(65)),
      clear: fc.boolean(),
      parent: fc.oneof(plausible, trickyString),
      hostType: fc.constantFrom("Wasm", "Js", "wasm"),
      style: fc.constantFrom("AnsiColor", "NoColor", "Bold"),
      updateConfirmationTimeout: trickyString,
      idleTimeoutMs: fc.constantFrom(undefined, 5, 0, -1),
      allowBreakingClients: fc.boolean(),
      stripAnsi: fc.boolean(),
    },
    { requiredKeys: [] },
  );
}

/** Any argument list for any method: plausible values, hostile strings, numbers, null, objects, huge arrays. */
export function argumentList(marker: string, bounded: boolean) {
  const arg = fc.oneof(
    { weight: 4, arbitrary: plausible },
    { weight: 3, arbitrary: trickyString },
    { weight: 2, arbitrary: scalar },
    fc.object({ maxDepth: 2, maxKeys: 4 }),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 6 }),
    fc.uint8Array({ maxLength: 16 }),
    fc.constantFrom<unknown>(...HUGE, () => {}, Symbol("s"), new Blob(["b"]), [["a", 1]]),
    { weight: 3, arbitrary: options(marker, bounded) },
  );
  return fc.array(arg, { maxLength: 4 });
}

// --- the adversarial server

export type Reply = {
  kind: "respond" | "throw" | "slow" | "broken-body";
  status: number;
  type: string | undefined;
  body: string;
  retryAfter: string | undefined;
  echoIdentityToken: boolean;
  delayMs: number;
};

export const reply: fc.Arbitrary<Reply> = fc.record({
  kind: fc.constantFrom("respond", "respond", "respond", "respond", "throw", "slow", "broken-body"),
  status: fc.constantFrom(200, 200, 200, 201, 202, 204, 301, 307, 400, 401, 402, 403, 404, 408, 413, 415, 429, 500, 502, 503, 504, 530, 599),
  type: fc.constantFrom(undefined, "application/json", "application/json; charset=utf-8", "text/plain; charset=utf-8", "application/x-ndjson", "text/html", "application/octet-stream", "application/problem+json"),
  body: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("echo-json", "echo-text", "echo-broken-json", "echo-ndjson", "echo-error-object", "") },
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
    fc.string({ unit: "binary", maxLength: 40 }),
  ),
  retryAfter: fc.constantFrom(undefined, "0", "0.001", "31", "-1", "junk", "Thu, 01 Jan 1970 00:00:00 GMT", new Date(Date.now() + 3_600_000).toUTCString()),
  echoIdentityToken: fc.boolean(),
  delayMs: fc.integer({ min: 0, max: 3 }),
});

function bodyText(template: string, auth: string, url: string): string {
  switch (template) {
    case "echo-json":
      return JSON.stringify({ error: `Invalid token: ${auth}`, url, headers: { authorization: auth } });
    case "echo-error-object":
      return JSON.stringify({ PermissionDenied: { token: auth.replace(/^Bearer /, "") } });
    case "echo-text":
      return `Invalid token: ${auth} (${url})`;
    case "echo-broken-json":
      return `{"authorization": "${auth}", "names": [`;
    case "echo-ndjson":
      return `${JSON.stringify({ level: "info", message: auth })}\n{not json ${auth}\n`;
    default:
      return template;
  }
}

const NULL_BODY = new Set([101, 204, 205, 304]);

/** A fetch that follows `script` (one reply per request, the last repeated) and never hangs for long. */
export function adversary(script: Reply[]): FetchLike {
  let n = 0;
  return async (input, given = {}) => {
    const r = script[Math.min(n++, script.length - 1)]!;
    // The SDK hands fetch a Request (openapi-fetch builds it); a bad header throws there, as in fetch.
    const request = input instanceof Request ? input : new Request(input, given);
    const init = { headers: request.headers, body: request.body, signal: request.signal };
    const headers = request.headers;
    if (init.body instanceof ReadableStream) await init.body.cancel();
    if (r.kind === "slow" || init.signal?.aborted) {
      await new Promise<void>((resolve, reject) => {
        const fail = () => (clearTimeout(timer), reject(init.signal?.reason));
        const timer = setTimeout(() => (init.signal?.removeEventListener("abort", fail), resolve()), r.delayMs);
        if (init.signal?.aborted) fail();
        init.signal?.addEventListener("abort", fail, { once: true });
      });
    }
    if (r.kind === "throw") {
      throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:9"), { code: "ECONNREFUSED" }) });
    }
    const auth = headers.get("authorization") ?? "";
    const text = bodyText(r.body, auth, request.url);
    const out = new Headers({ "spacetime-identity": IDENTITY });
    if (r.type) out.set("content-type", r.type);
    if (r.retryAfter) out.set("retry-after", r.retryAfter);
    if (r.echoIdentityToken && auth) out.set("spacetime-identity-token", auth.replace(/^Bearer /, ""));
    const bytes = new TextEncoder().encode(text);
    const body =
      NULL_BODY.has(r.status) ? null
      : r.kind === "broken-body"
        ? new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(bytes.subarray(0, bytes.length >> 1));
              c.error(new TypeError("terminated", { cause: Object.assign(new Error("other side closed"), { code: "UND_ERR_SOCKET" }) }));
            },
          })
        : bytes;
    return new Response(body, { status: r.status, headers: out });
  };
}

// --- the checks

/** Where `marker` shows in a result or its error, if anywhere (the places a log or a report would print). */
export function leak(result: unknown, marker: string): string | undefined {
  const r = result as { ok: boolean; error?: SpacetimeHttpError; meta?: unknown };
  const views: [string, () => unknown][] = [
    ["JSON.stringify(meta)", () => JSON.stringify(r.meta)],
    ["inspect(meta)", () => inspect(r.meta, { depth: 5 })],
  ];
  const e = r.error;
  if (!r.ok && e) {
    views.push(
      ["String(error)", () => String(e)],
      ["error.message", () => e.message],
      ["JSON.stringify(error)", () => JSON.stringify(e)],
      ["String(error.cause)", () => String(e.cause)],
      ["JSON.stringify(error.cause)", () => JSON.stringify(e.cause)],
      ["inspect(error.cause)", () => inspect(e.cause, { depth: 6 })],
      ["inspect(error)", () => inspect(e, { depth: 6 })],
    );
  }
  for (const [where, view] of views) {
    let shown: unknown;
    try {
      shown = view();
    } catch {
      continue; // a view that cannot be printed shows nothing
    }
    if (typeof shown === "string" && shown.includes(marker)) return where;
  }
  return undefined;
}

/** Why a resolved value is not a result as the SDK promises one, or undefined. */
export function notAResult(value: unknown): string | undefined {
  const r = value as { ok?: unknown; error?: unknown };
  if (typeof r !== "object" || r === null || typeof r.ok !== "boolean") return `not a result: ${inspect(value, { depth: 1 })}`;
  if (r.ok) return undefined;
  const e = r.error;
  if (!(e instanceof SpacetimeHttpError)) return `error is not a SpacetimeHttpError: ${inspect(e, { depth: 1 })}`;
  if (!ERROR_KINDS.includes(e.kind)) return `unknown kind ${String(e.kind)}`;
  if (typeof e.message !== "string" || typeof e.operation !== "string") return "error without message or operation";
  return undefined;
}
