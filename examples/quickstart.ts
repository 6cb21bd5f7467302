/**
 * Quick start: ping a server, create an identity, publish a module, call a reducer, query it with
 * SQL (rows decoded by column name) and read its logs. Every call returns a result; nothing throws.
 *
 *   npm start        # against the embedded Prism mock of the spec (scripts/start.ts)
 *   SPACETIMEDB_URL=http://127.0.0.1:3000 SPACETIMEDB_MODULE=path/to/quickstart_chat.wasm npx tsx examples/quickstart.ts
 *
 * In your project, import from "spacetimedb-http" and "spacetimedb-http/node".
 */
import { createClient, type Result } from "../src/index.js";
import { fromFile } from "../src/node.js";

const baseUrl = process.env.SPACETIMEDB_URL ?? "http://127.0.0.1:3000";
const database = process.env.SPACETIMEDB_DATABASE ?? "quickstart-chat";
// A real server needs a real module (`spacetime build` writes one); the mock takes any bytes.
const modulePath = process.env.SPACETIMEDB_MODULE;
const module = modulePath ? fromFile(modulePath) : new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

let failed = 0;
/** Prints one line per call: what it returned, or what went wrong. */
function show<T>(what: string, result: Result<T>, describe: (data: T) => string): result is Result<T> & { ok: true } {
  if (result.ok) console.log(`✓ ${what}: ${describe(result.data)}`);
  else {
    failed++;
    const { kind, status, message } = result.error;
    console.log(`✗ ${what}: ${kind}${status ? ` ${status}` : ""}: ${message}`);
  }
  return result.ok;
}

console.log(`SpacetimeDB at ${baseUrl}, database "${database}"\n`);
const anonymous = createClient({ baseUrl });
show("ping", await anonymous.ping(), () => "the server is up");

const identity = await anonymous.createIdentity();
if (!show("create an identity", identity, (d) => `${d.identity} (its token stays in memory, never printed)`)) process.exit(1);

const client = createClient({ baseUrl, token: identity.data.token });

show("publish", await client.publishDatabase(database, module), (d) =>
  `${d.Success.op} ${d.Success.domain ?? "(no name)"} as ${d.Success.database_identity}`,
);

show("call send_message", await client.callReducer(database, "send_message", ["Hello from spacetimedb-http"]), (d) =>
  d === undefined ? "done" : `returned ${JSON.stringify(d)}`,
);

const query = "SELECT * FROM message";
const rows = await client.sqlRows(database, query);
if (show(query, rows, (statements) => `${statements[0]?.length ?? 0} row(s)`)) console.table(rows.data[0]);

const logs = await client.logs(database, { numLines: 10 });
if (show("logs", logs, (records) => `${records.length} record(s)`)) {
  for (const record of logs.data) console.log(`    [${record.level}] ${record.message}`);
}

if (failed > 0) process.exitCode = 1;
