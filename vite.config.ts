import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// Builds the operator console into dist/ui, which wrangler.toml serves as static assets.
export default defineConfig({
  root: "src/ui/console",
  plugins: [solid()],
  build: { outDir: "../../../dist/ui", emptyOutDir: true },
});
