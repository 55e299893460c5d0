// The API's answers are data, never pages: nothing in them may run, load or be framed. A route
// that sets one of these itself (file downloads) keeps its own. No CORP or COOP header: the widget
// reads these cross-origin under CORS. Parley sets no cookies at all (tokens travel in
// Authorization headers). A fixed list, the same as hono/secure-headers gave with our options,
// without its option handling in the Worker.
import type { MiddlewareHandler } from "hono";

const API_HEADERS: readonly [string, string][] = [
  ["Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"],
  ["Origin-Agent-Cluster", "?1"],
  ["Referrer-Policy", "no-referrer"],
  ["Strict-Transport-Security", "max-age=15552000; includeSubDomains"],
  ["X-Content-Type-Options", "nosniff"],
  ["X-DNS-Prefetch-Control", "off"],
  ["X-Download-Options", "noopen"],
  ["X-Frame-Options", "DENY"],
  ["X-Permitted-Cross-Domain-Policies", "none"],
  ["X-XSS-Protection", "0"],
];

export const apiSecurityHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  const { headers } = c.res;
  for (const [name, value] of API_HEADERS) if (!headers.has(name)) headers.set(name, value);
  headers.delete("X-Powered-By");
};
