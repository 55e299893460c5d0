// Which sites may run an account's widget. Browsers send Origin with every cross-origin request
// and every WebSocket upgrade, so checking it stops another site from embedding a customer's
// chat. It is not authentication: a non-browser client can send any Origin it likes.
import { cors } from "hono/cors";
import type { Settings } from "../shared/admin-api.ts";
import { ProblemError } from "../server/problems.ts";

/** An empty list allows every site; Parley's own origin (the demo page) and requests without an
 * Origin (servers, tests, same-origin GETs) always pass. */
function originAllowed(settings: Pick<Settings, "allowedOrigins">, request: Request): boolean {
  const origin = request.headers.get("Origin");
  if (!origin || settings.allowedOrigins.length === 0) return true;
  if (origin === new URL(request.url).origin) return true;
  return settings.allowedOrigins.includes(origin);
}

export function requireAllowedOrigin(settings: Pick<Settings, "allowedOrigins">, request: Request): void {
  if (!originAllowed(settings, request))
    throw new ProblemError(403, "forbidden", "This site may not use this account's chat.");
}

/** CORS for the routes the widget calls from customers' sites. `*` is safe: nothing rides on
 * cookies (tokens travel in the body or the Authorization header) and the origin policy above is
 * enforced per account by the routes themselves. */
export const widgetCors = cors({
  origin: "*",
  allowMethods: ["GET", "POST", "OPTIONS"],
  allowHeaders: ["Content-Type", "Authorization"],
  maxAge: 86_400,
});
