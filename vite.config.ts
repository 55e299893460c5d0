import { gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";

/** The console's JS budget, gzipped: beyond it `vite build --mode report` says so. */
const JS_GZIP_BUDGET_BYTES = 60 * 1024;

/** `vite build --mode report` (npm run build:report) prints each JS chunk's gzip size and the
 * total against the budget; the normal build stays quiet. */
function bundleSizeReport(): Plugin {
  return {
    name: "parley-bundle-size-report",
    apply: (_config, env) => env.command === "build" && env.mode === "report",
    generateBundle(_options, bundle) {
      let total = 0;
      const lines: string[] = [];
      for (const file of Object.values(bundle)) {
        if (file.type !== "chunk") continue;
        const gzip = gzipSync(file.code, { level: 9 }).length;
        total += gzip;
        lines.push(
          `  ${file.fileName}: ${(file.code.length / 1024).toFixed(1)} kB, ${(gzip / 1024).toFixed(1)} kB gzip`,
        );
      }
      const verdict = total <= JS_GZIP_BUDGET_BYTES ? "within" : "OVER";
      console.log(
        `Console JS\n${lines.join("\n")}\n  total: ${(total / 1024).toFixed(1)} kB gzip, ${verdict} the ${JS_GZIP_BUDGET_BYTES / 1024} kB budget`,
      );
    },
  };
}

// Builds the operator console into dist/ui, which wrangler.toml serves as static assets.
export default defineConfig({
  root: "src/ui/console",
  plugins: [solid(), bundleSizeReport()],
  build: { outDir: "../../../dist/ui", emptyOutDir: true },
});
