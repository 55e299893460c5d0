// The widget's script files, served from the static assets with the headers a script embedded on
// other sites needs: CORS (the chat part is an ES module, fetched in CORS mode) and caching.
// `/widget.js` keeps one URL forever, so browsers may only keep it briefly and revalidate;
// the chat part under `/widget/` has its content hash in its name and never changes.
import { Hono } from "hono/tiny";
import type { AppEnv } from "../app-env.ts";

const LOADER_CACHE = "public, max-age=300, stale-while-revalidate=86400";
const HASHED_CACHE = "public, max-age=31536000, immutable";

async function serve(env: Env, request: Request, cacheControl: string): Promise<Response> {
  const asset = await env.ASSETS.fetch(request);
  const response = new Response(asset.body, asset);
  response.headers.set("Access-Control-Allow-Origin", "*");
  if (asset.ok || asset.status === 304) response.headers.set("Cache-Control", cacheControl);
  else response.headers.set("Cache-Control", "no-store");
  return response;
}

export const widgetAssetRoutes = new Hono<AppEnv>()
  .get("/widget.js", (c) => serve(c.env, c.req.raw, LOADER_CACHE))
  .get("/widget/:file{.+\\.js}", (c) => serve(c.env, c.req.raw, HASHED_CACHE));
