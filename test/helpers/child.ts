/** A child Node process that runs TypeScript (tsx), its output collected, killed if it outlives a bound. */
import { spawn } from "node:child_process";

/** tsx's loader by its path: from a cwd outside the repository, `--import tsx` would not resolve. */
const tsx = new URL("../../node_modules/tsx/dist/loader.mjs", import.meta.url).href;

export interface ChildRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  cwd: string;
  /** After this long the child is killed with SIGKILL (then `code` is null). */
  boundMs: number;
  env?: NodeJS.ProcessEnv;
}

/** `node <nodeFlags> --import tsx <args>` in `cwd`. */
export async function runNode(nodeFlags: string[], args: string[], { cwd, boundMs, env = process.env }: ChildOptions): Promise<ChildRun> {
  const child = spawn(process.execPath, [...nodeFlags, "--import", tsx, ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
  const timer = setTimeout(() => child.kill("SIGKILL"), boundMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on("close", (c, s) => done([c, s])));
  clearTimeout(timer);
  return { code, signal, stdout, stderr };
}
