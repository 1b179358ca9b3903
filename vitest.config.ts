import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // A private TMPDIR per run; the run fails if a test leaves anything in it.
    globalSetup: ["tests/support/temp-dir-guard.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
