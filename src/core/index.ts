/**
 * The transport core, as the client and the conveniences use it. Importing through this one module
 * keeps the core in one chunk for bundlers that split code (each lazily loaded convenience reaches
 * the same set of core modules), instead of several small chunks that compress worse.
 */
export { call, checkToken, type Api, type CallPlan, type DirectTransport, type Header, type Query, type Send, type SendInit, type Transport } from "./call.js";
export { InputError, SpacetimeHttpError, ERROR_KINDS, jsonSyntaxReason, messageOf, type ErrorKind, type SpacetimeError } from "./errors.js";
export { redact, type Secrets } from "./secrets.js";
export { failure, refused, metaOf, unwrap, type Err, type Failure, type Meta, type Ok, type Result } from "./result.js";
export { optionsObject, readClientOptions, readCallOptions, normalizeBaseUrl, DEFAULT_BASE_URL, type CallOptions, type ClientConfig, type ClientOptions, type FetchLike, type TokenSource } from "./options.js";
export { assertValue, isStreamBody, pathSerializer, querySerializer, type BinaryBody } from "./serialize.js";
export { isJsonType } from "./decode.js";
export type { BodyKind, OperationInfo, ResponseKind } from "./operation-table.js";
