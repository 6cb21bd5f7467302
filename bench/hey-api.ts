/**
 * A client generated from the bundled spec by @hey-api/openapi-ts into a temporary folder, for the
 * overhead benchmark (tsx imports the generated TypeScript directly). Undefined when generation fails.
 */
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createClient as generate } from "@hey-api/openapi-ts";
import { bundleSpec } from "../test/helpers/mock-server.js";

interface HeyApiModule {
  client: { setConfig(config: Record<string, unknown>): void };
}

export async function heyApiCalls(baseUrl: string): Promise<{ getDatabase: () => Promise<unknown> } | undefined> {
  try {
    const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-bench-heyapi-"));
    const compilerOptions = { module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", strict: true };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    const input = await bundleSpec({ output: join(dir, "spacetimedb-v1.yaml") });
    await generate({
      input,
      output: { path: join(dir, "client"), tsConfigPath: join(dir, "tsconfig.json") },
      plugins: ["@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk"],
      logs: { level: "silent" },
    });
    const { client } = (await import(pathToFileURL(join(dir, "client", "client.gen.ts")).href)) as HeyApiModule;
    const sdk = (await import(pathToFileURL(join(dir, "client", "sdk.gen.ts")).href)) as Record<string, (o: unknown) => Promise<unknown>>;
    client.setConfig({ baseUrl, auth: () => "bench-token" });
    const getDatabase = sdk.getDatabase!;
    return { getDatabase: () => getDatabase({ path: { name_or_identity: "quickstart-chat" } }) };
  } catch (e) {
    console.error(`(no @hey-api/openapi-ts client: ${(e as Error).message})`);
    return undefined;
  }
}
