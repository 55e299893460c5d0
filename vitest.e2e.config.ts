import { defineConfig } from "vitest/config";

// Tests in Node against a real `wrangler dev` (started by the tests themselves), for what only a
// real server shows: network sockets, restarts on persisted state.
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
