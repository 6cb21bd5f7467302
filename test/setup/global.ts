/**
 * vitest globalSetup: bundle the spec once with the Redocly CLI into a temp dir, serve it with an
 * in-process Prism mock on 127.0.0.1 (free port), and provide both to the tests:
 *   inject("prismUrl")  → "http://127.0.0.1:<port>"
 *   inject("specPath")  → the bundled YAML (only `#/components/...` refs)
 * `SPEC_API=<alias or root file>` bundles something other than `spacetimedb@v1`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { bundleSpec, startMock } from "../helpers/mock-server.js";
import "./context.js";

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "spacetimedb-http-spec-"));
  try {
    const specPath = await bundleSpec({ output: join(dir, "spacetimedb-v1.yaml"), api: process.env.SPEC_API || "spacetimedb@v1" });
    const mock = await startMock(specPath);
    project.provide("specPath", specPath);
    project.provide("prismUrl", mock.url);
    return async () => {
      await mock.close();
      await rm(dir, { recursive: true, force: true });
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
