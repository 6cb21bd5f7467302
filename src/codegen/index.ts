/**
 * spacetimedb-http/codegen: the bindings generator behind `spacetimedb-http generate`, for build tools.
 * `generate(moduleDef)` takes the JSON of `GET …/schema?version=9|10` (parsed or as text) and returns
 * the text of a TypeScript file; the same definition always gives the same bytes.
 */
export { generate, PACKAGE_NAME } from "./bindings-file.js";
export type { GenerateOptions } from "./bindings-file.js";
export { summarizeDifference } from "./diff.js";
