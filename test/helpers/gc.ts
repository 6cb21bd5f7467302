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
