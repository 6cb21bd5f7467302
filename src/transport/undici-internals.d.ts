/**
 * Types of the two undici files the Node transport imports by path (src/transport/undici-parts.ts):
 * undici ships types for its main entry only. Each file's `module.exports` is its default export.
 */
declare module "undici/lib/dispatcher/agent.js" {
  import type { Agent } from "undici";
  const AgentClass: typeof Agent;
  export default AgentClass;
}

declare module "undici/lib/api/api-request.js" {
  import type { Dispatcher } from "undici";
  const request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
  export default request;
}
