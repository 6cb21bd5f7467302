/** The shape of the runtime operation table that scripts/generate.ts writes from the spec. */

/** A value's constraints as the spec states them (path and query parameters, named schemas); a string unless `type` says otherwise. */
export interface ValueRule {
  readonly type?: string | readonly string[];
  readonly pattern?: string;
  /** The value must NOT match this pattern (a spec `not: {pattern}`). */
  readonly notPattern?: string;
  readonly enum?: readonly (string | number | boolean)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  /** An object's most properties. */
  readonly maxProperties?: number;
  /** The longest value of an object's properties (the spec's `additionalProperties.maxLength`). */
  readonly valueMaxLength?: number;
}

export type BodyKind = "json" | "text" | "binary";
export type ResponseKind = "json" | "text" | "ndjson" | "binary" | "empty";

/** The top-level JSON type(s) of a body and the properties every form of it requires. */
export interface BodyShape {
  readonly types: readonly string[];
  readonly required?: readonly string[];
}

export interface OperationInfo {
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD" | "OPTIONS";
  /** The path template, for the operations no send function carries (subscribe, the module routes). */
  readonly path?: string;
  /** The spec's `security: []`: the server reads no credentials here, so the client sends none. */
  readonly noCredentials?: boolean;
  readonly pathParams?: Readonly<Record<string, ValueRule>>;
  readonly query?: Readonly<Record<string, ValueRule>>;
  /**
   * The first request media type the spec declares, sent as the Content-Type; a text body's rule, a
   * JSON body's allowed top-level types and its array items' rule.
   */
  readonly body?: {
    /** The body argument's name in the method's signature (named in errors). */
    readonly name?: string;
    readonly type: string;
    readonly kind: BodyKind;
    readonly required?: boolean;
    readonly rule?: ValueRule;
    readonly types?: readonly string[];
    readonly items?: ValueRule;
  };
  /** Each documented 2xx status: the kind of its one media type ("empty" for none), or each media type's kind. */
  readonly responses: Readonly<Record<string, ResponseKind | Readonly<Record<string, Exclude<ResponseKind, "empty">>>>>;
  /** Each documented 2xx status whose body is JSON: the shape every answer must have. */
  readonly shapes?: Readonly<Record<string, BodyShape>>;
  /** Fields of the success body that are credentials (`x-spacetimedb-credential`). */
  readonly secretFields?: readonly string[];
  /** The spec's `x-spacetimedb-timeout: none`: the server bounds the call, so no default timeout. */
  readonly noTimeout?: boolean;
  /** For a WebSocket upgrade: the subprotocols, in the server's order of preference. */
  readonly subprotocols?: readonly string[];
}

export type OperationTable = Readonly<Record<string, OperationInfo>>;
