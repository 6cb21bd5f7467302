/**
 * The generator against hostile module definitions (a server writes them), fast and in process: output
 * linear in the schema, members that cannot make an object thenable, each member bound to its own
 * function, escaped names, and a `SatsError` naming the cause for what cannot be written soundly. The
 * output is also run: written to a temp file and imported, bound to a client with an injected fetch.
 * Large inputs (time, memory, the compiler) are in test/codegen/hostile.test.ts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../../src/codegen/index.js";
import { NameTable } from "../../../src/codegen/names.js";
import { createClient, type BindableClient } from "../../../src/index.js";
import { SatsError } from "../../../src/sats/index.js";
import { el, moduleV9, reducer, selfSimilar, table } from "../../codegen/hostile-schemas.js";
import { empty, fakeFetch } from "../../helpers/fake-fetch.js";

const entry = resolve(import.meta.dirname, "../../../src/index.ts");
const dir = mkdtempSync(join(tmpdir(), "stdb-unit-codegen-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Bound {
  reducers: Record<string, (args?: object) => Promise<{ ok: boolean; error?: { kind: string; message: string } }>>;
  procedures: Record<string, unknown>;
  tables: Record<string, { name: string }>;
  views: Record<string, unknown>;
}

let files = 0;
/** The generated file for `def`, imported; `connect` bound to a client on a recording fetch. */
async function bind(def: unknown, ...replies: Response[]) {
  const file = join(dir, `bindings${files++}.ts`);
  writeFileSync(file, generate(def, { importFrom: entry }));
  const { connect } = (await import(file)) as { connect: (c: BindableClient, db: string) => Bound };
  const fetch = fakeFetch(...replies);
  return { m: connect(createClient({ fetch, baseUrl: "http://stdb.test", retries: 0 }), "db"), sent: fetch.sent };
}

const U32 = { U32: [] };
const STR = { String: [] };
/** A raw character a terminal or a reader's eye would act on. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

describe("output linear in the schema", () => {
  it("an unnamed type used twice is declared once, not written out at each use", () => {
    const out = generate(selfSimilar(12));
    // Written inline, the text doubles per level (the 12-level schema gave 300 KB).
    expect(out.length).toBeLessThan(12_000);
    expect(out).toContain("export interface T {\n  a: Type1;\n  b: Type1;\n}");
    expect(out).toContain("export interface Type11 {\n  a: number;\n  b: number;\n}");
  });

  it("names claimed in order get the same suffixes, whatever was claimed before", () => {
    const t = new NameTable(["A"]);
    expect(["a", "a2", "a", "a", "a3", "a22", "A", "A"].map((n) => t.claim(n))).toEqual(["a", "a2", "a3", "a4", "a32", "a22", "A2", "A3"]);
  });
});

describe("members", () => {
  const names = ["then", "constructor", "toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf"];

  it("a reducer, procedure, table or view named like Object.prototype's members, or `then`, gets a suffix", async () => {
    const def = moduleV9({
      types: [{ Product: { elements: [el("x", U32)] } }],
      tables: names.map((n) => table(n, 0)),
      reducers: names.map((n) => reducer(n)),
      procedures: names.map((n) => ({ name: `${n}_`, params: { elements: [] }, return_type: U32 })),
    });
    const { m, sent } = await bind(def, empty());
    for (const group of [m.reducers, m.procedures, m.tables]) {
      expect("then" in group).toBe(false);
      expect(Object.keys(group)).toEqual(["then2", "constructor2", "toString2", "valueOf2", "hasOwnProperty2", "proto", "isPrototypeOf2"]);
      expect(Object.getPrototypeOf(group)).toBe(Object.prototype);
    }
    // Not a thenable: awaiting the object gives it back at once.
    await expect(Promise.resolve(m.reducers)).resolves.toBe(m.reducers);
    expect(m.tables.then2!.name).toBe("then");
    expect((await m.reducers.then2!()).ok).toBe(true);
    expect(sent.map((s) => new URL(s.url).pathname)).toEqual(["/v1/database/db/call/then"]);
  });

  it("two reducers whose names meet after camelCase are each bound to their own name and parameters", async () => {
    const def = moduleV9({ reducers: [reducer("set_name", el("n", U32)), reducer("setName", el("s", STR))] });
    const { m, sent } = await bind(def, empty(), empty());
    expect(Object.keys(m.reducers)).toEqual(["setName", "setName2"]);
    expect((await m.reducers.setName2!({ s: "x" })).ok).toBe(true);
    expect((await m.reducers.setName!({ n: 7 })).ok).toBe(true);
    const wrong = await m.reducers.setName2!({ n: 7 });
    expect(wrong.ok ? "" : wrong.error!.message).toMatch(/unknown argument "n"/);
    expect(sent.map((s) => [new URL(s.url).pathname, s.body])).toEqual([
      ["/v1/database/db/call/setName", '["x"]'],
      ["/v1/database/db/call/set_name", "[7]"],
    ]);
  });

  it("lifecycle reducers are left out of the members and of the embedded definition", () => {
    const def = moduleV9({
      reducers: [
        reducer("send"),
        { ...reducer("init"), lifecycle: { some: { Init: [] } } },
        { ...reducer("client_connected"), lifecycle: { some: { OnConnect: [] } } },
        { ...reducer("client_disconnected"), lifecycle: { some: { OnDisconnect: [] } } },
      ],
    });
    const out = generate(def);
    expect(out).toContain('reducers: [["send", "send"]], procedures');
    expect(out).toContain("1 callable reducer,");
    for (const name of ["init", "client_connected", "client_disconnected", "clientConnected", "clientDisconnected"]) {
      expect(out).not.toContain(`"${name}"`);
      expect(out).not.toContain(` ${name}(`);
    }
  });
});

describe("names and tags from the schema are escaped in comments and strings", () => {
  const name = "evil\u001b[2J\u202etxt.exe\u2028*/ x";

  it("no raw control or bidi character is written, and the values stay the same", async () => {
    const def = moduleV9({
      types: [{ Product: { elements: [el(name, STR)] } }, { Sum: { variants: [el(name, STR), el("b", U32)] } }],
      tables: [table(name, 0)],
      reducers: [reducer(name, el(name, { Ref: 1 }))],
      named: [{ name: { scope: [name], name }, ty: 1 }],
    });
    const out = generate(def);
    expect(out).not.toMatch(UNSAFE);
    expect(out).toContain("A row of the table `evil\\u001b[2J\\u202etxt.exe\\u2028*\\/ x`");
    expect(out).toContain('"evil\\u001b[2J\\u202etxt.exe\\u2028*/ x": string;');
    const { m, sent } = await bind(def, empty());
    expect(m.tables.evil2JTxtExeX!.name).toBe(name);
    expect((await m.reducers.evil2JTxtExeX!({ [name]: { tag: name, value: "v" } })).ok).toBe(true);
    expect(sent[0]!.url).toBe(`http://stdb.test/v1/database/db/call/${encodeURIComponent(name)}`);
  });
});

describe("what cannot be written soundly is refused, naming the cause", () => {
  const cases: [string, unknown, RegExp][] = [
    ["two columns of one name", moduleV9({ types: [{ Product: { elements: [el("x", U32), el("x", STR)] } }], tables: [table("t", 0)] }), /type 0 of the typespace has two fields keyed "x"/],
    ["two parameters of one name", moduleV9({ reducers: [reducer("r", el("p", U32), el("p", U32))] }), /the parameter list of reducer "r" has two fields keyed "p"/],
    ["an unnamed field beside a field named \"0\"", moduleV9({ types: [{ Product: { elements: [el(undefined, U32), el("0", STR)] } }], tables: [table("t", 0)] }), /two fields keyed "0" \(an unnamed field is keyed by its position\)/],
    ["a cycle of bare references", moduleV9({ types: [{ Product: { elements: [el("x", { Ref: 1 })] } }, { Ref: 2 }, { Ref: 1 }], tables: [table("t", 0)] }), /type 1 of the typespace is a cycle of bare references \(1 → 2 → 1\)/],
    ["a type that is only a reference to itself", moduleV9({ types: [{ Ref: 0 }], named: [{ name: { scope: [], name: "Me" }, ty: 0 }] }), /type 0 of the typespace is a cycle of bare references \(0 → 0\)/],
    ["two reducers of one name", moduleV9({ reducers: [reducer("r", el("a", U32)), reducer("r", el("b", STR))] }), /two reducers or procedures are named "r"/],
    ["a reducer and a procedure of one name", moduleV9({ reducers: [reducer("f")], procedures: [{ name: "f", params: { elements: [] }, return_type: U32 }] }), /two reducers or procedures are named "f"/],
    ["a reference out of the typespace", moduleV9({ reducers: [reducer("r", el("a", { Ref: 7 }))] }), /the parameter list of reducer "r" refers to type 7, which the typespace does not have/],
    ["something that is not a type", moduleV9({ reducers: [reducer("r", el("a", { Float: [] }))] }), /the parameter list of reducer "r" holds something that is not a SATS type: {"Float":\[\]}/],
  ];
  it.each(cases)("%s", (_, def, message) => {
    let error: unknown;
    try {
      generate(def);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SatsError);
    expect((error as Error).message).toMatch(message);
  });

  it("a definition nested deeper than 256 levels, as text or as an object", () => {
    let t: unknown = U32;
    for (let i = 0; i < 100_000; i++) t = { Array: t };
    const def = moduleV9({ reducers: [reducer("r", el("a", t))] });
    expect(() => generate(def)).toThrow(new SatsError("the module definition nests arrays and objects more than 256 levels deep").message);
    const text = `{"typespace":{"types":[${"[".repeat(300)}${"]".repeat(300)}]},"tables":[]}`;
    expect(() => generate(text)).toThrow(/JSON nests arrays and objects more than 256 levels deep/);
  });
});
