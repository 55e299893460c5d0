import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { build, defineConfig, type Plugin, type UserConfig } from "vite";

/** Everything a page view loads before the visitor opens the chat (widget.js) must stay under
 * this, gzipped: it is paid on every page of every customer's site. */
export const WIDGET_GZIP_BUDGET_BYTES = 10 * 1024;

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

/** Prints each widget file's gzip size on every build; widget.js is held against the budget. */
function widgetSizeReport(label: string, budget?: number, loaded = "loaded when the chat opens"): Plugin {
  return {
    name: "parley-widget-size-report",
    apply: "build",
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (file.type !== "chunk") continue;
        const gzip = gzipSync(file.code, { level: 9 }).length;
        const verdict =
          budget === undefined
            ? loaded
            : `${gzip <= budget ? "within" : "OVER"} the ${kb(budget)} target for everything before the chat opens`;
        console.log(`Widget ${label} ${file.fileName}: ${kb(file.code.length)}, ${kb(gzip)} gzip, ${verdict}`);
      }
    },
  };
}

/** The shareable chat page (/chat/<account>, src/ui/chat-page/): its script, which mounts the chat
 * part above full-page, into dist/ui/widget/ beside it, and the HTML shells the Worker serves
 * (src/worker/routes/chat-page.ts) into dist/ui/chat/, the first naming the script. */
async function buildChatPage(mode: string, chatFile: string): Promise<void> {
  const page = await build({
    configFile: false,
    logLevel: "warn",
    mode,
    publicDir: false,
    define: { __PARLEY_CHAT_FILE__: JSON.stringify(chatFile) },
    plugins: [widgetSizeReport("chat page", undefined, "loaded by the chat page /chat/<account> only")],
    build: {
      outDir: "dist/ui/widget",
      emptyOutDir: false,
      minify: true,
      lib: { entry: "src/ui/chat-page/page.ts", formats: ["es"], fileName: () => "page-[hash].js" },
      rolldownOptions: { output: { minify: true } },
    },
  });
  const script = (Array.isArray(page) ? page : [page])
    .flatMap((o) => ("output" in o ? o.output : []))
    .find((f) => f.type === "chunk" && f.isEntry);
  if (!script) throw new Error("the chat page's script was not built");
  mkdirSync("dist/ui/chat", { recursive: true });
  const shell = readFileSync("src/ui/chat-page/index.html", "utf8").replace("%PAGE_SCRIPT%", script.fileName);
  writeFileSync("dist/ui/chat/index.html", shell);
  writeFileSync("dist/ui/chat/not-found.html", readFileSync("src/ui/chat-page/not-found.html"));
}

// Builds the visitor widget into dist/ui, next to the console (run after the console's build,
// which empties dist/ui): first the chat part, an ES module named by its content hash under
// dist/ui/widget/, then widget.js, a classic script that knows that name and imports it on open.
export default defineConfig(async ({ mode }): Promise<UserConfig> => {
  rmSync("dist/ui/widget", { recursive: true, force: true });
  const chat = await build({
    configFile: false,
    logLevel: "warn",
    mode,
    publicDir: false,
    plugins: [widgetSizeReport("chat part")],
    build: {
      outDir: "dist/ui/widget",
      emptyOutDir: false,
      minify: true,
      lib: { entry: "src/ui/widget/chat/index.ts", formats: ["es"], fileName: () => "chat-[hash].js" },
      // Vite keeps an ES library's whitespace for other bundlers' sake; this one goes straight to
      // browsers, so it is minified in full. What the parts loaded later share with this one (the
      // `el` of chat/dom.ts) they import from it, already loaded, instead of from a small third
      // file fetched on the way: for that, this file may export more than `mount`.
      rolldownOptions: { preserveEntrySignatures: "allow-extension", output: { minify: true } },
    },
  });
  const outputs = Array.isArray(chat) ? chat : [chat];
  const entry = outputs.flatMap((o) => ("output" in o ? o.output : [])).find((f) => f.type === "chunk" && f.isEntry);
  if (!entry) throw new Error("the widget's chat part was not built");
  await buildChatPage(mode, entry.fileName);
  return {
    publicDir: false,
    define: { __PARLEY_CHAT_FILE__: JSON.stringify(entry.fileName) },
    plugins: [widgetSizeReport("launcher", WIDGET_GZIP_BUDGET_BYTES)],
    build: {
      outDir: "dist/ui",
      emptyOutDir: false,
      minify: true,
      lib: { entry: "src/ui/widget/loader.ts", formats: ["iife"], name: "ParleyWidget", fileName: () => "widget.js" },
    },
  };
});
