/**
 * Every method the spec gives the client, called with the spec's own examples against the Prism mock:
 * the arguments come from the argument rule's output (src/generated/signatures.json) and each
 * parameter's and body's example, so an operation added to the spec is covered with no edit here.
 * The client has no public member that is neither an operationId nor a listed convenience.
 */
import { expect, it } from "vitest";
import signatures from "../../src/generated/signatures.json" with { type: "json" };
import { operations as methodOperations } from "../../src/generated/operations.js";
import { servedOperations } from "../../src/generated/served-operations.js";

const operations = { ...methodOperations, ...servedOperations };
import { CONVENIENCES } from "../../src/client/conveniences.js";
import type { CallOptions, Result } from "../../src/index.js";
import { isNdjsonMediaType, pickExample, resolveRef, type RequestBody } from "../helpers/spec.js";
import { DATABASE, IDENTITY, MODULE, contract, mockClient, ndjson, operation, spec, type ContractOptions } from "./support.js";

interface Signature {
  id: string;
  handWritten?: string;
  args: { name: string; in: "path" | "query" | "body"; param: string; required: boolean }[];
  options: { name: string; in: "query" | "header"; param: string; required: boolean; defaulted?: boolean }[];
}

/** Where a parameter has no example, what the tests use (the quickstart-chat story). */
const FALLBACK: Record<string, unknown> = { name_or_identity: DATABASE, identity: IDENTITY, reducer: "send_message" };

/** What the hand-written methods make of the spec's answers (the rest return the documented body). */
const HAND_WRITTEN: Record<string, ContractOptions> = {
  // 204 is true; an empty 400 is false rather than an error.
  verifyIdentity: { expected: () => true, skipErrors: [400] },
};

const client = mockClient() as unknown as Record<string, (...args: unknown[]) => Promise<Result<unknown, unknown>>>;

/** The arguments of a method: each parameter's or the body's first example from the spec. */
function exampleArguments(sig: Signature): unknown[] {
  const op = operation(sig.id);
  const paramExample = (name: string) => {
    const parameter = op.parameters.find((p) => p.name === name)!;
    const found = pickExample(spec, parameter);
    return found.found ? found.value : FALLBACK[name];
  };
  return sig.args.map((arg) => {
    if (arg.in !== "body") return paramExample(arg.param);
    const [mediaType, media] = Object.entries(resolveRef<RequestBody>(spec, op.requestBody!).content)[0]!;
    if (!/json|text/.test(mediaType)) return MODULE;
    const found = pickExample(spec, media);
    return found.found ? found.value : undefined;
  });
}

/** The options every call gets: each required option's example. */
function requiredOptions(sig: Signature): Record<string, unknown> {
  const op = operation(sig.id);
  return Object.fromEntries(
    sig.options
      .filter((o) => o.required)
      .map((o) => {
        const found = pickExample(spec, op.parameters.find((p) => p.name === o.param)!);
        return [o.name, found.found ? found.value : undefined];
      }),
  );
}

/** An NDJSON success is documented as its text and returned as its records. */
function expectedOf(sig: Signature): ContractOptions["expected"] {
  const content = operation(sig.id).responses["200"]?.content ?? {};
  if (!Object.keys(content).some(isNdjsonMediaType)) return undefined;
  return ndjson;
}

for (const sig of signatures as Signature[]) {
  const args = exampleArguments(sig);
  const required = requiredOptions(sig);
  contract(sig.id, (o: CallOptions) => client[sig.id]!(...args, { ...required, ...o }), { expected: expectedOf(sig), ...HAND_WRITTEN[sig.id] });
}

it("covers every operation of the spec: by a method of its own, by route, or by subscribeUrl", () => {
  const served = (id: string) => (id.startsWith("httpRoute") ? "route" : id === "subscribe" ? "subscribeUrl" : id);
  const members = new Set(Object.keys(mockClient()));
  expect(Object.keys(operations).map(served).filter((m) => !members.has(m))).toEqual([]);
  expect((signatures as Signature[]).map((s) => s.id).sort()).toEqual(Object.keys(operations).filter((id) => served(id) === id).sort());
});

it("has no public member that is neither an operationId nor a listed convenience", () => {
  const known = new Set<string>([...Object.keys(operations), ...CONVENIENCES]);
  expect(Object.keys(mockClient()).filter((m) => !known.has(m))).toEqual([]);
});
