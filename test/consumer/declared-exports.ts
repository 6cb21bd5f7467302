/**
 * What an entry's declaration file promises exists at run time: its exports with a value meaning
 * (functions, classes, constants, enums), read with the TypeScript compiler API from the INSTALLED
 * package. Type-only exports (`export { type X }`, `export type { X }`, interfaces, type aliases) are
 * left out: they exist only for the compiler.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

export type Entry = "main" | "node" | "codegen";
export type ModuleSystem = "import" | "require";
export const ENTRIES: Record<Entry, string> = { main: ".", node: "./node", codegen: "./codegen" };

/** The `types` file the installed package's exports map gives `entry` under `system`. */
export function typesFile(packageDir: string, entry: Entry, system: ModuleSystem): string {
  const manifest = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8")) as { exports: Record<string, Record<ModuleSystem, { types: string }>> };
  return join(packageDir, manifest.exports[ENTRIES[entry]]![system].types);
}

/** The names `dtsFile` exports as values, sorted. */
export function declaredValueExports(dtsFile: string): string[] {
  const program = ts.createProgram([dtsFile], {
    noEmit: true,
    skipLibCheck: true,
    types: [],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(dtsFile);
  const moduleSymbol = source && checker.getSymbolAtLocation(source);
  if (!moduleSymbol) throw new Error(`${dtsFile} is not a module`);
  const isValue = (symbol: ts.Symbol): boolean => {
    const typeOnly = symbol.declarations?.some((d) => ts.isExportSpecifier(d) && (d.isTypeOnly || d.parent.parent.isTypeOnly));
    if (typeOnly) return false;
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return (target.flags & ts.SymbolFlags.Value) !== 0;
  };
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter(isValue)
    .map((s) => s.name)
    .sort();
}
