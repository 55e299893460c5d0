// The widget's presence socket: `GET /ws/visitors?account=ACC&visitor=ID`, one per page view,
// to the account's Lobby, which shows operators who is on the site and forwards invitations.
//
// Why no token: a visitor without a chat has no identity worth protecting and nothing to read
// here: the socket only *sends* the page the visitor is on, and only receives invitations
// addressed to its own random id (122 bits, minted by the widget, kept in localStorage). A
// signed "visit" token from a public endpoint would prove nothing more (anyone may fetch one)
// and would cost every page view one more round trip before the socket. So the socket is
// accepted like the widget's other public calls: the account must exist and the page's Origin
// must be one of its allowedOrigins (origin-policy.ts), and one address may open only so many a
// minute (rate-limit.ts).
import { Hono } from "hono/tiny";
import * as v from "valibot";
import { visitorHome } from "../../durable/lobby-address.ts";
import { LOBBY_VISITOR_HEADER, type LobbyVisitorHeader } from "../../durable/lobby-visitors.ts";
import { VISITOR_ID_PATTERN } from "../../shared/lobby-protocol.ts";
import { readSettings } from "../../server/db/settings.ts";
import { ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import { requireAllowedOrigin } from "../origin-policy.ts";
import { requireWithinRateLimit } from "../rate-limit.ts";

const PresenceQuery = v.strictObject({
  account: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  visitor: v.pipe(v.string(), v.regex(VISITOR_ID_PATTERN)),
});

export const visitorPresenceRoutes = new Hono<AppEnv>().get("/", validate("query", PresenceQuery), async (c) => {
  if (c.req.header("Upgrade")?.toLowerCase() !== "websocket")
    throw new ProblemError(426, "upgrade_required", "Connect with a WebSocket.");
  const { account, visitor } = c.req.valid("query");
  const settings = await readSettings(c.env.DB, account);
  if (!settings) throw new ProblemError(404, "not_found", "There is no such account.");
  requireAllowedOrigin(settings, c.req.raw);
  await requireWithinRateLimit(c.env.PRESENCE_LIMITER, c.req.raw, `presence|${account}`);
  const home = visitorHome(c.env, account, visitor);
  const headers = new Headers({
    Upgrade: "websocket",
    [LOBBY_VISITOR_HEADER]: JSON.stringify({
      id: visitor,
      accountId: account,
      shard: home.shard,
    } satisfies LobbyVisitorHeader),
  });
  return home.lobby.fetch(new Request("https://lobby/visitors", { headers }));
});
