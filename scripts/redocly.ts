/** The Redocly CLI as the project runs it: its installed bin under this Node (no npx, nothing fetched), telemetry off. */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const REDOCLY_CLI = join(dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin", "cli.js");

/** The environment to run it in (redocly.yaml says `telemetry: off` too; this covers a run from elsewhere). */
export const redoclyEnv = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, REDOCLY_TELEMETRY: "off", ...extra });
