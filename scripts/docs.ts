/**
 * `npm run docs [-- --out <file>]`: the Redoc reference as one HTML page (default dist/docs.html) that
 * makes no network request when viewed. `redocly build-docs --inlineBundle` embeds Redoc itself (its
 * options, code-sample languages included, come from redocly.yaml); Redoc's sidebar still loads its
 * "API docs by Redocly" logo from cdn.redoc.ly, which no Redoc setting turns off, so the page gets that
 * logo as an inline SVG instead. test/docs/render.test.ts opens the page in Chromium and records every
 * request it makes.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { REDOCLY_CLI, redoclyEnv } from "./redocly.js";

const { values } = parseArgs({ options: { out: { type: "string", default: "dist/docs.html" } } });
const out = values.out!;

const built = spawnSync(process.execPath, [REDOCLY_CLI, "build-docs", "spacetimedb@v1", "--inlineBundle", "-o", out], { stdio: "inherit", env: redoclyEnv() });
if (built.status !== 0) process.exit(built.status ?? 1);

/** The logo's words as an image: text in a small SVG, written as a data: URL (no quote or backtick, so it fits any JS string). */
const logo = (text: string, width: number) =>
  `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#6e6e80">${text}</text></svg>`)}`;
const LOGOS: Record<string, string> = {
  "https://cdn.redoc.ly/redoc/logo-mini-full.svg": logo("Redocly", 48),
  "https://cdn.redoc.ly/redoc/logo-mini.svg": logo("R", 10),
};

let html = readFileSync(out, "utf8");
for (const [url, inline] of Object.entries(LOGOS)) html = html.split(url).join(inline);
writeFileSync(out, html);
console.log(`docs: ${out} (no request when viewed: Redoc inlined, its logo an inline SVG)`);
