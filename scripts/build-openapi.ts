// The last step of `npm run build` (and of `npm start`'s build): the admin API's OpenAPI document,
// made here rather than in the Worker, so that its generator and @valibot/to-json-schema are not
// part of what every cold start parses (docs/benchmarks.md, "Worker size and cold start").
//
// esbuild bundles src/worker/routes/admin/openapi-document.ts, and with it the admin routes, for
// Node. The routes reach the runtime's own modules (`cloudflare:workers` through the Durable
// Objects, `cloudflare:email` through outgoing email); nothing of those runs while routes are only
// registered, so they become empty stand-ins here. The document is written the way the Worker's
// `c.json` wrote it, into the static assets at the very path it is served at (OPENAPI_PATH), where
// the Worker's route reads it. test/admin-contract.test.ts checks that the document served is the
// one the routes make. Runs on Node 22+ (type stripping).
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

const ROOT = new URL("..", import.meta.url).pathname;
/** wrangler.toml's [assets] directory. The console's build empties it, so this step comes after. */
const ASSETS = join(ROOT, "dist", "ui");

/** What the routes import from the runtime, as classes nobody constructs here. */
const runtimeStandIns: Plugin = {
  name: "cloudflare-runtime-stand-ins",
  setup(build) {
    build.onResolve({ filter: /^cloudflare:/ }, (args) => ({ path: args.path, namespace: "stand-in" }));
    build.onLoad({ filter: /.*/, namespace: "stand-in" }, () => ({
      contents: "export class DurableObject {}\nexport class EmailMessage {}\n",
      loader: "js",
    }));
  },
};

if (!existsSync(join(ASSETS, "index.html"))) {
  throw new Error(`${relative(ROOT, ASSETS)} has no index.html: build the console first (npm run build does)`);
}
const bundle = await build({
  entryPoints: [join(ROOT, "src", "worker", "routes", "admin", "openapi-document.ts")],
  // With the routes' descriptions, which the Worker's own build leaves out (wrangler.toml [define]).
  define: { API_DOCS: "true" },
  bundle: true,
  write: false,
  format: "esm",
  platform: "node",
  logLevel: "warning",
  plugins: [runtimeStandIns],
});
const code = bundle.outputFiles[0]!.text;
const { adminApiDocument, OPENAPI_PATH } = (await import(
  `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`
)) as { adminApiDocument: () => unknown; OPENAPI_PATH: string };

const file = join(ASSETS, OPENAPI_PATH);
const json = JSON.stringify(adminApiDocument());
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, json);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
console.log(
  `OpenAPI document ${relative(ROOT, file)}: ${kb(Buffer.byteLength(json))}, ${kb(gzipSync(json).length)} gzip`,
);
