import { defineConfig, type Options } from "tsup";

/**
 * The CommonJS builds read a dependency's default export as `exports.default` when the dependency is
 * an ES module compiled to CommonJS (`__esModule`; openapi-fetch's index.cjs is one), which is what
 * its types and the ESM build give. esbuild instead applies Node's ESM rule (the default is the
 * whole `module.exports`) because package.json says `"type": "module"`: it writes
 * `__toESM(require(x), 1)`, and `require("spacetimedb-http")` then failed at `createClient` with
 * "(0 , import_openapi_fetch.default) is not a function". Without the flag, a module that is not
 * marked `__esModule` (a `node:` built-in) still gets `module.exports` as its default.
 */
const cjsDefaultImports: NonNullable<Options["plugins"]>[number] = {
  name: "cjs-default-imports",
  renderChunk(code) {
    if (this.format !== "cjs") return undefined;
    return { code: code.replace(/__toESM\((require\((["'])[^"']+\2\)),\s*1\)/g, "__toESM($1)") };
  },
};

// ESM + CJS with .d.ts/.d.cts for each entry. openapi-fetch and undici (dependencies) stay external.
// `index` is the universal build (global fetch; no `node:` or undici import); `index.node` is what the
// package's `node` export condition gives (the undici transport); `node` is spacetimedb-http/node.
// `cli` is the `bin` (src/cli.ts: its shebang is kept, node: imports stay external); it reaches the
// client through the package's own name, so it shares no chunk with the main entry.
// `npm run build` runs this, then `npm run bundle` writes the spec next to the code in dist/.
export default defineConfig({
  entry: { index: "src/index.ts", "index.node": "src/index.node.ts", node: "src/node.ts", codegen: "src/codegen/index.ts", cli: "src/cli.ts" },
  format: ["esm", "cjs"],
  dts: true,
  target: "es2022",
  platform: "neutral",
  clean: true,
  removeNodeProtocol: false, // keep `node:fs` in the node entry as written
  shims: true, // import.meta.url in the CommonJS build of the bin (it reads its package.json)
  external: [/^node:/],
  plugins: [cjsDefaultImports],
  esbuildPlugins: [
    {
      name: "cli-imports-the-package",
      setup(build) {
        build.onResolve({ filter: /^\.\.\/index\.js$/ }, (args) =>
          /[\\/]src[\\/]codegen[\\/]cli-main\.ts$/.test(args.importer) ? { path: "spacetimedb-http", external: true } : undefined,
        );
      },
    },
  ],
});
