/**
 * 1,000 concurrent calls against a local server, run in a child process (test/load/run.ts): no
 * failures, no unhandled rejections, no timer left behind, and the process exits by itself promptly
 * once the server closes (a leaked timer or socket would hold it open: the default timeout is 30 s).
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const CALLS = 1_000;
/** Generous: a bound on behaviour on a busy 2-core CI, not a performance figure. */
const PROMPT_EXIT_MS = 3_000;

interface Summary {
  calls: number;
  ok: number;
  failures: string[];
  requests: number;
  unhandled: number;
  timersAfterCalls: number;
}

it(`${CALLS} concurrent calls: 0 failures, nothing leaked, the process exits promptly`, { timeout: 60_000 }, async () => {
  const script = fileURLToPath(new URL("./run.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, String(CALLS)], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let summaryAt = 0;
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    if (!summaryAt && stdout.includes("\n")) summaryAt = performance.now();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const killer = setTimeout(() => child.kill("SIGKILL"), 50_000);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  clearTimeout(killer);
  const exitedAt = performance.now();

  expect(code, stderr).toBe(0);
  const summary = JSON.parse(stdout.trim()) as Summary;
  expect(summary).toMatchObject({ calls: CALLS, ok: CALLS, failures: [], unhandled: 0, timersAfterCalls: 0 });
  // Every eighth call is a GET answered 503 once and retried: the retries reached the server.
  expect(summary.requests).toBe(CALLS + CALLS / 8);
  expect(exitedAt - summaryAt).toBeLessThan(PROMPT_EXIT_MS);
});
