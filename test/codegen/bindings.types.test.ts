/**
 * Type tests of generated bindings: checked by `tsc --noEmit` (npm run typecheck) and by
 * typecheck.test.ts, which compiles this file with the generated files under `strict`. The `it` only
 * makes vitest count the file. Each `@ts-expect-error` fails the type check if the misuse compiles.
 */
import { expectTypeOf, it } from "vitest";
import { createClient, type Identity, type Result, type Timestamp } from "../../src/index.js";
import * as chat from "./bindings/quickstart-chat.v10.js";
import * as edge from "./bindings/edge.v10.js";
import * as every from "./bindings/every-type.v9.js";
import * as rich from "./bindings/rich.v9.js";

const client = createClient({ fetch: async () => new Response(null, { status: 204 }) });
type Data<P> = P extends Promise<Result<infer T, unknown>> ? T : never;

const game = rich.connect(client, "game");
const db = every.connect(client, "every");
const quickstart = chat.connect(client, "quickstart-chat");
const ID: Identity = "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d";

it("types rows as sqlRows decodes them", () => {
  expectTypeOf<chat.User>().toEqualTypeOf<{ identity: string; name: string | undefined; online: boolean }>();
  expectTypeOf<chat.Message["sent"]>().toEqualTypeOf<Timestamp>();
  expectTypeOf<Data<ReturnType<typeof quickstart.tables.user.select>>>().toEqualTypeOf<chat.User[]>();
  expectTypeOf<every.EveryType["u64"]>().toEqualTypeOf<bigint>();
  expectTypeOf<every.EveryType["i256"]>().toEqualTypeOf<bigint>();
  expectTypeOf<every.EveryType["u32"]>().toEqualTypeOf<number>();
  expectTypeOf<every.EveryType["bytes"]>().toEqualTypeOf<Uint8Array>();
  expectTypeOf<every.EveryType["opt"]>().toEqualTypeOf<bigint | undefined>();
  expectTypeOf<every.EveryType["opt_opt"]>().toEqualTypeOf<{ some: string | undefined } | undefined>();
  expectTypeOf<every.EveryType["pair"]>().toEqualTypeOf<{ "0": number; "1": string }>();
  expectTypeOf<every.EveryType["result"]>().toEqualTypeOf<{ tag: "ok"; value: number } | { tag: "err"; value: string }>();
  expectTypeOf<every.EveryType["duration"]>().toEqualTypeOf<bigint>();
  expectTypeOf<every.Color>().toEqualTypeOf<
    { tag: "Red"; value: Record<string, never> } | { tag: "Rgb"; value: { r: number; g: number; b: number } } | { tag: "2"; value: number }
  >();
  expectTypeOf<rich.TickSchedule["scheduled_at"]>().toEqualTypeOf<{ tag: "Interval"; value: bigint } | { tag: "Time"; value: Timestamp }>();
  expectTypeOf<Data<ReturnType<typeof game.views.myPlayer.select>>>().toEqualTypeOf<rich.PlayerState[]>();
  expectTypeOf<Data<ReturnType<typeof game.procedures.totalBalance>>>().toEqualTypeOf<bigint>();
  expectTypeOf<Data<ReturnType<typeof db.procedures.maybeTwice>>>().toEqualTypeOf<{ some: bigint | undefined } | undefined>();
  expectTypeOf<Data<ReturnType<typeof game.reducers.createPlayer>>>().toEqualTypeOf<undefined>();
});

it("names clashing types and members with stable suffixes, and unnamed recursive types", () => {
  expectTypeOf<edge.Type2>().toEqualTypeOf<{ tag: "Nil"; value: Record<string, never> } | { tag: "Cons"; value: { head: number; tail: edge.Type2 } }>();
  expectTypeOf<edge.Lists["list"]>().toEqualTypeOf<edge.Type2>();
  expectTypeOf<every.Class>().toEqualTypeOf<{ x: number }>();
  expectTypeOf<every.Class2>().toEqualTypeOf<{ y: number }>();
  expectTypeOf<every.Array2>().toEqualTypeOf<{ z: number }>();
  expectTypeOf<every.Promise2>().toEqualTypeOf<every.Class>();
  expectTypeOf(db.reducers.doThing).parameter(0).toEqualTypeOf<Record<string, never> | undefined>();
  expectTypeOf(db.reducers.doThing2).parameter(0).toEqualTypeOf<{ color: every.Color }>();
  expectTypeOf(db.tables.class2.select).toBeFunction();
});

it("accepts right calls", () => {
  void game.reducers.createPlayer({ name: "ann", class: { tag: "Warrior", value: {} }, balance: 2n ** 100n });
  void game.reducers.createPlayer({ name: "ann", class: { tag: "Mage", value: { mana: 3 } }, balance: 1n, referrer: ID }, { timeoutMs: 5 });
  void game.reducers.moveTo({ id: 1n, to: { x: 1, y: 2 }, at: new Date() });
  void game.tables.playerState.select("level > 3", { confirmed: true });
  void db.reducers.delete({ function: 1n });
  void db.reducers.doThing();
  void quickstart.reducers.sendMessage({ text: "hi" });
});

// Never run: only compiled.
export function wrongCalls() {
  // @ts-expect-error wrong field type: a u128 is a bigint, not a number
  void game.reducers.createPlayer({ name: "ann", class: { tag: "Warrior", value: {} }, balance: 5 });
  // @ts-expect-error missing field: balance
  void game.reducers.createPlayer({ name: "ann", class: { tag: "Warrior", value: {} } });
  // @ts-expect-error unknown field
  void quickstart.reducers.sendMessage({ text: "hi", txt: "typo" });
  // @ts-expect-error a sum given as a bare string
  void game.reducers.createPlayer({ name: "ann", class: "Warrior", balance: 1n });
  // @ts-expect-error a sum with a tag it does not have
  void game.reducers.createPlayer({ name: "ann", class: { tag: "Bard", value: {} }, balance: 1n });
  // @ts-expect-error a product field of the wrong type inside a named type
  void game.reducers.moveTo({ id: 1n, to: { x: "1", y: 2 }, at: new Date() });
  // @ts-expect-error unknown reducer
  void game.reducers.deletePlayer({});
  // @ts-expect-error a lifecycle reducer is not callable
  void game.reducers.init();
  // @ts-expect-error a lifecycle reducer is not callable (quickstart-chat's connect handler)
  void quickstart.reducers.identityConnected();
  // @ts-expect-error the scheduled table's row is the reducer's argument, not its fields
  void game.reducers.tick({ scheduled_id: 1n, scheduled_at: { tag: "Interval", value: 5n }, note: undefined });
  // @ts-expect-error a where condition is SQL text
  void game.tables.playerState.select({ level: 3 });
  // @ts-expect-error unknown table
  void game.tables.players.select();
  // @ts-expect-error Option<Option<T>>: a some must be wrapped
  const nested: every.EveryType["opt_opt"] = "x";
  void nested;
  // @ts-expect-error rows are read-only data: a u64 column is not a number
  const n: number = ({} as rich.PlayerState).id;
  void n;
}

it("rejects wrong calls at compile time (see wrongCalls)", () => {
  expectTypeOf(wrongCalls).toBeFunction();
});
