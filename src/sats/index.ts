export * from "./types.js";
export { parseJson, parseJsonExact, stringifyJson } from "./json.js";
export { decodeRows, decodeValue, decoderFor } from "./decode.js";
export type { Decoder } from "./decode.js";
