/**
 * Generated bindings against a server: an injected fetch that records what is sent, and a node:http
 * server on 127.0.0.1. Bodies are exact (big integers, sums, options), rows decode by the SQL
 * answer's schema, and every call is one request (the module's types are embedded).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type SpacetimeClient } from "../../src/index.js";
import { Timestamp } from "../../src/sats/index.js";
import { empty, fakeFetch, IDENTITY, text, type Reply } from "../helpers/fake-fetch.js";
import * as chat from "./bindings/quickstart-chat.v10.js";
import * as every from "./bindings/every-type.v9.js";
import * as rich from "./bindings/rich.v9.js";

const U64_MAX = 2n ** 64n - 1n;
const U128_MAX = 2n ** 128n - 1n;
const el = (name: string, t: unknown) => ({ name: { some: name }, algebraic_type: t });
const T = (k: string) => ({ [k]: [] });
const unit = { Product: { elements: [] } };
const identityT = { Product: { elements: [el("__identity__", T("U256"))] } };
const timestampT = { Product: { elements: [el("__timestamp_micros_since_unix_epoch__", T("I64"))] } };
const raw = (body: string) => new Response(body, { headers: { "content-type": "application/json" } });
/** An `sql` answer as the server writes it: one statement, its schema and positional rows. */
const sqlAnswer = (elements: unknown[], rows: string) =>
  raw(`[{"schema":{"elements":${JSON.stringify(elements)}},"rows":${rows},"total_duration_micros":120,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]`);

function bind<M>(connect: (c: SpacetimeClient, db: string) => M, database: string, ...replies: Reply[]) {
  const fetch = fakeFetch(...replies);
  return { m: connect(createClient({ fetch, baseUrl: "http://stdb.test" }), database), sent: fetch.sent };
}
const paths = (sent: { url: string }[]) => sent.map((r) => new URL(r.url).pathname);

describe("reducers and procedures (rich v9: a schedule, a procedure, a view)", () => {
  it("sends named arguments in parameter order, u128 digits intact, a sum as [tag, payload], an Option as [0, v]", async () => {
    const { m, sent } = bind(rich.connect, "game", empty());
    const r = await m.reducers.createPlayer({ name: "ann", class: { tag: "Mage", value: { mana: 7 } }, balance: U128_MAX, referrer: IDENTITY });
    expect(r.ok).toBe(true);
    expect(r.ok && r.data).toBeUndefined();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.method).toBe("POST");
    expect(paths(sent)).toEqual(["/v1/database/game/call/create_player"]);
    expect(sent[0]!.body).toBe(`["ann",[1,[7]],340282366920938463463374607431768211455,[0,["0x${IDENTITY}"]]]`);
  });

  it("writes an omitted Option as none, a unit variant as [i, []], a Date as micros, a u64 exactly", async () => {
    const { m, sent } = bind(rich.connect, "game", empty(), empty());
    await m.reducers.createPlayer({ name: "bo", class: { tag: "Warrior", value: {} }, balance: 0n });
    await m.reducers.moveTo({ id: U64_MAX, to: { x: 1.5, y: -2 }, at: new Date(1_700_000_000_123) });
    expect(sent.map((s) => s.body)).toEqual(['["bo",[0,[]],0,[1,[]]]', "[18446744073709551615,[1.5,-2],[1700000000123000]]"]);
    expect(paths(sent)).toEqual(["/v1/database/game/call/create_player", "/v1/database/game/call/move_to"]);
  });

  it("calls the scheduled reducer with its table's row", async () => {
    const { m, sent } = bind(rich.connect, "game", empty());
    await m.reducers.tick({ arg: { scheduled_id: 9n, scheduled_at: { tag: "Interval", value: 5_000_000n }, note: "n" } });
    expect(sent[0]!.body).toBe('[[9,[0,[5000000]],[0,"n"]]]');
  });

  it("resolves a procedure to its typed return value, losslessly", async () => {
    const { m, sent } = bind(rich.connect, "game", raw("340282366920938463463374607431768211455"));
    const r = await m.procedures.totalBalance({ owner: IDENTITY });
    expect(r.ok && r.data).toBe(U128_MAX);
    expect(paths(sent)).toEqual(["/v1/database/game/call/total_balance"]);
    expect(sent[0]!.body).toBe(`[["0x${IDENTITY}"]]`);
  });

  it("checks arguments before sending: a bad call is an invalid-input result and no request", async () => {
    const { m, sent } = bind(rich.connect, "game", empty());
    const bad = [
      await m.reducers.createPlayer({ name: "x", class: "Mage", balance: 1n } as never),
      await m.reducers.createPlayer({ name: "x", class: { tag: "Bard", value: {} }, balance: 1n } as never),
      await m.reducers.createPlayer({ name: "x", class: { tag: "Warrior", value: {} } } as never),
      await m.reducers.createPlayer({ name: "x", class: { tag: "Warrior", value: {} }, balance: 2n ** 200n }),
      await m.reducers.moveTo(null as never),
      await m.reducers.tick([] as never),
    ];
    expect(bad.map((r) => (r.ok ? "ok" : r.error.kind))).toEqual(Array(bad.length).fill("invalid-input"));
    expect(bad[0]!.ok || bad[0]!.error.message).toMatch(/class.*tag one of "Warrior", "Mage", "Rogue"/);
    expect(sent).toHaveLength(0);
    // (A sum as a bare string is a type error; at run time the codec still takes the bare name of a
    // unit variant, so only the payload variant is tried here.)
  });

  it("leaves lifecycle reducers out, at run time too", () => {
    const { m } = bind(rich.connect, "game");
    expect(Object.keys(m.reducers)).toEqual(["createPlayer", "tick", "moveTo"]);
    expect("init" in m.reducers).toBe(false);
    const q = bind(chat.connect, "quickstart-chat").m;
    expect(Object.keys(q.reducers)).toEqual(["setName", "sendMessage"]);
  });

  it("returns the server's error as a result", async () => {
    const { m } = bind(rich.connect, "game", text("The reducer panicked: no such player", 530));
    const r = await m.reducers.moveTo({ id: 1n, to: { x: 0, y: 0 }, at: new Date(0) });
    expect(r.ok ? 0 : r.error.status).toBe(530);
  });
});

describe("tables and views", () => {
  const playerColumns = [
    el("id", T("U64")), el("owner", identityT), el("name", T("String")), el("level", T("U32")), el("balance", T("U128")),
    el("class", { Sum: { variants: [el("Warrior", unit), el("Mage", { Product: { elements: [el("mana", T("U32"))] } }), el("Rogue", T("String"))] } }),
  ];
  const playerRows = `[[18446744073709551615,["0x${IDENTITY}"],"ann",3,340282366920938463463374607431768211455,[1,[7]]]]`;
  const ann: rich.PlayerState = { id: U64_MAX, owner: IDENTITY, name: "ann", level: 3, balance: U128_MAX, class: { tag: "Mage", value: { mana: 7 } } };

  it("select(where) runs SELECT * FROM <table> WHERE <where> and resolves to the typed rows", async () => {
    const { m, sent } = bind(rich.connect, "game", sqlAnswer(playerColumns, playerRows));
    const r = await m.tables.playerState.select("level > 2");
    expect(sent).toHaveLength(1);
    expect(paths(sent)).toEqual(["/v1/database/game/sql"]);
    expect(sent[0]!.body).toBe("SELECT * FROM player_state WHERE level > 2");
    expect(r.ok && r.data).toEqual([ann]);
    expect(r.ok && r.meta.status).toBe(200);
  });

  it("select() without a condition, on a scheduled table (ScheduleAt decoded as a sum) and on views", async () => {
    const scheduleAt = { Sum: { variants: [el("Interval", { Product: { elements: [el("__time_duration_micros__", T("I64"))] } }), el("Time", timestampT)] } };
    const optionString = { Sum: { variants: [el("some", T("String")), el("none", unit)] } };
    const { m, sent } = bind(
      rich.connect,
      "game",
      sqlAnswer([el("scheduled_id", T("U64")), el("scheduled_at", scheduleAt), el("note", optionString)], "[[1,[1,[1700000000000001]],[1,[]]]]"),
      sqlAnswer(playerColumns, playerRows),
      sqlAnswer(playerColumns, "[]"),
    );
    const ticks = await m.tables.tickSchedule.select();
    expect(ticks.ok && ticks.data).toEqual([{ scheduled_id: 1n, scheduled_at: { tag: "Time", value: new Timestamp(1700000000000001n) }, note: undefined }]);
    expect((await m.views.myPlayer.select()).ok).toBe(true);
    const none = await m.views.placedPlayers.select("   ");
    expect(none.ok && none.data).toEqual([]);
    expect(sent.map((s) => s.body)).toEqual(["SELECT * FROM tick_schedule", "SELECT * FROM my_player", "SELECT * FROM placed_players"]);
  });

  it("a where that is not text is an invalid-input result, and the SQL error is a result", async () => {
    const { m, sent } = bind(rich.connect, "game", text("no such column: lvl", 400));
    const bad = await m.tables.playerState.select(3 as never);
    expect(bad.ok ? "ok" : bad.error.kind).toBe("invalid-input");
    expect(sent).toHaveLength(0);
    const r = await m.tables.playerState.select("lvl > 1");
    expect(r.ok ? 0 : r.error.status).toBe(400);
  });
});

describe("every SATS type (every-type v9)", () => {
  const row: every.EveryType = {
    b: true, s: "s\u00e9", i8: -128, u8: 255, i16: -32768, u16: 65535, i32: -2147483648, u32: 4294967295,
    i64: -(2n ** 63n), u64: U64_MAX, i128: -(2n ** 127n), u128: U128_MAX, i256: -(2n ** 255n), u256: 2n ** 256n - 1n,
    f32: 0.5, f64: -1.25, bytes: new Uint8Array([0, 1, 254, 255]), list: [1, -2], nested: [["a", undefined], []],
    opt: 9007199254740993n, opt_opt: { some: undefined }, identity: IDENTITY, connection_id: "0000000000000000000000000000abcd",
    timestamp: new Timestamp(-1n), duration: 1n, uuid: "0190a5c4-7e4b-7c3e-9f3a-0123456789ab",
    schedule: { tag: "Interval", value: 10n }, result: { tag: "err", value: "no" }, color: { tag: "2", value: 7 },
    unit: {}, pair: { "0": 1, "1": "one" }, class: false, tree: { tag: "Node", value: [{ tag: "Leaf", value: 1 }, { tag: "Node", value: [] }] },
  };
  const wire =
    '[true,"s\u00e9",-128,255,-32768,65535,-2147483648,4294967295,-9223372036854775808,18446744073709551615,' +
    "-170141183460469231731687303715884105728,340282366920938463463374607431768211455," +
    `"-0x8${"0".repeat(63)}","0x${"f".repeat(64)}",0.5,-1.25,"0001feff",[1,-2],[[[0,"a"],[1,[]]],[]],` +
    `[0,9007199254740993],[0,[1,[]]],["0x${IDENTITY}"],[43981],[-1],[1],[${BigInt("0x0190a5c47e4b7c3e9f3a0123456789ab")}],` +
    '[0,[10]],[1,"no"],[2,7],[],[1,"one"],false,[1,[[0,1],[1,[]]]]]';

  it("encodes a row argument exactly", async () => {
    const { m, sent } = bind(every.connect, "every", empty());
    const r = await m.reducers.insertEvery({ row });
    expect(r.ok).toBe(true);
    expect(sent[0]!.body).toBe(`[${wire}]`);
  });

  it("a procedure echoes it back, decoded to the same value; Option<Option<T>> keeps some(none)", async () => {
    const { m, sent } = bind(every.connect, "every", raw(wire), raw("[0,[1,[]]]"), raw("[1,[]]"), raw("[0,[0,5]]"));
    const echoed = await m.procedures.echoEvery({ row });
    expect(echoed.ok && echoed.data).toEqual(row);
    const twice = [await m.procedures.maybeTwice(), await m.procedures.maybeTwice({}), await m.procedures.maybeTwice()];
    expect(twice.map((r) => r.ok && r.data)).toEqual([{ some: undefined }, undefined, { some: 5n }]);
    expect(sent).toHaveLength(4);
  });

  it("members with keyword and clashing names call the right server names", async () => {
    const { m, sent } = bind(every.connect, "every", empty(), empty(), empty(), sqlAnswer([el("y", T("I32"))], "[[1]]"), sqlAnswer([el("x", T("I32"))], "[[2]]"));
    await m.reducers.delete({ function: 1n });
    await m.reducers.doThing();
    await m.reducers.doThing2({ color: { tag: "Red", value: {} } });
    const upper = await m.tables.class2.select();
    const lower = await m.tables.class.select();
    expect(paths(sent).slice(0, 3)).toEqual(["/v1/database/every/call/delete", "/v1/database/every/call/do_thing", "/v1/database/every/call/doThing"]);
    expect(sent.map((s) => s.body)).toEqual(["[1,[1,[]]]", "[]", "[[0,[]]]", 'SELECT * FROM Class', "SELECT * FROM class"]);
    expect(upper.ok && upper.data).toEqual([{ y: 1 }]);
    expect(lower.ok && lower.data).toEqual([{ x: 2 }]);
  });
});

describe("quickstart-chat (v10) against a node:http server on 127.0.0.1", () => {
  let server: Server;
  let url: string;
  const seen: { method: string; path: string; body: string; auth: string | undefined }[] = [];
  const read = async (req: IncomingMessage) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    return body;
  };

  beforeAll(async () => {
    server = createServer(async (req, res) => {
      const body = await read(req);
      seen.push({ method: req.method!, path: req.url!, body, auth: req.headers.authorization });
      if (req.url!.endsWith("/sql")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          `[{"schema":{"elements":${JSON.stringify([el("sender", identityT), el("sent", timestampT), el("text", T("String"))])}},` +
            `"rows":[[["0x${IDENTITY}"],[1700000000000000],"Hello!"]],"total_duration_micros":5,"stats":{"rows_inserted":0,"rows_deleted":0,"rows_updated":0}}]`,
        );
      } else if (req.url!.includes("/call/")) {
        res.writeHead(200).end();
      } else res.writeHead(404).end("not found");
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  it("sends a message and reads it back: one request each, never the schema", async () => {
    const m = chat.connect(createClient({ baseUrl: url, token: "tok" }), "quickstart-chat");
    const sent = await m.reducers.sendMessage({ text: "Hello!" });
    expect(sent.ok).toBe(true);
    const rows = await m.tables.message.select(`sender = 0x${IDENTITY}`);
    expect(rows.ok && rows.data).toEqual([{ sender: IDENTITY, sent: new Timestamp(1700000000000000n), text: "Hello!" }]);
    expect(rows.ok && rows.data[0]!.sent.date.toISOString()).toBe("2023-11-14T22:13:20.000Z");
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ["POST", "/v1/database/quickstart-chat/call/send_message", '["Hello!"]'],
      ["POST", "/v1/database/quickstart-chat/sql", `SELECT * FROM message WHERE sender = 0x${IDENTITY}`],
    ]);
    expect(seen.every((s) => s.auth === "Bearer tok")).toBe(true);
  });
});
