import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Tests run inside workerd with the real bindings from wrangler.toml (D1, R2, Durable Objects);
// the D1 migrations are read here, in Node, and applied by test/setup.ts inside the runtime.
export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          AUTH_SECRET: "test-secret-that-is-long-enough-for-hs256-0123456789",
          // The Workers tests run with live visitors sharded (wrangler.toml's default is 1, which
          // the e2e tests use), so both paths are exercised.
          LOBBY_VISITOR_SHARDS: "4",
          // A room's events go out after 100 ms instead of a second: a room with a send pending is
          // not evicted until it is done, and tests evict rooms and wait for the index often.
          EVENTS_SEND_AFTER_MS: "100",
          TEST_MIGRATIONS: await readD1Migrations("./migrations"),
          // test/routing-simulation.test.ts replays a walk with ROUTING_SEED=<seed> npm test.
          ROUTING_SEED: process.env.ROUTING_SEED ?? "",
        },
      },
    })),
  ],
  // The admin routes' descriptions are built in, for the OpenAPI document the contract test makes
  // (src/worker/routes/admin/openapi.ts).
  define: { API_DOCS: "true" },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["test/e2e/**"],
    setupFiles: ["./test/setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
