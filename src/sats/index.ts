/** SATS-JSON: lossless JSON, value decoding and encoding per type, and schema (module def) helpers. */
export type { AlgebraicType, ProductType, ProductTypeElement, SumType, SumTypeVariant, Typespace } from "../generated/schema.js";
export * from "./types.js";
export { MAX_JSON_DEPTH, jsonDepthExceeds, valueDepthExceeds } from "./depth.js";
export { parseJson } from "./json.js";
export { decodeRows, decodeValue } from "./decode.js";
export { encodeArgs, encodeSatsValue } from "./encode.js";
export { listProcedures, listReducers, listTables, readModule, resolveType, typespaceOf } from "./module.js";
export type { ColumnInfo, Lifecycle, ModuleInfo, NamedType, ProcedureInfo, ReducerInfo, TableInfo, ViewInfo } from "./module.js";
export { decodeSql } from "./rows.js";
