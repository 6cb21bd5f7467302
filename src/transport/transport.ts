/**
 * What the request core needs of a transport: send one openapi-fetch Request and answer a Response.
 * Each runtime's quirks stay behind this interface (fetch.ts, undici.ts).
 */

/** A `fetch` (the global one, or one the user injects). */
export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** What a transport needs of the call's deadline and signal: undici's `request()` accepts any such EventTarget. */
export interface StopSignal {
  readonly aborted: boolean;
  readonly reason: unknown;
  addEventListener(type: "abort", listener: () => void, options?: unknown): void;
  removeEventListener(type: "abort", listener: () => void): void;
}

export interface Transport {
  /** Sends one request; `stop` ends it (the call's deadline and signal) where `signalOnRequest` is false. */
  send(request: Request, stop: StopSignal | undefined): Promise<Response>;
  /** Whether the call's signal must ride on the Request (fetch) rather than be passed as `stop`. */
  readonly signalOnRequest: boolean;
  /** A lighter Request class, used only while no middleware is registered (middleware gets real ones). */
  readonly LightRequest?: typeof Request;
  /** The redirect mode of a request that must not follow one (an upload, environment values). */
  readonly noFollow: RequestRedirect;
}
