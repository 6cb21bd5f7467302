import { describe, expect, it } from "vitest";
import { SatsError, decodeValue, listProcedures, listReducers, listTables, parseJson, readModule, resolveType, typespaceOf } from "../../../src/sats/index.js";
import { T, identity, option, prod, product, unit } from "./fixtures.js";

/** The docs' `/schema?version=9` example for the `spacetime init` module (D/00300-database.md). */
const V9_DOCS = `{
  "typespace": { "types": [ { "Product": { "elements": [ { "name": { "some": "name" }, "algebraic_type": { "String": [] } } ] } } ] },
  "tables": [ { "name": "person", "product_type_ref": 0, "primary_key": [], "indexes": [], "constraints": [], "sequences": [],
      "schedule": { "none": [] }, "table_type": { "User": [] }, "table_access": { "Private": [] } } ],
  "reducers": [
    { "name": "add", "params": { "elements": [ { "name": { "some": "name" }, "algebraic_type": { "String": [] } } ] }, "lifecycle": { "none": [] } },
    { "name": "identity_connected", "params": { "elements": [] }, "lifecycle": { "some": { "OnConnect": [] } } },
    { "name": "identity_disconnected", "params": { "elements": [] }, "lifecycle": { "some": { "OnDisconnect": [] } } },
    { "name": "init", "params": { "elements": [] }, "lifecycle": { "some": { "Init": [] } } },
    { "name": "say_hello", "params": { "elements": [] }, "lifecycle": { "none": [] } }
  ],
  "types": [ { "name": { "scope": [], "name": "Person" }, "ty": 0, "custom_ordering": true } ],
  "misc_exports": [],
  "row_level_security": []
}`;

describe("V9 (the docs' example)", () => {
  const def = parseJson(V9_DOCS);

  it("lists the table with its columns", () => {
    expect(listTables(def)).toEqual([{ name: "person", ref: 0, columns: [{ name: "name", type: T.string }], primaryKey: [], isPublic: false }]);
  });

  it("lists reducers with their lifecycle", () => {
    const reducers = listReducers(def);
    expect(reducers.map((r) => [r.name, r.lifecycle])).toEqual([
      ["add", undefined],
      ["identity_connected", "OnConnect"],
      ["identity_disconnected", "OnDisconnect"],
      ["init", "Init"],
      ["say_hello", undefined],
    ]);
    expect(reducers[0]!.params).toEqual(product(["name", T.string]));
    expect(reducers[0]!.isPublic).toBeUndefined();
  });

  it("has no procedures, and its typespace", () => {
    expect(listProcedures(def)).toEqual([]);
    expect(typespaceOf(def).types).toHaveLength(1);
  });

  it("reads procedures from misc_exports and a public table with a primary key", () => {
    const v9 = parseJson(V9_DOCS) as Record<string, unknown>;
    v9.misc_exports = [
      { ColumnDefaultValue: { table: "person", col_id: 0, value: "00" } },
      { Procedure: { name: "return_person", params: { elements: [] }, return_type: { Ref: 0 } } },
    ];
    (v9.tables as Record<string, unknown>[])[0]!.primary_key = [0];
    (v9.tables as Record<string, unknown>[])[0]!.table_access = { Public: [] };
    expect(listProcedures(v9)).toEqual([{ name: "return_person", params: product(), returnType: { Ref: 0 } }]);
    expect(listTables(v9)[0]).toMatchObject({ primaryKey: ["name"], isPublic: true });
    // A procedure result decodes against its return type through the typespace.
    expect(decodeValue(listProcedures(v9)[0]!.returnType, parseJson('["World"]'), typespaceOf(v9))).toEqual({ name: "World" });
  });
});

/** A V10 def as the server emits it (crates/schema/src/def.rs): source names + ExplicitNames. */
const v10 = {
  sections: [
    {
      Typespace: {
        types: [
          prod(["id", T.u32], ["accessor_value_1", T.u32]),
          prod(["owner", identity], ["note", option(T.string)]),
          prod(["name", T.string]),
        ],
      },
    },
    { Types: [{ source_name: { scope: [], source_name: "AccessorRow" }, ty: 0, custom_ordering: true }] },
    {
      Tables: [
        {
          source_name: "accessor_table",
          product_type_ref: 0,
          primary_key: [0],
          indexes: [],
          constraints: [],
          sequences: [],
          table_type: { User: [] },
          table_access: { Public: [] },
          default_values: [],
          is_event: false,
        },
        {
          source_name: "notes",
          product_type_ref: 1,
          primary_key: [],
          indexes: [],
          constraints: [],
          sequences: [],
          table_type: { User: [] },
          table_access: { Private: [] },
          default_values: [],
          is_event: false,
        },
      ],
    },
    {
      Reducers: [
        { source_name: "sendMessage", params: product(["text", T.string]), visibility: { ClientCallable: [] }, ok_return_type: unit, err_return_type: T.string },
        { source_name: "init", params: product(), visibility: { Private: [] }, ok_return_type: unit, err_return_type: T.string },
        { source_name: "secret", params: product(), visibility: { Private: [] }, ok_return_type: unit, err_return_type: T.string },
      ],
    },
    { Procedures: [{ source_name: "returnPerson", params: product(), return_type: { Ref: 2 }, visibility: { ClientCallable: [] } }] },
    { LifeCycleReducers: [{ lifecycle_spec: { Init: [] }, function_name: "init" }] },
    {
      ExplicitNames: {
        entries: [
          { Table: { source_name: "accessor_table", canonical_name: "canonical_table" } },
          { Table: { source_name: "notes", canonical_name: "notes" } },
          { Function: { source_name: "sendMessage", canonical_name: "send_message" } },
          { Function: { source_name: "init", canonical_name: "init" } },
          { Function: { source_name: "returnPerson", canonical_name: "return_person" } },
        ],
      },
    },
  ],
};

describe("V10", () => {
  it("lists tables by canonical name, with columns, primary key and access", () => {
    expect(listTables(v10)).toEqual([
      {
        name: "canonical_table",
        ref: 0,
        columns: [
          { name: "id", type: T.u32 },
          { name: "accessor_value_1", type: T.u32 },
        ],
        primaryKey: ["id"],
        isPublic: true,
      },
      { name: "notes", ref: 1, columns: [{ name: "owner", type: identity }, { name: "note", type: option(T.string) }], primaryKey: [], isPublic: false },
    ]);
  });

  it("lists reducers by canonical name, with visibility and lifecycle", () => {
    expect(listReducers(v10)).toEqual([
      { name: "send_message", params: product(["text", T.string]), isPublic: true },
      { name: "init", params: product(), isPublic: false, lifecycle: "Init" },
      { name: "secret", params: product(), isPublic: false },
    ]);
  });

  it("lists procedures with their return type, which resolves through the typespace", () => {
    const [proc] = listProcedures(v10);
    expect(proc).toEqual({ name: "return_person", params: product(), returnType: { Ref: 2 }, isPublic: true });
    expect(resolveType(typespaceOf(v10), proc!.returnType)).toEqual(prod(["name", T.string]));
    expect(resolveType(typespaceOf(v10), T.bool)).toBe(T.bool);
  });

  it("tolerates left-out sections (the server omits empty ones)", () => {
    const bare = { sections: [{ Typespace: { types: [] } }, { ExplicitNames: { entries: [] } }] };
    expect(listTables(bare)).toEqual([]);
    expect(listReducers(bare)).toEqual([]);
    expect(listProcedures(bare)).toEqual([]);
  });
});

describe("readModule: what the generator reads too", () => {
  it("V9: named types with their scope, views, a scheduled table", () => {
    const v9 = parseJson(V9_DOCS) as Record<string, unknown>;
    v9.types = [{ name: { scope: ["game"], name: "Person" }, ty: 0 }, { name: { scope: [], name: 7 }, ty: 0 }];
    v9.misc_exports = [{ View: { name: "everyone", params: product(), return_type: { Array: { Ref: 0 } }, is_public: true } }];
    (v9.tables as Record<string, unknown>[])[0]!.schedule = { some: { reducer_name: "add", scheduled_at_column: 0 } };
    const m = readModule(v9);
    expect(m.version).toBe(9);
    expect(m.types).toEqual([{ path: ["game", "Person"], ref: 0 }]);
    expect(m.views).toEqual([{ name: "everyone", params: product(), returnType: { Array: { Ref: 0 } }, isPublic: true }]);
    expect(m.tables[0]).toMatchObject({ name: "person", ref: 0, scheduledFunction: "add" });
    expect(m.tables[0]!.isEvent).toBeUndefined();
  });

  it("V10: named types, views and schedules by canonical name, event tables", () => {
    const sections = [
      ...v10.sections,
      { Views: [{ source_name: "openJobs", params: product(), return_type: { Array: { Ref: 0 } }, is_public: false }] },
      { Schedules: [{ table_name: "canonical_table", function_name: "sendMessage" }] },
    ];
    const tables = (sections.find((s) => "Tables" in s) as { Tables: Record<string, unknown>[] }).Tables;
    const withEvent = sections.map((s) => ("Tables" in s ? { Tables: [tables[0], { ...tables[1], is_event: true }] } : s));
    const m = readModule({ sections: withEvent });
    expect(m.version).toBe(10);
    expect(m.types).toEqual([{ path: ["AccessorRow"], ref: 0 }]);
    expect(m.views).toEqual([{ name: "openJobs", params: product(), returnType: { Array: { Ref: 0 } }, isPublic: false }]);
    expect(m.tables.map((t) => [t.name, t.scheduledFunction, t.isEvent])).toEqual([
      ["canonical_table", "send_message", undefined],
      ["notes", undefined, true],
    ]);
  });
});

describe("bad input", () => {
  it("throws a SatsError for something that is not a module def", () => {
    for (const bad of [null, 1, [], {}, { tables: [] }]) expect(() => listTables(bad)).toThrow(SatsError);
    expect(() => resolveType({ types: [] }, { Ref: 0 })).toThrow(/refers to type 0/);
    const dangling = { sections: [{ Typespace: { types: [] } }, { Tables: [{ source_name: "t", product_type_ref: 4 }] }] };
    expect(() => listTables(dangling)).toThrow(/no product row type/);
    const notAProduct = { sections: [{ Typespace: { types: [null] } }, { Tables: [{ source_name: "t", product_type_ref: 0 }] }] };
    expect(() => listTables(notAProduct)).toThrow(/table "t" has no product row type/);
  });
});
