/**
 * Type-checking generated bindings as a consumer's project would: the repo's compiler options under
 * `strict`, with the package's public entry "spacetimedb-http" mapped to src/index.ts.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import ts from "typescript";

const root = resolve(import.meta.dirname, "../..");

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const paths = { "spacetimedb-http": [join(root, "src/index.ts")], "spacetimedb-http/codegen": [join(root, "src/codegen/index.ts")] };
  return { ...parsed.options, strict: true, noEmit: true, paths };
}

/** Diagnostics of a program of these files, formatted one a line. */
export function compileErrors(files: string[]): string[] {
  const program = ts.createProgram(files, compilerOptions());
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : "";
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
  });
}

const temp: string[] = [];

/** A temp dir that is an ES module package, as a consumer's project would be (removed by `removeTempProjects`). */
export async function tempProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stdb-codegen-"));
  temp.push(dir);
  await writeFile(join(dir, "package.json"), '{ "type": "module" }\n');
  return dir;
}

export const removeTempProjects = () => Promise.all(temp.splice(0).map((d) => rm(d, { recursive: true, force: true })));
