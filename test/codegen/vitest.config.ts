import { defineConfig } from "vitest/config";

// The codegen tests need no Prism mock: `npx vitest run --config test/codegen/vitest.config.ts`.
// (They also run under the repo's config, with everything else.)
export default defineConfig({
  test: {
    include: ["test/codegen/**/*.test.ts"],
    testTimeout: 60_000,
  },
});
