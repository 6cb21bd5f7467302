/** Every spec operation has a client method and a contract test; the client has nothing else. */
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONVENIENCES, createClient } from "../../src/index.js";
// The generated table holds every operationId of the spec (npm run generate:check keeps it current).
import { operations } from "../../src/generated/operations.js";

const operationIds = Object.keys(operations);
const methods = Object.keys(createClient());
/** Operations one SDK member serves instead of a method of their own (decisions.md). */
const servedBy = (id: string) => (id.startsWith("httpRoute") ? "route" : id === "subscribe" ? "subscribeUrl" : id);
const contractDir = new URL("../contract/", import.meta.url);
const contractSource = readdirSync(contractDir)
  .filter((f) => f.endsWith(".test.ts"))
  .map((f) => readFileSync(new URL(f, contractDir), "utf8"))
  .join("\n");

describe("coverage", () => {
  it("has a client method for every operationId", () => {
    expect(operationIds.map(servedBy).filter((m) => !methods.includes(m))).toEqual([]);
  });

  it("has no public member that is neither an operationId nor a listed convenience", () => {
    const known = new Set<string>([...operationIds, ...CONVENIENCES]);
    expect(methods.filter((m) => !known.has(m))).toEqual([]);
  });

  it("has a contract test named after every operationId", () => {
    const routeLoop = /httpRoute\$\{kind\}\$\{method\}/.test(contractSource);
    const missing = operationIds.filter((id) => {
      if (id.startsWith("httpRoute") && routeLoop) return false;
      return !contractSource.includes(`contract("${id}"`) && !contractSource.includes(`describe("${id}"`);
    });
    expect(missing).toEqual([]);
  });
});
