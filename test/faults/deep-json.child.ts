/**
 * Run by hostile-round-two.test.ts in a child process with a 512 MB heap (`node
 * --max-old-space-size=512 --import tsx`): one `getDatabase` against a server that answers with
 * deeply nested JSON. Prints one JSON line describing the result (the error body by its type and
 * length only: it may be the whole raw text) and exits 0; running out of the heap ends it with
 * SIGABRT instead.
 * argv[2]: the file URL of the entry to test (src/index.ts or src/index.node.ts); argv[3]: the server.
 */
const [entry, baseUrl] = process.argv.slice(2);
if (entry === undefined || baseUrl === undefined) throw new Error("usage: deep-json.child.ts <entry file URL> <server URL>");
const { createClient } = (await import(entry)) as typeof import("../../src/index.js");
const result = await createClient({ baseUrl, retries: 0 }).getDatabase("quickstart-chat");

/** The body's length as text (a string's own, anything else's as JSON; -1 when it cannot be written as JSON). */
function lengthOf(body: unknown): number {
  if (typeof body === "string") return body.length;
  try {
    return JSON.stringify(body)?.length ?? 0;
  } catch {
    return -1;
  }
}

const error = result.ok ? undefined : result.error;
const body = error?.body === undefined ? null : { type: typeof error.body, length: lengthOf(error.body) };
process.stdout.write(`${JSON.stringify({ ok: result.ok, kind: error?.kind, status: error?.status, message: error?.message.slice(0, 500), body })}\n`);
