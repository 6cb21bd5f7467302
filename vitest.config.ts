import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vitest/config";

/**
 * Tiers, each its own project; `npm test` runs them all, `npm run test:unit` only the fast one.
 * - unit: injected fetch, no Prism, no browser, no build (seconds).
 * - contract: the SDK and the spec against the Prism mock (started in globalSetup).
 * - reliability: faults, streams, fuzzing and load against local servers (and Prism for fuzzing).
 * - browser: Chromium against Prism behind the server's CORS, and the Redoc docs rendered.
 * - build: what a build ships (package contents, .d.ts docs) and the spec regenerated from a copy.
 * - codegen: `spacetimedb-http generate`, its output type-checked and run (tsc and builds: slow).
 * - consumer: the package as a user gets it: built and packed once (globalSetup), installed into fresh
 *   projects, imported and required in Node 20 and 22, Bun, Deno and workerd (`bash
 *   scripts/install-runtimes.sh`), compiled from TypeScript consumers. It runs after every other project
 *   (groupOrder 1), so the runtimes it spawns do not compete for the CPU with the timing-bound tests.
 */
const prism = ["./test/setup/global.ts"];

/**
 * The transport matrix: the `*-node` projects run the same tests with every import of src/index.ts
 * resolved to src/index.node.ts (what `import "spacetimedb-http"` gets in Node: the undici transport).
 */
const universalEntry = fileURLToPath(new URL("./src/index.ts", import.meta.url));
const nodeEntry = fileURLToPath(new URL("./src/index.node.ts", import.meta.url));
const nodeTransport: Plugin = {
  name: "spacetimedb-http:node-entry",
  enforce: "pre",
  async resolveId(source, importer, options) {
    if (!importer || importer === nodeEntry || !/(^|\/)index(\.(js|ts))?$/.test(source)) return null;
    const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
    return resolved?.id === universalEntry ? nodeEntry : null;
  },
};
const contractTests = ["test/contract/**/*.test.ts", "test/spec/**/*.test.ts", "test/docs/examples.test.ts"];
const reliabilityTests = ["test/faults/**/*.test.ts", "test/streams/**/*.test.ts", "test/fuzz/**/*.test.ts", "test/load/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 10_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts", "test/types/**/*.test.ts", "test/conveniences/**/*.test.ts"] } },
      { extends: true, test: { name: "contract", include: contractTests, globalSetup: prism, testTimeout: 30_000 } },
      { extends: true, plugins: [nodeTransport], test: { name: "contract-node", include: contractTests, globalSetup: prism, testTimeout: 30_000 } },
      { extends: true, test: { name: "reliability", include: reliabilityTests, globalSetup: prism } },
      { extends: true, plugins: [nodeTransport], test: { name: "reliability-node", include: reliabilityTests, globalSetup: prism } },
      { extends: true, test: { name: "browser", include: ["test/browser/**/*.test.ts", "test/docs/render.test.ts"], globalSetup: prism } },
      { extends: true, test: { name: "build", include: ["test/package/**/*.test.ts", "test/build/**/*.test.ts"] } },
      { extends: true, test: { name: "codegen", include: ["test/codegen/**/*.test.ts"], testTimeout: 60_000 } },
      { extends: true, test: { name: "consumer", include: ["test/consumer/**/*.test.ts"], globalSetup: ["./test/consumer/setup.ts"], testTimeout: 120_000, sequence: { groupOrder: 1 } } },
    ],
  },
});
