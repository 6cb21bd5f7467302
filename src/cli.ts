#!/usr/bin/env node
/** The package's `bin`: `spacetimedb-http generate …` (see src/codegen/cli-main.ts and `--help`). */
import process from "node:process";
import { main } from "./codegen/cli-main.js";

main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`spacetimedb-http: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 3;
  },
);
