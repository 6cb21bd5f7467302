#!/usr/bin/env node
/** The package's `bin`: `spacetimedb-http generate …` (see src/codegen/cli-main.ts and `--help`). */
import { readFileSync } from "node:fs";
import process from "node:process";
import { main } from "./codegen/cli-main.js";

// The package's own package.json: one level up from src/ and from dist/ alike.
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  version,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`spacetimedb-http: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
