import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["./test/setup/global.ts"],
    testTimeout: 10_000,
    hookTimeout: 30_000,
  },
});
