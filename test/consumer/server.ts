/**
 * The canned SpacetimeDB server behind the consumer probes (`probe/smoke.js`, `probe/user-checks.js`):
 * node:http on 127.0.0.1, answers shaped as the spec's examples. It also checks what it receives (exact
 * body bytes, the JSON content type, where credentials go), answering 400 with what it got when a
 * request is not the one the probes should send, so a runtime whose fetch mangles a body, or a client
 * that puts a token in a URL, fails its check with the reason.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { deadPort } from "../faults/server.js";
import { startServer, type LocalServer, type Received } from "../helpers/local-server.js";
import { BIG_I64, DB_IDENTITY, MODULE_BYTES } from "./probe/smoke.js";
import { BEARER_TOKEN, ECHO_DB, HEADER_TOKEN, IDENTITY_TOKEN, NEW_IDENTITY, TOKENS } from "./probe/user-checks.js";

/** What `GET /v1/database/quickstart-chat` answers (the spec's example shape). */
export const DATABASE = {
  database_identity: { __identity__: `0x${DB_IDENTITY}` },
  owner_identity: { __identity__: "0xc2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d" },
  host_type: { Wasm: [] },
  initial_program: "0x9a3c71e2b0f4d8856c1e7a2f03b9d4e6a15c8f7b2e0d9c4a6b3f8e1d7c2a5b90",
};
const schemaV10 = readFileSync(join(import.meta.dirname, "../codegen/fixtures/quickstart-chat.v10.json"), "utf8");

const text = (status: number, body: string) => ({ status, type: "text/plain; charset=utf-8", body });
const json = (body: string) => ({ status: 200, type: "application/json", body });
/** A reducer committed: an empty text body, as the server sends it. */
const committed = { status: 200, type: "text/plain; charset=utf-8", body: "" };

function expectBody(r: Received, expected: string, contentType?: string): string | undefined {
  const got = r.body.toString("utf8");
  if (got !== expected) return `expected body ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`;
  if (contentType !== undefined && r.headers["content-type"] !== contentType) return `expected content-type ${contentType}, got ${r.headers["content-type"]}`;
  return undefined;
}

interface Answer {
  status: number;
  type?: string;
  body: string;
  headers?: Record<string, string>;
}

/** A credential where it must not be: in a URL or a body, a wrong one, or one sent to createIdentity. */
function misplacedCredential(r: Received): string | undefined {
  const url = decodeURIComponent(r.url.pathname + r.url.search);
  if (TOKENS.some((t) => url.includes(t) || r.body.includes(t))) return "a token in the URL or the body";
  const authorization = r.headers.authorization;
  if (authorization === undefined) return undefined;
  if (authorization !== `Bearer ${BEARER_TOKEN}`) return `Authorization is not "Bearer <the client's token>"`;
  if (`${r.method} ${r.url.pathname}` === "POST /v1/identity") return "createIdentity sent credentials (the server reads none there)";
  return undefined;
}

function answer(r: Received): Answer {
  const route = `${r.method} ${r.url.pathname}`;
  const misplaced = misplacedCredential(r);
  if (misplaced) return text(400, misplaced);
  switch (route) {
    case "POST /v1/identity":
      return json(JSON.stringify({ identity: NEW_IDENTITY, token: IDENTITY_TOKEN }));
    case "POST /v1/database": {
      const expected = Buffer.from(MODULE_BYTES);
      if (!r.body.equals(expected)) return text(400, `expected module bytes ${expected.toString("hex")}, got ${r.body.toString("hex")}`);
      // An anonymous publish mints the new owner: its identity and only credential come back as headers.
      const body = JSON.stringify({ Success: { domain: null, database_identity: DB_IDENTITY, op: "created" } });
      return { ...json(body), headers: { "spacetime-identity": NEW_IDENTITY, "spacetime-identity-token": HEADER_TOKEN } };
    }
    case `GET /v1/database/${ECHO_DB}`:
      // A proxy that quotes the request back: the client must redact it from everything it returns.
      return text(403, `forbidden for Authorization: ${r.headers.authorization ?? "(none)"}`);
    case "GET /v1/database/quickstart-chat/schema":
      return r.url.searchParams.get("version") === "10" ? json(schemaV10) : text(400, "the probes ask for version=10");
    case "GET /v1/ping":
      return { status: 200, body: "" };
    case "GET /v1/database/quickstart-chat":
      return json(JSON.stringify(DATABASE));
    case "GET /v1/database/missing-db":
      return text(404, "`missing-db` not found");
    case "POST /v1/database/quickstart-chat/sql": {
      const bad = expectBody(r, "SELECT * FROM message");
      if (bad) return text(400, bad);
      // Written by hand: the i64 has more digits than a double holds.
      const schema = '{"elements":[{"name":{"some":"a"},"algebraic_type":{"I32":[]}},{"name":{"some":"b"},"algebraic_type":{"I64":[]}}]}';
      const stats = '{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}';
      return json(`[{"schema":${schema},"rows":[[1,${BIG_I64}]],"total_duration_micros":1000,"stats":${stats}}]`);
    }
    case "POST /v1/database/quickstart-chat/call/send_message": {
      const bad = expectBody(r, '["hello",1]', "application/json");
      return bad ? text(400, bad) : committed;
    }
    case "POST /v1/database/bank/call/transfer": {
      const bad = expectBody(r, '[["0xff"],18446744073709551615,[1,[]]]', "application/json");
      return bad ? text(400, bad) : committed;
    }
    case "PUT /v1/database/quickstart-chat": {
      const expected = Buffer.from(MODULE_BYTES);
      if (!r.body.equals(expected)) return text(400, `expected module bytes ${expected.toString("hex")}, got ${r.body.toString("hex")}`);
      return json(JSON.stringify({ Success: { domain: null, database_identity: DB_IDENTITY, op: "updated" } }));
    }
    default:
      return text(404, `the smoke server has no route ${route}`);
  }
}

export function startSmokeServer(): Promise<LocalServer> {
  return startServer((request, response) => {
    const { status, type, body, headers } = answer(request);
    response.writeHead(status, { ...(type ? { "content-type": type } : {}), ...headers });
    response.end(body);
  });
}

/** A 127.0.0.1 URL whose port nothing listens on (bound, then closed). */
export const closedUrl = async (): Promise<string> => `http://127.0.0.1:${await deadPort()}`;

/** A free 127.0.0.1 port (bound, then released), for workerd's socket. */
export { deadPort as freePort };
