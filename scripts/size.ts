/**
 * The main entry's runtime size as an app bundler would ship it: src/index.ts bundled for the
 * browser with everything it imports (openapi-fetch included), minified, then gzipped, with code
 * splitting: the budget is for the entry chunk, loaded up front; chunks loaded on first use (the
 * SATS codec behind sqlRows and callReducerWith) are reported beside it. Exits 1 over the budget. Bundling for `platform: "browser"` with nothing external also proves
 * the entry pulls in no `node:` module.
 *   npm run size            # report; fail over 12 KB
 *   npm run size -- --top   # also list the biggest inputs
 */
import { gzipSync } from "node:zlib";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

export const BUDGET_BYTES = 12 * 1024;

export async function measure(entry = "src/index.ts") {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    splitting: true,
    outdir: "out",
    platform: "browser",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const outputs = Object.entries(result.metafile.outputs);
  // Chunks loaded by import() have an entryPoint too: the entry is the one built from `entry`.
  const [entryPath, entryOut] = outputs.find(([, o]) => o.entryPoint === entry)!;
  const size = (path: string) => {
    const code = result.outputFiles.find((f) => f.path.endsWith(path))!.contents;
    return { minified: code.byteLength, gzipped: gzipSync(code, { level: 9 }).byteLength };
  };
  const inputs = Object.entries(entryOut.inputs)
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
  // The entry's chunk and every chunk it imports statically load up front; the rest on first use.
  const upFront = new Set<string>();
  const visit = (path: string) => {
    if (upFront.has(path)) return;
    upFront.add(path);
    for (const i of result.metafile.outputs[path]!.imports) if (i.kind === "import-statement" && !i.external) visit(i.path);
  };
  visit(entryPath);
  const sum = (paths: string[]) => paths.map(size).reduce((a, b) => ({ minified: a.minified + b.minified, gzipped: a.gzipped + b.gzipped }), { minified: 0, gzipped: 0 });
  const lazy = outputs.map(([path]) => path).filter((path) => !upFront.has(path));
  return { ...sum([...upFront]), inputs, lazy: sum(lazy) };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { minified, gzipped, inputs, lazy } = await measure();
  const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
  console.log(`spacetimedb-http (main entry, loaded up front): ${kb(minified)} min, ${kb(gzipped)} min+gzip; budget ${kb(BUDGET_BYTES)}`);
  console.log(`loaded on first use (SATS codec, openapi-fetch for raw, conveniences): ${kb(lazy.minified)} min, ${kb(lazy.gzipped)} min+gzip`);
  if (process.argv.includes("--top")) for (const i of inputs.slice(0, 12)) console.log(`  ${kb(i.bytes).padStart(9)} min  ${i.path}`);
  if (gzipped > BUDGET_BYTES) {
    console.error(`over budget by ${kb(gzipped - BUDGET_BYTES)} (npm run size -- --top lists the biggest inputs)`);
    process.exit(1);
  }
}
