/**
 * The SDK's own CPU cost per call, without the network: an injected fetch answers at once with a
 * prepared response, so what is left is what the SDK adds (validation, URL, headers, timeout,
 * result). Compared with calling that same fetch and parsing the body by hand. Alternating rounds.
 */
import { createClient, type FetchLike } from "../src/index.js";
import { alternate, medians, mergeResults, round } from "./harness.js";

const N = 50_000;
const BODY = JSON.stringify({ database_identity: { __identity__: "0xc200" }, owner_identity: { __identity__: "0xc200" }, host_type: { Wasm: [] }, initial_program: "0x5d" });
const headers = { "content-type": "application/json", "spacetime-identity": "c2004c1029697ee358715d3a14a2add817c4b01651440de808371f78165ac90d", "spacetime-identity-token": "t" };
const fetch: FetchLike = async () => new Response(BODY, { headers });
const sdk = createClient({ fetch, token: "bench-token" });

const variants = {
  handWritten: async () => {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) {
      const res = await fetch("http://127.0.0.1:3000/v1/database/quickstart-chat", { headers: { authorization: "Bearer bench-token" } });
      if (res.ok) await res.json();
    }
    return { us: ((performance.now() - t0) * 1000) / N };
  },
  sdkGetDatabase: async () => {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) await sdk.getDatabase("quickstart-chat");
    return { us: ((performance.now() - t0) * 1000) / N };
  },
};
const samples = await alternate(variants, { warmup: 1, rounds: 7 });
const hand = medians(samples.handWritten).us!;
const ours = medians(samples.sdkGetDatabase).us!;
console.table([
  { variant: "hand-written (fetch + json)", usPerCall: round(hand, 2) },
  { variant: "sdk.getDatabase", usPerCall: round(ours, 2), addedUs: round(ours - hand, 2) },
]);
mergeResults("cpu", { calls: N, handWrittenUs: round(hand, 2), sdkUs: round(ours, 2), addedUsPerCall: round(ours - hand, 2) });
