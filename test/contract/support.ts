/**
 * Contract tests against the Prism mock started from the spec: for an operation, the SDK call gets
 * the documented success example as `data`, and each declared error status (forced with
 * `Prefer: code=N`) comes back as `ok: false`, `kind: "http"`, that status and a documented body.
 */
import { describe, expect, inject, it } from "vitest";
import { createClient, type CallOptions, type Result } from "../../src/index.js";
import { concreteStatuses, listOperations, loadSpec, resolveRef, type Example, type Operation } from "../helpers/spec.js";

export const TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJFUzI1NiJ9.contract.test";
export const IDENTITY = "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d";
export const DATABASE = "quickstart-chat";
export const MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

export const spec = loadSpec(inject("specPath"));
const operations = new Map(listOperations(spec).map((op) => [op.operationId, op]));

export function mockClient() {
  // Prism's first check of a large example (the schema) can take seconds on a loaded 2-core machine.
  return createClient({ baseUrl: inject("prismUrl"), token: TOKEN, retries: 0, timeoutMs: 20_000 });
}

export function operation(id: string): Operation {
  const op = operations.get(id);
  if (!op) throw new Error(`the spec has no operation ${id}`);
  return op;
}

/** Every example body the spec documents for `status` (`undefined` stands for an empty body). */
export function documentedBodies(op: Operation, status: number): unknown[] {
  const response = op.responses[String(status)];
  if (!response?.content) return [undefined];
  const bodies: unknown[] = [];
  for (const media of Object.values(response.content)) {
    if (media.example !== undefined) bodies.push(media.example);
    for (const ex of Object.values(media.examples ?? {})) bodies.push(resolveRef<Example>(spec, ex).value);
    const schema = media.schema === undefined ? undefined : resolveRef<Record<string, unknown>>(spec, media.schema as never);
    if (schema?.example !== undefined) bodies.push(schema.example);
    if (Array.isArray(schema?.examples)) bodies.push(...(schema.examples as unknown[]));
  }
  return bodies.map((b) => (b === "" ? undefined : b));
}

export function successStatus(op: Operation): number {
  const status = concreteStatuses(op).find((s) => s >= 200 && s < 300);
  if (status === undefined) throw new Error(`${op.operationId} documents no 2xx`);
  return status;
}

/** A documented NDJSON example (its text) as the records the SDK returns: an `expected` for `contract`. */
export const ndjson = (example: unknown) =>
  String(example)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as unknown);

type Call = (options: CallOptions) => Promise<Result<unknown, unknown>>;

export interface ContractOptions {
  /** Turns the documented success example into the `data` the SDK should return. */
  expected?: (example: unknown) => unknown;
  /** Statuses the SDK deliberately maps to something other than an http error (e.g. verify's 400). */
  skipErrors?: number[];
}

export function contract(id: string, call: Call, options: ContractOptions = {}): void {
  describe(id, () => {
    const op = operation(id);
    const status = successStatus(op);

    it(`${status}: ok with the documented example as data`, async () => {
      const result = await call({});
      if (!result.ok) throw result.error;
      expect(result.meta.status).toBe(status);
      const expected = documentedBodies(op, status).map((example) => (options.expected ? options.expected(example) : example));
      // Every own property counts, enumerable or not (a new identity's token is non-enumerable).
      const data = result.data;
      const own = typeof data === "object" && data !== null && !Array.isArray(data) ? Object.fromEntries(Object.getOwnPropertyNames(data).map((k) => [k, (data as Record<string, unknown>)[k]])) : data;
      expect(expected).toContainEqual(own);
    });

    const errors = concreteStatuses(op).filter((s) => s >= 400 && !options.skipErrors?.includes(s));
    for (const code of errors) {
      it(`${code}: ok false, kind http, with a documented body`, async () => {
        const result = await call({ headers: { Prefer: `code=${code}` } });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.error.kind).toBe("http");
        expect(result.error.status).toBe(code);
        expect(result.error.operation).toBe(id);
        expect(documentedBodies(op, code)).toContainEqual(result.error.body);
      });
    }
  });
}
