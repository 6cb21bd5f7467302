/**
 * `npm run server:diff` (scripts/server-routes.ts) against a fixture server tree written for these
 * tests (test/unit/fixtures/server-routes): the matching tree passes, and each planted difference
 * is found. One more test reads a real SpacetimeDB tree when SPACETIMEDB_SOURCE names one.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { serverDiff } from "../../scripts/server-routes.js";
import { tokenize } from "../../scripts/server-routes/rust-tokens.js";

const fixture = fileURLToPath(new URL("./fixtures/server-routes", import.meta.url));
const temp = mkdtempSync(join(tmpdir(), "server-routes-"));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

/** A copy of the fixture tree with `edits` applied: file → [text to find, replacement]. */
function plant(name: string, edits: Record<string, [string, string]>): string {
  const dir = join(temp, name);
  cpSync(fixture, dir, { recursive: true });
  for (const [file, [find, replace]] of Object.entries(edits)) {
    const path = join(dir, file);
    const text = readFileSync(path, "utf8");
    if (!text.includes(find)) throw new Error(`${file} does not contain ${JSON.stringify(find)}`);
    writeFileSync(path, text.replace(find, replace));
  }
  return dir;
}

const DATABASE = "crates/client-api/src/routes/database.rs";

describe("server:diff on the fixture tree", () => {
  it("passes on a tree that serves exactly the spec's routes and parameters", async () => {
    const { code, report } = await serverDiff({ source: fixture });
    expect(report).toContain("version 2.12.0 (Cargo.toml)");
    expect(report).toMatch(/Routes: 38 under \/v1, read from the router built at crates\/standalone\/src\/subcommands\/start\.rs:\d+/);
    expect(report).not.toContain("only-in-a-test"); // the router built under #[cfg(test)]
    expect(report).toContain("GET /v1/metrics"); // listed under the allow-list, not as a difference
    expect(report).toContain("Result: the spec covers every /v1 route");
    expect(code).toBe(0);
  });

  it("finds a route the spec lacks", async () => {
    const dir = plant("new-route", {
      [DATABASE]: [`.route("/unlock", self.unlock_post)`, `.route("/unlock", self.unlock_post)\n            .route("/containers", axum::routing::get(db_info::<S>).delete(delete_database::<S>))`],
    });
    const { code, report } = await serverDiff({ source: dir });
    expect(report).toMatch(/Routes the spec lacks \(2\):\n {2}GET \/v1\/database\/\{name_or_identity\}\/containers {2}← db_info \(crates\/client-api\/src\/routes\/database\.rs:\d+\)\n {2}DELETE \/v1\/database\/\{name_or_identity\}\/containers/);
    expect(code).toBe(1);
  });

  it("finds an operation the server lacks", async () => {
    const dir = plant("removed-route", { [DATABASE]: [`.route("/lock", self.lock_post)`, ""] });
    const { code, report } = await serverDiff({ source: dir });
    expect(report).toContain("Operations the server lacks (1):\n  lockDatabase (POST /v1/database/{name_or_identity}/lock)\n");
    expect(code).toBe(1);
  });

  it("finds a query parameter the server added", async () => {
    const dir = plant("new-query-field", {
      [DATABASE]: ["    #[serde(default)]\n    follow: bool,", "    #[serde(default)]\n    follow: bool,\n    #[serde(default)]\n    level: Option<String>,"],
    });
    const { code, report } = await serverDiff({ source: dir });
    expect(report).toMatch(/Parameters that differ \(1\):\n {2}logs: the server reads query parameter `level` \(crates\/client-api\/src\/routes\/database\.rs:\d+\), the spec does not declare it\n/);
    expect(code).toBe(1);
  });

  it("finds a renamed query parameter (a serde rename) as one added and one removed", async () => {
    const dir = plant("renamed-query-field", { "crates/client-api/src/routes/energy.rs": [`#[serde(rename = "balance")]`, `#[serde(rename = "new_balance")]`] });
    const { code, report } = await serverDiff({ source: dir });
    expect(report).toContain("setEnergyBalance: the server reads query parameter `new_balance`");
    expect(report).toContain("setEnergyBalance: the spec declares query parameter `balance`, the server does not read it");
    expect(code).toBe(1);
  });

  it("applies rename_all, flatten and alias as serde does", async () => {
    const dir = plant("rename-all", {
      [DATABASE]: [`#[derive(Deserialize)]\npub struct ResetParams`, `#[derive(Deserialize)]\n#[serde(rename_all = "camelCase")]\npub struct ResetParams`],
      "crates/client-api/src/routes/subscribe.rs": ["pub connection_id: Option<String>,", "#[serde(alias = \"cid\")]\n    pub connection_id: Option<String>,"],
    });
    const { report } = await serverDiff({ source: dir });
    expect(report).toContain("resetDatabase: the server reads query parameter `numReplicas`");
    expect(report).toContain("resetDatabase: the spec declares query parameter `num_replicas`, the server does not read it");
    expect(report).not.toContain("`host_type`"); // flattened from a struct with its own (default) naming
    expect(report).toContain("subscribe: the server reads query parameter `cid`");
  });

  it("finds a spacetime-* request header the spec does not declare", async () => {
    const dir = plant("new-header", {
      "crates/client-api/src/routes/database/environment.rs": [`pub async fn get_environment<S>() -> &'static str {`, `pub async fn get_environment<S>(headers: HeaderMap) -> &'static str {\n    let _ = headers.get("spacetime-environment-format");`],
    });
    const { code, report } = await serverDiff({ source: dir });
    expect(report).toContain("getDatabaseEnvironment: the server reads header `spacetime-environment-format`");
    expect(code).toBe(1);
  });

  it("lists what the spec marks later than --ref as newer, not as a difference", async () => {
    const dir = plant("older-server", {
      [DATABASE]: [`.route("/environment", self.environment)`, ""],
      "crates/client-api/src/routes/database/environment.rs": [`headers.get_all(SpacetimeEnvironment::name())`, `headers.get_all("x-unrelated")`],
    });
    const { code, report } = await serverDiff({ source: dir, ref: "v2.8.3" });
    expect(report).toContain("version 2.8.3 (from --ref)");
    expect(report).toMatch(/Newer than this server in the spec \(x-spacetimedb-since\), not differences \(\d+\):\n/);
    expect(report).toMatch(/ {2}getDatabaseEnvironment \(GET \/v1\/database\/\{name_or_identity\}\/environment\): since \d+\.\d+\.\d+\n/);
    expect(report).toMatch(/ {2}header `spacetime-environment` of publishDatabase \(PUT \/v1\/database\/\{name_or_identity\}\): since/);
    expect(code).toBe(0);

    // Without --ref the tree's own version (2.12.0) says these must be there.
    const current = await serverDiff({ source: dir });
    expect(current.report).toContain("getDatabaseEnvironment (GET /v1/database/{name_or_identity}/environment), marked since");
    expect(current.code).toBe(1);
  });

  it("reads a bare git directory at a tag", async () => {
    const work = join(temp, "git-work");
    cpSync(fixture, work, { recursive: true });
    const git = (cwd: string, ...args: string[]) => {
      const r = spawnSync("git", ["-c", "user.name=test", "-c", "user.email=test@localhost", "-c", "init.defaultBranch=main", ...args], { cwd, encoding: "utf8" });
      if (r.status !== 0) throw new Error(r.stderr);
    };
    git(work, "init", "-q");
    git(work, "add", ".");
    git(work, "commit", "-q", "-m", "fixture");
    git(work, "tag", "v2.12.0");
    writeFileSync(join(work, "crates/client-api/src/routes/mod.rs"), "// emptied after the tag\n");
    git(work, "commit", "-q", "-am", "after the tag");
    git(temp, "clone", "-q", "--bare", work, "git-bare");

    const atTag = await serverDiff({ source: join(temp, "git-bare"), ref: "v2.12.0" });
    expect(atTag.report).toMatch(/git-bare at v2\.12\.0 \([0-9a-f]{9}\), version 2\.12\.0 \(from --ref\)/);
    expect(atTag.code).toBe(0);
    const atHead = await serverDiff({ source: join(temp, "git-bare") });
    expect(atHead.code).toBe(1);
  });
});

describe("the Rust tokenizer", () => {
  it("keeps strings, comments and nesting apart", () => {
    const tokens = tokenize(`/* a /* nested */ comment ( */ f(r#"raw ) "# , "a\\"b", 'c', 'a) // tail (\n`);
    expect(tokens.map((t) => t.kind)).toEqual(["ident", "group"]);
    const args = tokens[1]!.kind === "group" ? tokens[1]!.children : [];
    expect(args.filter((t) => t.kind === "str").map((t) => (t as { text: string }).text)).toEqual(["raw ) ", 'a"b']);
  });

  it("refuses unbalanced brackets", () => {
    expect(() => tokenize("fn f() { ( }")).toThrow(/unbalanced/);
  });
});

const source = process.env.SPACETIMEDB_SOURCE;
if (!source) console.log("server-routes: the real-tree test is skipped (set SPACETIMEDB_SOURCE to a SpacetimeDB checkout or bare git dir, SPACETIMEDB_REF to a tag)");

describe.skipIf(!source)("server:diff on a real SpacetimeDB tree (SPACETIMEDB_SOURCE)", () => {
  it("reports only what the spec marks newer than the tree", async () => {
    const ref = process.env.SPACETIMEDB_REF;
    const { code, report } = await serverDiff({ source: source!, ...(ref ? { ref } : {}) });
    expect(report, report).not.toMatch(/^(Routes the spec lacks|Operations the server lacks|Parameters that differ|Handlers the reader could not read|Router expressions the reader could not follow)/m);
    expect(code, report).toBe(0);
  }, 60_000);
});
