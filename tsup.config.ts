import { defineConfig } from "tsup";

// ESM + CJS with .d.ts/.d.cts for every entry. `cli` is the `bin` (its shebang is kept; node: imports stay external). openapi-fetch (a dependency) stays external.
// `npm run build` runs this, then `npm run bundle` writes the spec next to the code in dist/.
export default defineConfig({
  entry: { index: "src/index.ts", node: "src/node.ts", codegen: "src/codegen/index.ts", cli: "src/cli.ts" },
  format: ["esm", "cjs"],
  dts: true,
  target: "es2022",
  platform: "neutral",
  clean: true,
  removeNodeProtocol: false, // keep `node:fs` in the node entry as written
  external: [/^node:/],
});
