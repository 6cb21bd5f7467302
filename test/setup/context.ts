/** Values `test/setup/global.ts` provides to every test file through `inject()`. */
declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL of the in-process Prism mock, `http://127.0.0.1:<port>` (no trailing slash). */
    prismUrl: string;
    /** Absolute path of the Redocly bundle of the spec (YAML, local refs only). */
    specPath: string;
  }
}
export {};
