/**
 * Run by hostile-round-two.test.ts in a child process (`node --import tsx`): a call whose token
 * function never settles, with nothing else keeping the event loop alive. The call's deadline must
 * keep the process alive until the call settles (docs/design.md#deadlines-cover-the-call): it prints
 * the result's kind and exits 0. Were the deadline's timer unref'd, the process would exit 13 with
 * this top-level await unsettled and print nothing.
 * argv[2]: the file URL of the entry to test (src/index.ts or src/index.node.ts).
 */
const entry = process.argv[2];
if (entry === undefined) throw new Error("usage: pending-call.child.ts <entry file URL>");
const { createClient } = (await import(entry)) as typeof import("../../src/index.js");
// Nothing listens on port 9; no request is made anyway, since the token never arrives.
const client = createClient({ baseUrl: "http://127.0.0.1:9", token: () => new Promise<string>(() => {}) });
const result = await client.getDatabase("quickstart-chat", { timeoutMs: 500 });
process.stdout.write(`${result.ok ? "ok" : result.error.kind}\n`);
