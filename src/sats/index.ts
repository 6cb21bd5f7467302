/** SATS-JSON: lossless JSON, value decoding and encoding per type, and schema (module def) helpers. */
export * from "./types.js";
export { parseJson } from "./json.js";
export { decodeRows, decodeValue } from "./decode.js";
export { encodeArgs, encodeValue } from "./encode.js";
export { listProcedures, listReducers, listTables, resolveType, typespaceOf } from "./module.js";
export type { ColumnInfo, Lifecycle, ProcedureInfo, ReducerInfo, TableInfo } from "./module.js";
export { decodeSql } from "./rows.js";
