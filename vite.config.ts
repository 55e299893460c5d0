import { gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";

/** The console's JS budget for its first load, gzipped: what a browser fetches before the
 * console can be used (the entry chunk and every chunk it imports statically). Pages loaded on
 * first use (Control Panel, History, …) are listed beside it. Beyond it `vite build --mode report`
 * says so. */
const JS_GZIP_BUDGET_BYTES = 60 * 1024;

/** `vite build --mode report` (npm run build:report) prints each JS chunk's gzip size, the first
 * load against the budget, and the total with the chunks loaded on demand; the normal build stays
 * quiet. */
function bundleSizeReport(): Plugin {
  return {
    name: "parley-bundle-size-report",
    apply: (_config, env) => env.command === "build" && env.mode === "report",
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((file) => file.type === "chunk");
      const gzip = new Map(chunks.map((chunk) => [chunk.fileName, gzipSync(chunk.code, { level: 9 }).length]));
      // The entry and, transitively, what it imports statically: all of it loads before first use.
      const firstLoad = new Set<string>();
      const visit = (name: string) => {
        if (firstLoad.has(name)) return;
        firstLoad.add(name);
        const chunk = chunks.find((c) => c.fileName === name);
        for (const imported of chunk?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks) if (chunk.isEntry) visit(chunk.fileName);
      const lines = chunks.map(
        (chunk) =>
          `  ${chunk.fileName}: ${(chunk.code.length / 1024).toFixed(1)} kB, ${(gzip.get(chunk.fileName)! / 1024).toFixed(1)} kB gzip${firstLoad.has(chunk.fileName) ? " (first load)" : " (on first use)"}`,
      );
      const sum = (names: string[]) => names.reduce((total, name) => total + gzip.get(name)!, 0);
      const first = sum([...firstLoad]);
      const total = sum([...gzip.keys()]);
      const verdict = first <= JS_GZIP_BUDGET_BYTES ? "within" : "OVER";
      console.log(
        `Console JS\n${lines.join("\n")}\n  first load: ${(first / 1024).toFixed(1)} kB gzip, ${verdict} the ${JS_GZIP_BUDGET_BYTES / 1024} kB budget; all chunks: ${(total / 1024).toFixed(1)} kB gzip`,
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
