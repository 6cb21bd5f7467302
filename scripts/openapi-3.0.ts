/**
 * Writes the OpenAPI 3.0 rendition of the bundled spec, for generators and validators that read 3.0:
 * dist/spacetimedb-v1.json (from `npm run bundle`) → dist/spacetimedb-v1.openapi-3.0.json and .yaml.
 * What the conversion does and loses: scripts/oas30/ (and the 3.0 file's info description).
 *   tsx scripts/openapi-3.0.ts [--in bundle.json] [--out dir]
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { convert } from "./oas30/convert.js";

export const RENDITION = "spacetimedb-v1.openapi-3.0";

export async function writeRendition(input: string, outDir: string): Promise<string[]> {
  const { document } = convert(JSON.parse(await readFile(input, "utf8")) as Record<string, unknown>);
  const json = join(outDir, `${RENDITION}.json`);
  const yaml = join(outDir, `${RENDITION}.yaml`);
  await writeFile(json, `${JSON.stringify(document, null, 2)}\n`);
  await writeFile(yaml, stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 }));
  return [json, yaml];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const option = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  try {
    const written = await writeRendition(option("--in") ?? "dist/spacetimedb-v1.json", option("--out") ?? "dist");
    console.log(`OpenAPI 3.0 rendition: ${written.join(", ")}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
