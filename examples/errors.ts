/**
 * Failures are values: each result is `{ ok: false, error }` with an error `kind`, and nothing
 * throws unless you ask for it with `unwrap`.
 *
 *   SPACETIMEDB_URL=http://127.0.0.1:3000 npx tsx examples/errors.ts
 */
import { createClient, SpacetimeHttpError, unwrap } from "../src/index.js";

const client = createClient({ baseUrl: process.env.SPACETIMEDB_URL, retries: 0 });

// Checked before sending: a database name is lowercase letters, digits and single hyphens.
const invalid = await client.getDatabase("Not_A_Name");
if (!invalid.ok) console.log(`invalid-input, nothing sent: ${invalid.error.kind}: ${invalid.error.message}`);

// Nothing listens on port 1: a network error, after no retries.
const offline = await createClient({ baseUrl: "http://127.0.0.1:1", retries: 0 }).ping();
if (!offline.ok) console.log(`unreachable server: ${offline.error.kind}`);

// Prefer exceptions? unwrap returns the data or throws the SpacetimeHttpError.
try {
  const names = unwrap(await client.getDatabaseNames("quickstart-chat"));
  console.log(`names of quickstart-chat: ${names.names.join(", ") || "(none)"}`);
  unwrap(await client.getDatabase("Not_A_Name"));
} catch (error) {
  if (!(error instanceof SpacetimeHttpError)) throw error;
  console.log(`unwrap threw ${error.name} (${error.kind}) for ${error.operation}`);
}
