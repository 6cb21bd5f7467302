/**
 * The `spacetimedb-http` command line (Node only). `main` takes the arguments and its surroundings
 * (output streams, environment, an optional fetch) and resolves to the exit code, so tests run it in
 * process; src/cli.ts is the `bin` that calls it. Text that is not the CLI's own (a server's message,
 * names from a schema, paths, a file's lines) is printed through `show`, with control characters escaped.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { createClient, DEFAULT_BASE_URL, type FetchLike } from "../index.js";
import { SatsError } from "../sats/index.js";
import { generate } from "./bindings-file.js";
import { summarizeDifference } from "./diff.js";
import { escapeText as show } from "./escape.js";

/** Exit codes. */
export const EXIT = { ok: 0, differs: 1, usage: 2, failed: 3 } as const;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  fetch?: FetchLike;
  /** The package's version, for `--version`. */
  version?: string;
}

export const HELP = `Usage: spacetimedb-http generate (--database <name> | --schema <file.json>) --out <file.ts> [options]
       spacetimedb-http --version

Generates typed bindings for a SpacetimeDB module: a type per table, view and named type, and
connect(client, database) with typed reducers, procedures and table selects over the HTTP API.

Where the module definition comes from (one of):
  --database <name>   read the live schema of this database (version 10, falling back to 9)
  --schema <file>     read a saved schema: the JSON of GET /v1/database/<name>/schema?version=9|10

Options:
  --out <file.ts>     the file to write (its directory is created); "-" writes to standard output
  --server <url>      the server; default: the SPACETIMEDB_URL variable, else ${DEFAULT_BASE_URL}
  --token <token>     a token for the schema request; default: the SPACETIMEDB_TOKEN variable
  --check             write nothing; exit 1 with a short summary when <file.ts> is not what
                      generate would write (for CI)
  --import-from <m>   the module the generated file imports, default "spacetimedb-http"
  -h, --help          this help

Exit codes: 0 done (or --check: up to date), 1 --check: the file differs, 2 bad usage,
3 the schema could not be read, bindings cannot be generated from it (the message says
why), or the file could not be written.
`;

interface Args {
  database?: string;
  schema?: string;
  out?: string;
  server?: string;
  token?: string;
  importFrom?: string;
  check: boolean;
  help: boolean;
}

const VALUE_FLAGS: Record<string, keyof Args> = {
  "--database": "database",
  "--schema": "schema",
  "--out": "out",
  "--server": "server",
  "--token": "token",
  "--import-from": "importFrom",
};

function parseArgs(argv: string[]): Args | string {
  const args: Args = { check: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    const eq = arg.indexOf("=");
    if (arg.startsWith("--") && eq > 0) [arg, inline] = [arg.slice(0, eq), arg.slice(eq + 1)];
    if (arg === "-h" || arg === "--help") args.help = true;
    else if (arg === "--check") args.check = true;
    else if (arg in VALUE_FLAGS) {
      const value = inline ?? argv[++i];
      if (value === undefined || value === "") return `${arg} needs a value`;
      (args as unknown as Record<string, string>)[VALUE_FLAGS[arg]!] = value;
    } else return `unknown option ${show(JSON.stringify(argv[i]))}`;
  }
  return args;
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--version" || command === "-v") {
    io.stdout(`${io.version ?? "unknown"}\n`);
    return EXIT.ok;
  }
  if (command === undefined || command === "-h" || command === "--help" || command === "help") {
    (command === undefined ? io.stderr : io.stdout)(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  const usage = (message: string) => {
    io.stderr(`spacetimedb-http: ${message}\nRun "spacetimedb-http generate --help" for usage.\n`);
    return EXIT.usage;
  };
  if (command !== "generate") return usage(`unknown command ${show(JSON.stringify(command))} (the command is "generate")`);
  const args = parseArgs(rest);
  if (typeof args === "string") return usage(args);
  if (args.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  if ((args.database === undefined) === (args.schema === undefined)) return usage("give exactly one of --database <name> or --schema <file.json>");
  if (args.out === undefined) return usage("--out <file.ts> is required");
  if (args.check && args.out === "-") return usage("--check needs a file: --out <file.ts>");
  if (args.schema !== undefined && (args.server !== undefined || args.token !== undefined)) return usage("--server and --token go with --database, not --schema");

  const fail = (message: string) => {
    io.stderr(`spacetimedb-http: ${message}\n`);
    return EXIT.failed;
  };

  let def: unknown;
  if (args.schema !== undefined) {
    let text: string;
    try {
      text = await readFile(resolve(io.cwd, args.schema), "utf8");
    } catch (e) {
      return fail(`cannot read the schema file ${show(args.schema)}: ${show((e as Error).message)}`);
    }
    def = text;
  } else {
    const token = args.token ?? io.env.SPACETIMEDB_TOKEN;
    let client;
    try {
      client = createClient({ baseUrl: args.server ?? (io.env.SPACETIMEDB_URL || DEFAULT_BASE_URL), ...(token ? { token } : {}), ...(io.fetch ? { fetch: io.fetch } : {}) });
    } catch (e) {
      return usage(`--server: ${show((e as Error).message)}`);
    }
    const result = await client.schema(args.database!);
    if (!result.ok) return fail(`cannot read the schema of ${show(JSON.stringify(args.database))}: ${show(result.error.message)}`);
    def = result.data;
  }

  let text: string;
  try {
    text = generate(def, args.importFrom === undefined ? {} : { importFrom: args.importFrom });
  } catch (e) {
    const message = show(e instanceof Error ? e.message : String(e));
    if (e instanceof SyntaxError) return fail(`the schema is not JSON: ${message}`);
    if (e instanceof SatsError) return fail(`cannot generate bindings from this schema: ${message}`);
    return fail(`the generator failed on this schema: ${message}`);
  }

  if (args.out === "-") {
    io.stdout(text);
    return EXIT.ok;
  }
  const out = resolve(io.cwd, args.out);
  if (args.check) {
    let onDisk: string | undefined;
    try {
      onDisk = await readFile(out, "utf8");
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") return fail(`cannot read ${show(args.out)}: ${show((e as Error).message)}`);
    }
    const diff = summarizeDifference(onDisk, text);
    if (diff.length === 0) {
      io.stdout(`${show(args.out)} is up to date.\n`);
      return EXIT.ok;
    }
    io.stderr(`${show(args.out)} is not what generate would write:\n${diff.map((l) => `  ${l}`).join("\n")}\nRun the same command without --check to update it.\n`);
    return EXIT.differs;
  }
  try {
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, text);
  } catch (e) {
    return fail(`cannot write ${show(args.out)}: ${show((e as Error).message)}`);
  }
  io.stdout(`Wrote ${show(args.out)}.\n`);
  return EXIT.ok;
}
