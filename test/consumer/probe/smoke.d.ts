/** Declarations for `smoke.js` (plain JavaScript, run as is by Node, Bun, Deno and workerd). */
export interface SmokeCheck {
  name: string;
  ok: boolean;
  detail?: string;
}
export const TO: string;
export const DB_IDENTITY: string;
export const MODULE_BYTES: number[];
export const BIG_I64: string;
export const MODULE_DEF: unknown;
export const RESULT_PREFIX: string;
export function smoke(sdk: unknown, urls: { baseUrl: string; closedUrl: string }): Promise<SmokeCheck[]>;
export function resultLine(runtime: string, checks: SmokeCheck[]): string;
export function collector(show?: (detail: unknown) => string): { checks: SmokeCheck[]; check(name: string, fn: () => unknown): Promise<void> };
