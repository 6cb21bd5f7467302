/**
 * `npm run server:diff -- <SpacetimeDB checkout or bare git dir> [--ref <tag>] [--spec <file>]`
 *
 * Reads the server's HTTP routers (crates/client-api, and the standalone edition's mounts) and
 * compares them with the spec: routes the spec lacks, operations the server lacks, and per
 * operation the query parameters and `spacetime-*` headers added or removed. Exit 0 when they
 * match, 1 when they differ, 2 when the source cannot be read.
 *
 * The server's version is `--ref` (for a bare git dir also the commit to read, default HEAD), else
 * the workspace version in its Cargo.toml. What the spec marks `x-spacetimedb-since` later than
 * that version is listed as newer, not as a difference.
 */
import { pathToFileURL } from "node:url";
import { handlerInputs } from "./server-routes/handler-inputs.js";
import { indexSources } from "./server-routes/rust-items.js";
import { Resolver } from "./server-routes/rust-resolve.js";
import { isApiPath, RouteReader } from "./server-routes/rust-routes.js";
import { diffRoutes, differs, formatReport, type ReadRoute } from "./server-routes/route-diff.js";
import { readServerSource } from "./server-routes/source.js";
import { DEFAULT_SPEC, readSpecOperations } from "./server-routes/spec-operations.js";

export interface ServerDiffOptions {
  source: string;
  ref?: string;
  spec?: string;
}

export interface ServerDiffResult {
  /** 0 match, 1 differ. */
  code: 0 | 1;
  report: string;
}

export async function serverDiff({ source, ref, spec = DEFAULT_SPEC }: ServerDiffOptions): Promise<ServerDiffResult> {
  const server = readServerSource(source, ref);
  const crate = indexSources(server.files);
  const names = new Resolver(crate);
  const reading = new RouteReader(crate, names).read();
  const routes: ReadRoute[] = reading.routes.map((r) => (r.handler?.fn ? { ...r, inputs: handlerInputs(r.handler.fn, names) } : r));
  // A tag names the version; another ref (a branch, a commit) leaves it to Cargo.toml.
  const refVersion = ref && /^v?\d+\.\d+/.test(ref) ? ref.replace(/^v/, "") : undefined;
  const version = refVersion ?? server.cargoVersion;
  const ops = await readSpecOperations(spec);
  const diff = diffRoutes(routes, ops, version);
  const bad = differs(diff, reading.unresolved) || reading.routes.length === 0;
  const header = [
    `Server: ${server.description}, version ${version ?? "unknown (every x-spacetimedb-since mark counts as present)"}${refVersion ? " (from --ref)" : version ? " (Cargo.toml)" : ""}`,
    `Routes: ${routes.filter((r) => isApiPath(r.path)).length} under /v1, read from ${reading.entry || "nowhere: no router found"}`,
    `Spec: ${spec}, ${ops.length} operations`,
  ];
  const verdict = bad ? "Result: the server and the spec differ (exit 1)." : "Result: the spec covers every /v1 route of this server (exit 0).";
  return { code: bad ? 1 : 0, report: `${formatReport(diff, reading.unresolved, header)}\n${verdict}\n` };
}

function parseArgs(argv: string[]): ServerDiffOptions | string {
  const usage = "usage: npm run server:diff -- <SpacetimeDB checkout or bare git dir> [--ref <tag>] [--spec <file>]";
  const opts: Partial<ServerDiffOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--ref" || arg === "--spec") {
      const value = argv[++i];
      if (!value) return usage;
      opts[arg === "--ref" ? "ref" : "spec"] = value;
    } else if (arg === "-h" || arg === "--help" || arg.startsWith("-") || opts.source) return usage;
    else opts.source = arg;
  }
  return opts.source ? (opts as ServerDiffOptions) : usage;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  if (typeof opts === "string") {
    console.error(opts);
    process.exit(2);
  }
  try {
    const { code, report } = await serverDiff(opts);
    process.stdout.write(report);
    process.exit(code);
  } catch (e) {
    console.error(`server:diff: ${(e as Error).message}`);
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
