/**
 * Every operation of the spec is mockable: Prism, started from the bundled spec in globalSetup,
 * answers a request built from the spec's own examples with the documented success response,
 * and every declared status with `Prefer: code=N`, each with a body that matches its schema.
 * The operation list comes from the spec, so a new operation is covered automatically.
 */
import { describe, expect, inject, it } from "vitest";
import { checkResponse } from "../helpers/check-response.js";
import { send, sendHandshake, websocketHandshakeHeaders, type RawResponse } from "../helpers/http.js";
import { buildRequest } from "../helpers/requests.js";
import { createValidator } from "../helpers/schema.js";
import { concreteStatuses, defaultSuccessStatus, listOperations, loadSpec, type Operation } from "../helpers/spec.js";

const spec = loadSpec(inject("specPath"));
const baseUrl = inject("prismUrl");
const validator = createValidator(spec);
const operations = listOperations(spec);

/** The WebSocket subprotocol a handshake asks for (SpacetimeDB's JSON protocol). */
const WS_PROTOCOL = "v1.json.spacetimedb";
/** Path parameters that may span segments (the user route's `{path}`): tests use one segment. */
const ONE_SEGMENT = ["path"];

/**
 * Prism compiles a response validator on its first use; for the recursive module-definition
 * schema (`schema` 200) that takes 7-9 s on a 2-core machine, so requests and tests get room.
 */
const REQUEST_TIMEOUT_MS = 25_000;
const TEST_TIMEOUT_MS = 60_000;

/** An operation answered by a protocol switch (the WebSocket `subscribe`). */
const isUpgrade = (op: Operation) => op.responses["101"] !== undefined;

function label(op: Operation): string {
  return `${op.operationId ?? "(no operationId)"} ${op.method.toUpperCase()} ${op.path}`;
}

it("the spec lists operations", () => {
  expect(operations.length).toBeGreaterThan(0);
});

for (const op of operations) {
  describe(label(op), () => {
    const success = defaultSuccessStatus(op);
    const statuses = concreteStatuses(op);
    if (statuses.length === 0) {
      it("declares at least one status", () => {
        expect.fail(`${label(op)} declares no concrete status code`);
      });
    }
    for (const status of statuses) {
      const preferred = status !== success;
      it(preferred ? `${status} (Prefer: code=${status})` : `${status} (no Prefer)`, async () => {
        const req = buildRequest(spec, op, { oneSegment: ONE_SEGMENT });
        expect(req.problems, `request could not be built from the spec: ${req.problems.join("; ")}`).toEqual([]);
        const prefer: Record<string, string> = preferred ? { Prefer: `code=${status}` } : {};
        let res: RawResponse;
        if (isUpgrade(op)) {
          res = await sendHandshake(baseUrl, req, { ...prefer, ...websocketHandshakeHeaders(WS_PROTOCOL) });
          if (status === 101) {
            // Prism serves the handshake as a plain GET and answers the documented 101 with the
            // declared headers' examples (so node:http sees an "upgrade"), but it never speaks
            // WebSocket: Sec-WebSocket-Accept is the spec's example, not derived from our key.
            expect(res.status).toBe(101);
          }
        } else {
          res = await send(baseUrl, req, prefer, REQUEST_TIMEOUT_MS);
        }
        const problems = checkResponse(spec, validator, op, status, res);
        // Further media types of the same response: ask for each with Accept.
        const mediaTypes = Object.keys(op.responses[String(status)]?.content ?? {});
        if (op.method !== "head" && !isUpgrade(op)) {
          for (const mediaType of mediaTypes.slice(1)) {
            const other = await send(baseUrl, req, { ...prefer, Accept: mediaType }, REQUEST_TIMEOUT_MS);
            for (const p of checkResponse(spec, validator, op, status, other, { mediaType })) {
              problems.push(`[Accept: ${mediaType}] ${p}`);
            }
          }
        }
        expect(problems, problems.join("\n")).toEqual([]);
      }, TEST_TIMEOUT_MS);
    }
  });
}
