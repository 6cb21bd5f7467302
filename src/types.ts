/** Result data and error body types of each operation, read off the generated spec types. */
import type { operations } from "./generated/schema.js";

export type OperationName = keyof operations;

type Responses<K extends OperationName> = operations[K]["responses"];
type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206;
type BodyOf<R> = R extends { content: infer C } ? C[keyof C] : undefined;

/** The body of any documented 2xx response of operation K (`undefined` for an empty one). */
export type DataOf<K extends OperationName> = {
  [S in keyof Responses<K>]: S extends SuccessStatus ? BodyOf<Responses<K>[S]> : never;
}[keyof Responses<K>];

/** The body of any documented error response of operation K: the server's text or typed JSON. */
export type ErrorBodyOf<K extends OperationName> = {
  [S in keyof Responses<K>]: S extends SuccessStatus ? never : BodyOf<Responses<K>[S]>;
}[keyof Responses<K>];
