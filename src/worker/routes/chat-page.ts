// The shareable chat page, /chat/<account> (docs/chat-page.md). Its HTML is a static shell built
// into dist/ui/chat/ (vite.widget.config.ts); for an account that exists the Worker serves it with
// the account's display name as the title, set as text (HTMLRewriter escapes it, so a name like
// `<img …>` stays words). An unknown account gets a plain 404 page, never the console's SPA. The
// chat itself is the widget's, calling the visitor API from Parley's own origin, which the origin
// policy lets through (origin-policy.ts); the rate limits apply as to any widget.
import { Hono } from "hono/tiny";
import { readSettings } from "../../server/db/settings.ts";
import type { AppEnv } from "../app-env.ts";

export const chatPageRoutes = new Hono<AppEnv>().get("/chat/:account", async (c) => {
  const settings = await readSettings(c.env.DB, c.req.param("account"));
  const shell = await c.env.ASSETS.fetch(new URL(settings ? "/chat/" : "/chat/not-found", c.req.url));
  const page = settings
    ? new HTMLRewriter().on("title", { element: (e) => void e.setInnerContent(settings.displayName) }).transform(shell)
    : shell;
  const response = new Response(page.body, { status: settings ? 200 : 404, headers: page.headers });
  // The title follows the account's settings, and a deleted account must stop answering.
  response.headers.set("Cache-Control", "no-cache");
  return response;
});
