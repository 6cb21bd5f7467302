/**
 * The comparison: the server's /v1 routes and what their handlers read, against the spec's
 * operations and parameters. What the spec marks `x-spacetimedb-since` later than the server's
 * version is listed as newer, not as a difference.
 */
import type { HandlerInputs, Input } from "./handler-inputs.js";
import { isApiPath, type ServerRoute } from "./rust-routes.js";
import type { SpecOperation, SpecParam } from "./spec-operations.js";

/**
 * Routes the spec leaves out on purpose (the info description, "Left out on purpose"): operator
 * scrape endpoints, not client API. `/internal/*` is outside /v1 and never compared.
 */
export const LEFT_OUT: { matches: (path: string) => boolean; what: string }[] = [
  { matches: (p) => p === "/v1/metrics", what: "/v1/metrics (Prometheus metrics)" },
  { matches: (p) => p === "/v1/prometheus" || p.startsWith("/v1/prometheus/"), what: "/v1/prometheus/* (Prometheus service discovery)" },
];

export interface ReadRoute extends ServerRoute {
  /** Undefined when the handler could not be read (a closure, an unresolved function). */
  inputs?: HandlerInputs;
}

export interface ParamDiff {
  op: SpecOperation;
  kind: "query parameter" | "header";
  /** The server reads it; the spec does not declare it. */
  added: Input[];
  /** The spec declares it (and does not mark it newer); the server does not read it. */
  removed: SpecParam[];
}

export interface RouteDiff {
  /** Server routes the spec lacks. */
  missing: ReadRoute[];
  /** Spec operations the server lacks. */
  lacking: SpecOperation[];
  params: ParamDiff[];
  /** Spec items marked later than the server's version and absent from it: expected. */
  newer: { what: string; since: string }[];
  /** Spec items marked later than the server's version that the server already has: check the mark. */
  earlyMarks: { what: string; since: string }[];
  /** Matched operations whose handler could not be read, so their parameters were not compared. */
  unread: string[];
  leftOut: ReadRoute[];
}

/** `:name`, `*name`, `{*name}` → `{name}`. */
export function specPath(axumPath: string): string {
  return axumPath.replace(/\{\*([A-Za-z0-9_]+)\}/g, "{$1}").replace(/[:*]([A-Za-z0-9_]+)/g, "{$1}");
}

export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.replace(/^v/, "").split(/[.-]/).slice(0, 3).map((x) => Number.parseInt(x, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

export function diffRoutes(routes: ReadRoute[], ops: SpecOperation[], version: string | undefined): RouteDiff {
  const later = (since: string | undefined): since is string => !!since && !!version && compareVersions(since, version) > 0;
  const diff: RouteDiff = { missing: [], lacking: [], params: [], newer: [], earlyMarks: [], unread: [], leftOut: [] };
  const api = routes.filter((r) => isApiPath(r.path)).map((r) => ({ ...r, path: specPath(r.path) }));
  const compared = api.filter((r) => {
    const out = LEFT_OUT.some((l) => l.matches(r.path));
    if (out) diff.leftOut.push(r);
    return !out;
  });
  const serves = (r: ReadRoute, op: SpecOperation) => r.path === op.path && (r.method === op.method || r.method === "ANY" || (op.method === "HEAD" && r.method === "GET"));

  for (const route of compared) {
    const covered = route.method === "ANY" ? ops.some((op) => op.path === route.path) : ops.some((op) => op.path === route.path && op.method === route.method);
    if (!covered) diff.missing.push(route);
  }
  for (const op of ops) {
    const route = compared.find((r) => serves(r, op) && r.method !== "ANY") ?? compared.find((r) => serves(r, op));
    const label = `${op.operationId} (${op.method} ${op.path})`;
    if (!route) {
      if (later(op.since)) diff.newer.push({ what: label, since: op.since });
      else diff.lacking.push(op);
      continue;
    }
    if (later(op.since)) diff.earlyMarks.push({ what: label, since: op.since });
    if (!route.inputs) {
      if (op.query.length || op.headers.length) diff.unread.push(`${label}: handler ${route.handler?.name ?? "?"} at ${route.where}`);
      continue;
    }
    const compare = (kind: ParamDiff["kind"], server: Input[], spec: SpecParam[], anyName: boolean) => {
      const serverNames = new Set(server.map((i) => i.name));
      const specNames = new Set(spec.map((p) => p.name));
      const added = anyName ? [] : server.filter((i) => !specNames.has(i.name));
      const removed: SpecParam[] = [];
      for (const p of spec) {
        const what = `${kind} \`${p.name}\` of ${label}`;
        if (anyName || serverNames.has(p.name)) {
          if (later(p.since)) diff.earlyMarks.push({ what, since: p.since });
        } else if (later(p.since) || later(op.since)) diff.newer.push({ what, since: (later(p.since) ? p.since : op.since)! });
        else removed.push(p);
      }
      if (added.length || removed.length) diff.params.push({ op, kind, added, removed });
    };
    compare("query parameter", route.inputs.query, op.query, route.inputs.anyQuery);
    compare("header", route.inputs.headers, op.headers, false);
  }
  return diff;
}

export function differs(diff: RouteDiff, unresolved: string[]): boolean {
  return diff.missing.length + diff.lacking.length + diff.params.length + diff.unread.length + unresolved.length > 0;
}

export function formatReport(diff: RouteDiff, unresolved: string[], header: string[]): string {
  const lines = [...header, ""];
  const section = (title: string, items: string[]) => {
    if (!items.length) return;
    lines.push(`${title} (${items.length}):`, ...items.map((i) => `  ${i}`), "");
  };
  const routeLine = (r: ReadRoute) => `${r.method} ${r.path}  ← ${r.handler?.name ?? "?"} (${r.where})`;
  section("Routes the spec lacks", diff.missing.map(routeLine));
  section("Operations the server lacks", diff.lacking.map((op) => `${op.operationId} (${op.method} ${op.path})${op.since ? `, marked since ${op.since}` : ""}`));
  section(
    "Parameters that differ",
    diff.params.flatMap((p) => [
      ...p.added.map((i) => `${p.op.operationId}: the server reads ${p.kind} \`${i.name}\` (${i.where}), the spec does not declare it`),
      ...p.removed.map((s) => `${p.op.operationId}: the spec declares ${p.kind} \`${s.name}\`${s.since ? ` (since ${s.since})` : ""}, the server does not read it`),
    ]),
  );
  section("Handlers the reader could not read (parameters not compared)", diff.unread);
  section("Router expressions the reader could not follow", unresolved);
  section("Newer than this server in the spec (x-spacetimedb-since), not differences", diff.newer.map((n) => `${n.what}: since ${n.since}`));
  section("Marked newer than this server, yet the server has it: check the mark", diff.earlyMarks.map((n) => `${n.what}: since ${n.since}`));
  section("Left out of the spec on purpose (allow-list)", diff.leftOut.map(routeLine));
  return lines.join("\n").replace(/\n+$/, "\n");
}
