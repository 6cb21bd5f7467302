/**
 * Reads the server's HTTP routes out of the indexed Rust: a small evaluator for the expressions
 * axum routers are built from. It follows `Router::new().route(…).nest(…).merge(…)` chains,
 * method routers (`get(h).post(h2)`, `any(h)`), `let` bindings and field assignments, struct
 * route builders (`DatabaseRoutes::default()` and `routes.into_router(ctx)`), and calls into other
 * functions that return routers, across modules through `use` imports. Everything else (layers,
 * middleware, state) is passed through or ignored.
 */
import { groupOf, identOf, isGroup, isIdent, isPunct, skipAngles, splitCommas, type Token } from "./rust-tokens.js";
import { typeName, type Crate, type FnDef } from "./rust-items.js";
import { Resolver } from "./rust-resolve.js";

export interface Handler {
  /** The handler as written, e.g. `publish`, `crate::routes::mcp::mcp`, or `<closure>`. */
  name: string;
  fn?: FnDef;
}

export interface ServerRoute {
  /** Upper case, or `ANY`. */
  method: string;
  /** As axum matches it: `/v1/database/:name_or_identity` (0.7) or `/v1/database/{name_or_identity}` (0.8). */
  path: string;
  handler?: Handler;
  /** `file:line` of the `.route(…)` call. */
  where: string;
}

/** Whether a route is under the API's `/v1` (not `/v10…`). */
export const isApiPath = (path: string) => path === "/v1" || path.startsWith("/v1/");

type Value =
  | { kind: "router"; routes: ServerRoute[] }
  | { kind: "methods"; methods: { method: string; handler?: Handler }[] }
  | { kind: "struct"; type: string; fields: Map<string, Value> }
  | { kind: "str"; value: string }
  | { kind: "fn"; handler: Handler }
  | { kind: "unknown" };

const UNKNOWN: Value = { kind: "unknown" };
const METHOD_FNS = new Set(["get", "post", "put", "delete", "patch", "head", "options", "trace", "any"]);
const PASS_THROUGH = new Set(["layer", "route_layer", "with_state", "clone", "into", "boxed", "fallback", "fallback_service", "method_not_allowed_fallback", "into_make_service", "to_owned"]);

interface Scope {
  module: string;
  file: string;
  selfType?: string;
  env: Map<string, Value>;
  depth: number;
}

export interface RouteReading {
  routes: ServerRoute[];
  /** Router expressions the reader could not follow (`file:line: what`). */
  unresolved: string[];
  /** How the top-level router was found. */
  entry: string;
}

export class RouteReader {
  private readonly unresolved: string[] = [];
  private readonly candidates: { routes: ServerRoute[]; where: string }[] = [];
  /** `names`: the crate's name resolver, shared with whoever reads the handlers' inputs. */
  constructor(
    private readonly crate: Crate,
    private readonly names = new Resolver(crate),
  ) {}

  /**
   * The routes the server serves: the largest router an edition's startup code builds (the
   * standalone edition's `start.rs` passes its route builders and its `extra` router, e.g.
   * `/health`, to client-api's `routes::router`); failing that, client-api's `routes::router`
   * called with default route builders.
   */
  read(editionCrate = "spacetimedb_standalone", apiCrate = "spacetimedb_client_api"): RouteReading {
    for (const [id, mod] of this.crate.modules) {
      if (id !== editionCrate && !id.startsWith(`${editionCrate}::`)) continue;
      for (const fn of mod.fns.values()) this.callFn(fn, [], undefined, 0, true);
    }
    let best = this.bestCandidate();
    let entry = best ? `the router built at ${best.where}` : "";
    if (!best) {
      const router = this.crate.modules.get(`${apiCrate}::routes`)?.fns.get("router");
      if (router) {
        this.callFn(router, [], undefined, 0, true);
        best = this.bestCandidate();
        entry = `${apiCrate}::routes::router with default route builders (no edition mounts found)`;
      }
    }
    return { routes: best?.routes ?? [], unresolved: [...new Set(this.unresolved)], entry };
  }

  private bestCandidate(): { routes: ServerRoute[]; where: string } | undefined {
    const api = (c: { routes: ServerRoute[] }) => c.routes.filter((r) => isApiPath(r.path)).length;
    return this.candidates.filter((c) => api(c) > 0).sort((a, b) => api(b) - api(a))[0];
  }

  // ---- functions and blocks -------------------------------------------------------------

  private callFn(fn: FnDef, args: Value[], self: Value | undefined, depth: number, capture = false): Value {
    if (depth > 40) return UNKNOWN;
    const scope: Scope = { module: fn.module, file: fn.file, env: new Map(), depth: depth + 1, ...(fn.selfType ? { selfType: fn.selfType } : {}) };
    let argIndex = 0;
    for (const p of fn.params) {
      const names = p.pattern.map(identOf).filter((n): n is string => !!n && n !== "mut");
      if (names.length === 1 && names[0] === "self") {
        if (self) scope.env.set("self", self);
        continue;
      }
      const value = args[argIndex++] ?? this.defaultFor(p.type, scope);
      if (names.length === 1 && p.pattern.every((t) => t.kind === "ident" || isPunct(t, "&"))) scope.env.set(names[0]!, value);
    }
    return this.evalBlock(fn.body, scope, capture);
  }

  /** A missing argument: the route builder a parameter's type names, with its defaults; else unknown. */
  private defaultFor(type: Token[], scope: Scope): Value {
    const name = typeName(type);
    if (!name || !this.isRouteStruct(name, scope.module)) return UNKNOWN;
    return this.assocCall(name, "default", [], scope);
  }

  private evalBlock(tokens: Token[], scope: Scope, capture = false): Value {
    let last: Value = UNKNOWN;
    for (const { tokens: st, terminated } of statements(tokens)) {
      if (isIdent(st[0], "let")) {
        // `let name = …;`, `let mut name: Type = …;` (other patterns bind nothing the reader needs)
        const eq = st.findIndex((t) => isPunct(t, "="));
        const colon = st.findIndex((t) => isPunct(t, ":"));
        const pattern = st.slice(1, colon > 0 && colon < eq ? colon : eq).filter((t) => !isIdent(t, "mut"));
        if (eq > 0 && pattern.length === 1 && pattern[0]!.kind === "ident") {
          const value = this.evalExpr(st.slice(eq + 1), scope);
          scope.env.set(pattern[0]!.text, value);
          if (capture) this.capture(value, scope, st[0]!.line);
        }
        continue;
      }
      if (isIdent(st[0], "return")) return this.evalExpr(st.slice(1), scope);
      const eq = st.findIndex((t) => isPunct(t, "="));
      if (eq > 0) {
        this.assign(st.slice(0, eq), this.evalExpr(st.slice(eq + 1), scope), scope);
        continue;
      }
      const value = this.evalExpr(st, scope);
      if (!terminated) last = value;
    }
    if (capture) this.capture(last, scope, tokens[tokens.length - 1]?.line ?? 0);
    return last;
  }

  private capture(value: Value, scope: Scope, line: number): void {
    if (value.kind === "router") this.candidates.push({ routes: value.routes, where: `${scope.file}:${line}` });
  }

  /** `x = v` and `x.field = v` (e.g. an edition swapping one route of a builder). */
  private assign(target: Token[], value: Value, scope: Scope): void {
    const path = target.map(identOf).filter((n): n is string => !!n);
    if (!target.every((t) => t.kind === "ident" || isPunct(t, ".")) || path.length === 0) return;
    if (path.length === 1) {
      scope.env.set(path[0]!, value);
      return;
    }
    let holder = scope.env.get(path[0]!);
    for (const field of path.slice(1, -1)) holder = holder?.kind === "struct" ? holder.fields.get(field) : undefined;
    if (holder?.kind === "struct") holder.fields.set(path[path.length - 1]!, value);
  }

  // ---- expressions -----------------------------------------------------------------------

  private evalExpr(tokens: Token[], scope: Scope): Value {
    let k = 0;
    while (isPunct(tokens[k], "&") || isPunct(tokens[k], "&&") || isPunct(tokens[k], "*") || isIdent(tokens[k], "mut") || isIdent(tokens[k], "move")) k++;
    const first = tokens[k];
    if (!first) return UNKNOWN;
    if (isPunct(first, "|") || isPunct(first, "||") || isIdent(first, "async")) return { kind: "fn", handler: { name: "<closure>" } };
    if (isIdent(first, "if") || isIdent(first, "match") || isIdent(first, "loop") || isIdent(first, "unsafe")) return UNKNOWN;

    let value: Value;
    if (first.kind === "str") {
      value = { kind: "str", value: first.text };
      k++;
    } else if (first.kind === "group" && first.delim === "(") {
      const parts = splitCommas(first.children, "expressions");
      value = parts.length === 1 ? this.evalExpr(parts[0]!, scope) : UNKNOWN;
      k++;
    } else if (first.kind === "group" && first.delim === "{") {
      value = this.evalBlock(first.children, { ...scope, env: new Map(scope.env) });
      k++;
    } else if (first.kind === "ident") {
      const { segments, end } = readPath(tokens, k);
      k = end;
      if (isPunct(tokens[k], "!")) return UNKNOWN; // a macro
      const callArgs = groupOf(tokens[k], "(");
      const fields = groupOf(tokens[k], "{");
      if (callArgs) {
        value = this.call(segments, callArgs.children, scope);
        k++;
      } else if (fields && /^[A-Z]/.test(segments[segments.length - 1]!)) {
        value = this.structLiteral(segments, fields.children, scope);
        k++;
      } else {
        value = this.pathValue(segments, scope);
      }
    } else return UNKNOWN;

    // Postfix: `.method(args)`, `.field`, `.await`, `?`.
    while (k < tokens.length) {
      const t = tokens[k]!;
      if (isPunct(t, "?")) {
        k++;
        continue;
      }
      if (!isPunct(t, ".") || !isIdent(tokens[k + 1])) return UNKNOWN; // an operator, a cast, a tuple index
      const name = identOf(tokens[k + 1])!;
      k += 2;
      if (isPunct(tokens[k], "::") && isPunct(tokens[k + 1], "<")) k = skipAngles(tokens, k + 1);
      if (name === "await") continue;
      const args = groupOf(tokens[k], "(");
      if (args) {
        value = this.method(value, name, args.children, scope, tokens[k - 1]!.line);
        k++;
      } else {
        value = value.kind === "struct" ? (value.fields.get(name) ?? UNKNOWN) : UNKNOWN;
      }
    }
    return value;
  }

  private pathValue(segments: string[], scope: Scope): Value {
    if (segments.length === 1 && scope.env.has(segments[0]!)) return scope.env.get(segments[0]!)!;
    const constTokens = this.names.constant(segments, scope.module);
    if (constTokens) return this.evalExpr(constTokens, scope);
    const fn = this.names.fn(segments, scope.module);
    return { kind: "fn", handler: { name: segments.join("::"), ...(fn ? { fn } : {}) } };
  }

  private call(segments: string[], argTokens: Token[], scope: Scope): Value {
    const last = segments[segments.length - 1]!;
    const args = () => splitCommas(argTokens, "expressions");
    const viaRouting = segments.length === 1 || segments.includes("routing");
    if (METHOD_FNS.has(last) && viaRouting) return this.methodRouter(UNKNOWN, last, args(), scope);
    if (last === "on" && viaRouting) return this.methodRouter(UNKNOWN, "on", args(), scope);
    if (/_service$/.test(last) && METHOD_FNS.has(last.replace(/_service$/, "")) && viaRouting) {
      return { kind: "methods", methods: [{ method: methodName(last.replace(/_service$/, "")) }] };
    }
    if (last === "new" && segments[segments.length - 2] === "Router") return { kind: "router", routes: [] };
    if (last === "new" && segments[segments.length - 2] === "MethodRouter") return { kind: "methods", methods: [] };
    if (segments.length >= 2) {
      const owner = segments[segments.length - 2]!;
      const type = owner === "Self" ? scope.selfType : this.names.struct(segments.slice(0, -1), scope.module)?.name;
      if (type && this.isRouteStruct(type, scope.module)) return this.assocCall(type, last, args().map((a) => this.evalExpr(a, scope)), scope);
    }
    const fn = this.names.fn(segments, scope.module);
    if (fn && this.returnsRoutes(fn)) return this.callFn(fn, args().map((a) => this.evalExpr(a, scope)), undefined, scope.depth);
    return UNKNOWN;
  }

  private assocCall(type: string, name: string, args: Value[], scope: Scope): Value {
    const fn = this.names.implMethod(type, name, scope.module);
    return fn ? this.callFn(fn, args, undefined, scope.depth) : UNKNOWN;
  }

  private method(receiver: Value, name: string, argTokens: Token[], scope: Scope, line: number): Value {
    const args = splitCommas(argTokens, "expressions");
    if (receiver.kind === "router") return this.routerMethod(receiver, name, args, scope, line);
    if (receiver.kind === "methods") return this.methodRouter(receiver, name, args, scope);
    if (receiver.kind === "struct") {
      if (PASS_THROUGH.has(name)) return receiver;
      const fn = this.names.implMethod(receiver.type, name, scope.module);
      return fn ? this.callFn(fn, args.map((a) => this.evalExpr(a, scope)), receiver, scope.depth) : UNKNOWN;
    }
    if (["route", "nest", "merge", "route_service", "nest_service"].includes(name)) {
      this.unresolved.push(`${scope.file}:${line}: .${name}(…) on a value that is not a router the reader could follow`);
    }
    return UNKNOWN;
  }

  private routerMethod(router: Extract<Value, { kind: "router" }>, name: string, args: Token[][], scope: Scope, line: number): Value {
    const where = `${scope.file}:${line}`;
    const pathArg = () => {
      const v = args[0] ? this.evalExpr(args[0], scope) : UNKNOWN;
      if (v.kind !== "str") this.unresolved.push(`${where}: .${name}(…) with a path the reader could not read`);
      return v.kind === "str" ? v.value : undefined;
    };
    switch (name) {
      case "route":
      case "route_service": {
        const path = pathArg();
        const methods = name === "route_service" ? { kind: "methods" as const, methods: [{ method: "ANY" }] } : args[1] ? this.evalExpr(args[1], scope) : UNKNOWN;
        if (path === undefined) return router;
        if (methods.kind !== "methods") {
          this.unresolved.push(`${where}: .route("${path}", …) with methods the reader could not read`);
          return router;
        }
        return { kind: "router", routes: [...router.routes, ...methods.methods.map((m) => ({ method: m.method, path, where, ...(m.handler ? { handler: m.handler } : {}) }))] };
      }
      case "nest":
      case "nest_service": {
        const prefix = pathArg();
        const inner = args[1] ? this.evalExpr(args[1], scope) : UNKNOWN;
        if (prefix === undefined) return router;
        if (inner.kind !== "router") {
          this.unresolved.push(`${where}: .${name}("${prefix}", …) with a router the reader could not follow`);
          return router;
        }
        return { kind: "router", routes: [...router.routes, ...inner.routes.map((r) => ({ ...r, path: joinPath(prefix, r.path) }))] };
      }
      case "merge": {
        const other = args[0] ? this.evalExpr(args[0], scope) : UNKNOWN;
        if (other.kind !== "router") {
          this.unresolved.push(`${where}: .merge(…) with a router the reader could not follow`);
          return router;
        }
        return { kind: "router", routes: [...router.routes, ...other.routes] };
      }
      default:
        return router; // layers, state, fallbacks
    }
  }

  /** `get(h)`, `.post(h2)`, `any(h)`, `on(MethodFilter::GET | MethodFilter::POST, h)`, layers passed through. */
  private methodRouter(receiver: Value, name: string, args: Token[][], scope: Scope): Value {
    const base = receiver.kind === "methods" ? receiver.methods : [];
    if (METHOD_FNS.has(name)) {
      const handler = args[0] ? this.handlerOf(args[0], scope) : undefined;
      return { kind: "methods", methods: [...base, { method: methodName(name), ...(handler ? { handler } : {}) }] };
    }
    if (name === "on") {
      const filters = (args[0] ?? []).map(identOf).filter((n): n is string => !!n && /^[A-Z]+$/.test(n));
      const handler = args[1] ? this.handlerOf(args[1], scope) : undefined;
      return { kind: "methods", methods: [...base, ...filters.map((m) => ({ method: m, ...(handler ? { handler } : {}) }))] };
    }
    return receiver.kind === "methods" ? receiver : UNKNOWN;
  }

  private handlerOf(tokens: Token[], scope: Scope): Handler | undefined {
    const v = this.evalExpr(tokens, scope);
    return v.kind === "fn" ? v.handler : undefined;
  }

  private structLiteral(segments: string[], body: Token[], scope: Scope): Value {
    const type = segments[segments.length - 1] === "Self" ? scope.selfType : segments[segments.length - 1];
    if (!type) return UNKNOWN;
    const fields = new Map<string, Value>();
    const parts = splitCommas(body, "expressions");
    const rest = parts.find((p) => isPunct(p[0], ".."));
    if (rest) {
      const isDefault = rest.length >= 4 && isIdent(rest[1], "Default") && isIdent(rest[3], "default");
      const base = isDefault ? this.assocCall(type, "default", [], scope) : this.evalExpr(rest.slice(1), scope);
      if (base.kind === "struct") for (const [k, v] of base.fields) fields.set(k, v);
    }
    for (const part of parts) {
      if (isPunct(part[0], "..") || !isIdent(part[0])) continue;
      const name = identOf(part[0])!;
      fields.set(name, isPunct(part[1], ":") ? this.evalExpr(part.slice(2), scope) : (scope.env.get(name) ?? UNKNOWN));
    }
    return { kind: "struct", type, fields };
  }

  /** A struct with a router-typed field (`DatabaseRoutes`, `IdentityRoutes`, `RootRoutes`, …). */
  private isRouteStruct(name: string, from: string): boolean {
    const s = this.names.struct([name], from);
    return !!s?.fields.some((f) => f.type.some((t) => t.kind === "ident" && /Router$/.test(t.text)));
  }

  private returnsRoutes(fn: FnDef): boolean {
    return fn.returns.some((t) => t.kind === "ident" && (/Router$/.test(t.text) || (t.text === "Self" && !!fn.selfType && this.isRouteStruct(fn.selfType, fn.module)) || this.isRouteStruct(t.text, fn.module)));
  }
}

/** `a::b::<T>::c` from `k`: the segments (generics dropped) and where the path ends. */
function readPath(tokens: Token[], k: number): { segments: string[]; end: number } {
  const segments = [identOf(tokens[k])!];
  let j = k + 1;
  while (isPunct(tokens[j], "::")) {
    if (isPunct(tokens[j + 1], "<")) j = skipAngles(tokens, j + 1);
    else if (isIdent(tokens[j + 1])) {
      segments.push(identOf(tokens[j + 1])!);
      j += 2;
    } else break;
  }
  return { segments, end: j };
}

function methodName(fn: string): string {
  return fn === "any" ? "ANY" : fn.toUpperCase();
}

/** axum's nesting: a nested `/` is the prefix itself. */
function joinPath(prefix: string, path: string): string {
  if (path === "/" || path === "") return prefix;
  return `${prefix.replace(/\/$/, "")}${path}`;
}

const BLOCK_STATEMENTS = new Set(["if", "match", "for", "while", "loop", "unsafe", "fn", "impl", "mod", "struct", "enum", "trait"]);

/**
 * Split a block's tokens into statements. `terminated` is false for a trailing expression (the
 * block's value). Block-like statements (`if … {} else {}`, `match`, items) end at their braces.
 */
function statements(tokens: Token[]): { tokens: Token[]; terminated: boolean }[] {
  const out: { tokens: Token[]; terminated: boolean }[] = [];
  let k = 0;
  while (k < tokens.length) {
    while (isPunct(tokens[k], "#") && isGroup(tokens[k + 1], "[")) k += 2;
    const head = tokens[k];
    if (!head) break;
    const blockLike = (head.kind === "ident" && BLOCK_STATEMENTS.has(head.text)) || isGroup(head, "{");
    let end = tokens.length;
    for (let j = k; j < tokens.length; j++) {
      const t = tokens[j]!;
      if (isPunct(t, ";")) {
        end = j;
        break;
      }
      const closesBlock = blockLike && isGroup(t, "{") && !isIdent(tokens[j + 1], "else");
      const closesMacro = isGroup(t, "{") && isPunct(tokens[j - 1], "!") && !isPunct(tokens[j + 1], ".") && !isPunct(tokens[j + 1], "?");
      if (closesBlock || closesMacro) {
        end = j + 1;
        break;
      }
    }
    const semicolon = isPunct(tokens[end], ";");
    out.push({ tokens: tokens.slice(k, end), terminated: semicolon || end < tokens.length });
    k = semicolon ? end + 1 : end;
  }
  return out;
}
