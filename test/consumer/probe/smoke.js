/**
 * The runtime smoke set: a handful of real calls through the INSTALLED package against the canned
 * server of `../server.ts`. Plain JavaScript with no imports of its own, so that Node, Bun, Deno and
 * workerd run the same file; each probe passes it the package's main module, imported or required.
 *
 * Every check resolves to `{ name, ok, detail }`; a throw is a failed check, never a crash.
 * Only the package's public API is used.
 */

/** What `server.ts` expects and answers: keep the two files in step. */
export const TO = "00000000000000000000000000000000000000000000000000000000000000ff";
export const DB_IDENTITY = "c20050d858e0985ecc7f60418aaf0cc5ab587f42c2570a884095a9e8ccacd0f6";
export const MODULE_BYTES = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0xff, 0x80];
export const BIG_I64 = "9007199254740993"; // 2^53 + 1: a float would round it

const u64 = { U64: [] };
const identityType = { Product: { elements: [{ name: { some: "__identity__" }, algebraic_type: { U256: [] } }] } };
const option = (t) => ({
  Sum: { variants: [{ name: { some: "some" }, algebraic_type: t }, { name: { some: "none" }, algebraic_type: { Product: { elements: [] } } }] },
});
const param = (name, type) => ({ name: { some: name }, algebraic_type: type });
/** A v9 module def with one reducer, passed as `moduleDef` so no schema is fetched. */
export const MODULE_DEF = {
  typespace: { types: [] },
  tables: [],
  reducers: [{ name: "transfer", params: { elements: [param("to", identityType), param("amount", u64), param("memo", option({ String: [] }))] }, lifecycle: { none: [] } }],
  types: [],
  misc_exports: [],
  row_level_security: [],
};

/**
 * `check(name, fn)` runs `fn` (true: passed; anything else: the failure's detail; a throw: failed with
 * its stack) and adds the outcome to `checks`; `show` writes a detail (user-checks.js hides tokens with it).
 */
export function collector(show = String) {
  const checks = [];
  const check = async (name, fn) => {
    try {
      const detail = await fn();
      checks.push(detail === true ? { name, ok: true } : { name, ok: false, detail: show(detail) });
    } catch (e) {
      checks.push({ name, ok: false, detail: show(`threw ${e && e.stack ? e.stack : e}`) });
    }
  };
  return { checks, check };
}

const describeError = (r) => (r && r.ok === false ? `${r.error.kind}${r.error.status ? ` ${r.error.status}` : ""}: ${r.error.message}` : JSON.stringify(r));

/**
 * @param {any} sdk the package's main module (`await import("spacetimedb-http")` or `require("spacetimedb-http")`)
 * @param {{ baseUrl: string, closedUrl: string }} urls the canned server, and a port nothing listens on
 * @returns {Promise<{ name: string, ok: boolean, detail?: string }[]>}
 */
export async function smoke(sdk, { baseUrl, closedUrl }) {
  const { checks, check } = collector();
  let client;

  await check("createClient", () => {
    client = sdk.createClient({ baseUrl, retries: 0 });
    return typeof client.ping === "function" || "no ping method";
  });
  if (!client) return checks;

  await check("ping", async () => {
    const r = await client.ping();
    return (r.ok && r.meta.status === 200) || describeError(r);
  });

  await check("getDatabase (JSON)", async () => {
    const r = await client.getDatabase("quickstart-chat");
    if (!r.ok) return describeError(r);
    const id = r.data.database_identity && r.data.database_identity.__identity__;
    return id === `0x${DB_IDENTITY}` || `database_identity ${JSON.stringify(r.data.database_identity)}`;
  });

  await check("sql (text body, JSON answer)", async () => {
    const r = await client.sql("quickstart-chat", "SELECT * FROM message");
    if (!r.ok) return describeError(r);
    return (Array.isArray(r.data) && r.data.length === 1 && r.data[0].rows.length === 1) || `data ${JSON.stringify(r.data)}`;
  });

  await check("sqlRows (exact i64 as bigint)", async () => {
    const r = await client.sqlRows("quickstart-chat", "SELECT * FROM message");
    if (!r.ok) return describeError(r);
    const row = r.data[0] && r.data[0][0];
    return (row && row.a === 1 && row.b === BigInt(BIG_I64)) || `row a=${row && row.a} b=${row && String(row.b)} (${row && typeof row.b})`;
  });

  await check("callReducer (JSON body)", async () => {
    const r = await client.callReducer("quickstart-chat", "send_message", ["hello", 1]);
    return r.ok || describeError(r);
  });

  await check("callReducerWith (exact u64 bigint, Identity, Option)", async () => {
    const r = await client.callReducerWith("bank", "transfer", { to: TO, amount: 18446744073709551615n, memo: undefined }, { moduleDef: MODULE_DEF });
    return r.ok || describeError(r);
  });

  await check("publishDatabase (Uint8Array binary body)", async () => {
    const r = await client.publishDatabase("quickstart-chat", new Uint8Array(MODULE_BYTES));
    if (!r.ok) return describeError(r);
    return (r.data && r.data.Success && r.data.Success.op === "updated") || `data ${JSON.stringify(r.data)}`;
  });

  await check("404 → ok:false, kind http", async () => {
    const r = await client.getDatabase("missing-db");
    if (r.ok) return `ok:true ${JSON.stringify(r.data)}`;
    return (r.error.kind === "http" && r.error.status === 404 && r.error instanceof sdk.SpacetimeHttpError) || describeError(r);
  });

  await check("closed port → ok:false, kind network", async () => {
    const r = await sdk.createClient({ baseUrl: closedUrl, retries: 0, timeoutMs: 10_000 }).ping();
    if (r.ok) return "ok:true";
    return r.error.kind === "network" || describeError(r);
  });

  return checks;
}

/** The one machine-readable line each runtime prints (the test reads the last such line). */
export const RESULT_PREFIX = "SMOKE_RESULT ";
export const resultLine = (runtime, checks) => RESULT_PREFIX + JSON.stringify({ runtime, checks });
