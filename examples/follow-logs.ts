/**
 * Follow a database's logs as they are written (NDJSON streamed over HTTP), for at most 10 seconds.
 * Needs the owner's token.
 *
 *   SPACETIMEDB_URL=http://127.0.0.1:3000 SPACETIMEDB_TOKEN=… npx tsx examples/follow-logs.ts
 */
import { createClient } from "../src/index.js";

const client = createClient({ baseUrl: process.env.SPACETIMEDB_URL, token: process.env.SPACETIMEDB_TOKEN });
const database = process.env.SPACETIMEDB_DATABASE ?? "quickstart-chat";

// The signal ends the stream quietly; a dropped connection would make the loop throw.
const opened = await client.followLogs(database, { numLines: 5, signal: AbortSignal.timeout(10_000) });
if (!opened.ok) {
  console.error(`cannot follow the logs: ${opened.error.kind} ${opened.error.status ?? ""} ${opened.error.message}`);
  process.exit(1);
}
let count = 0;
for await (const record of opened.data) {
  const when = new Date(record.ts / 1000).toISOString(); // microseconds since the epoch
  console.log(`${when} [${record.level}] ${record.message}`);
  count++;
}
console.log(`${count} record(s); the stream has ended`);
