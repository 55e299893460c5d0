// Limits on how often one client address may call the public entry points: starting chats and
// leaving offline messages, opening the widget's presence socket, and signing in. They use
// Cloudflare's Rate Limiting bindings (`[[ratelimits]]` in wrangler.toml: a fixed budget per key
// per 60 s, counted at each Cloudflare location). Within a chat, a visitor's messages are limited
// by the room itself (VISITOR_MESSAGE_BURST in src/shared/protocol.ts).
import { ProblemError } from "../server/problems.ts";

/** The address Cloudflare's edge puts on every request from the internet (and `wrangler dev` on
 * every request it serves). Missing only when the Worker is called from inside the runtime, as
 * the Workers-pool tests do; those calls are not limited. */
function clientAddress(request: Request): string | null {
  return request.headers.get("CF-Connecting-IP");
}

/** Counts this request against `limiter` under `scope` and the client's address; over budget it
 * is refused with 429, Retry-After and a problem document. No binding (the bench's config): no limit. */
export async function requireWithinRateLimit(
  limiter: RateLimit | undefined,
  request: Request,
  scope: string,
): Promise<void> {
  const address = clientAddress(request);
  if (!limiter || !address) return;
  const { success } = await limiter.limit({ key: `${scope}|${address}` });
  if (!success)
    throw new ProblemError(
      429,
      "rate_limited",
      "Too many requests from your address; please wait a minute and try again.",
      undefined,
      60,
    );
}
