/** A full garbage collection, for tests that measure what is held rather than what is not yet freed. */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

/** V8's `gc`, exposed at run time: the test runner need not start Node with `--expose-gc`. */
export function gc(): void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}

/** The heap in use after full collections, with finalizers run in between (fetch drops its signal listeners in them). */
export async function heapHeld(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  return process.memoryUsage().heapUsed;
}
