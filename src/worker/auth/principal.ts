// Who is making a request, decided once per request from its bearer token (or, for WebSocket
// upgrades, which browsers cannot give headers, a `parley.token.<token>` subprotocol, or failing
// that the `token` query parameter: on upgrades only, and never an API key).
import { and, eq, isNull, sql } from "drizzle-orm";
import { roleAtMost, type ApiKeyRole, type OperatorRole } from "../../shared/protocol.ts";
import type { OperatorSession } from "../../durable/socket-holder.ts";
import { SOCKET_TOKEN_PREFIX } from "../../shared/socket-auth.ts";
import { offeredProtocols } from "./socket-protocols.ts";
import { database } from "../../server/db/index.ts";
import { apiKeys, endedSessions, operators } from "../../server/db/schema.ts";
import { ProblemError } from "../../server/problems.ts";
import { API_KEY_PREFIX, hashApiKey } from "./api-keys.ts";
import { verifyToken } from "./tokens.ts";

const LAST_USED_PRECISION_MS = 60_000;

/** For operators and visitors: `session` is what a socket opened with this token must keep
 * being true of it (its end, and for operators the session it belongs to), checked again by the
 * objects the socket reaches (durable/socket-holder.ts). */
export type Principal =
  | {
      kind: "operator";
      accountId: string;
      operatorId: string;
      role: OperatorRole;
      name: string;
      session: OperatorSession;
    }
  | {
      kind: "visitor";
      accountId: string;
      visitorId: string;
      chatId: string;
      name: string;
      session: { expiresAt: number };
    }
  /** `role`: what the key may do, as an operator of that role may; never more than its creator
   * (`createdBy`, null for keys made by the seed or the CLI) may do now. */
  | {
      kind: "apiKey";
      accountId: string;
      keyId: string;
      /** The key's name, for the audit log. */
      name: string;
      role: ApiKeyRole;
      createdBy: string | null;
    };

export type PrincipalKind = Principal["kind"];
export type OperatorPrincipal = Extract<Principal, { kind: "operator" }>;

function isUpgrade(request: Request): boolean {
  return request.headers.get("Upgrade")?.toLowerCase() === "websocket";
}

function readToken(request: Request): string | undefined {
  const header = request.headers.get("Authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ProblemError(401, "token_invalid", "The Authorization header must be 'Bearer <token>'.");
    return match[1];
  }
  // Browsers give sockets no headers, but they do send the subprotocols asked for.
  const carried = offeredProtocols(request).find((p) => p.startsWith(SOCKET_TOKEN_PREFIX));
  if (carried) return carried.slice(SOCKET_TOKEN_PREFIX.length);
  // A URL ends up in logs, browser history and Referer headers, so a token in the query is taken
  // only where nothing else can carry one: a WebSocket upgrade from a client that cannot set
  // subprotocols. Anywhere else it is ignored (and the request has no token). A long-lived API
  // key is never taken from a URL, not even there.
  if (!isUpgrade(request)) return undefined;
  const query = new URL(request.url).searchParams.get("token") ?? undefined;
  if (query?.startsWith(API_KEY_PREFIX))
    throw new ProblemError(
      401,
      "token_invalid",
      "An API key is never accepted in a URL; send it as 'Authorization: Bearer <key>'.",
    );
  return query;
}

export async function authenticate(request: Request, env: Env): Promise<Principal> {
  const token = readToken(request);
  if (!token) throw new ProblemError(401, "token_missing", "This needs a token: 'Authorization: Bearer <token>'.");
  const db = database(env.DB);

  if (token.startsWith(API_KEY_PREFIX)) {
    // Revocation is a column of this very row, so a revoked key stops with the next request. The
    // creator is read with it: a key never does more than whoever made it may do now, so even
    // before the key's own row follows a deactivation or demotion (see api-keys.ts), it cannot.
    const key = await db
      .select({
        id: apiKeys.id,
        accountId: apiKeys.accountId,
        name: apiKeys.name,
        role: apiKeys.role,
        createdBy: apiKeys.createdBy,
        lastUsedAt: apiKeys.lastUsedAt,
        creatorAccountId: operators.accountId,
        creatorRole: operators.role,
        creatorActive: operators.active,
      })
      .from(apiKeys)
      .leftJoin(operators, eq(operators.id, apiKeys.createdBy))
      .where(and(eq(apiKeys.keyHash, await hashApiKey(token)), isNull(apiKeys.revokedAt)))
      .get();
    if (!key) throw new ProblemError(401, "token_invalid", "This API key is unknown or revoked.");
    let role: ApiKeyRole = key.role;
    if (key.createdBy !== null) {
      const creatorAllowed =
        key.creatorAccountId === key.accountId &&
        key.creatorActive === true &&
        key.creatorRole !== null &&
        key.creatorRole !== "operator";
      if (!creatorAllowed)
        throw new ProblemError(
          401,
          "token_invalid",
          "This API key stopped working: the operator who created it was deactivated, removed or is no longer an admin.",
        );
      role = roleAtMost(key.role, key.creatorRole as ApiKeyRole);
    }
    // "Last used" to the minute is enough to spot stale keys, and spares D1 a write per request.
    const now = Date.now();
    if (key.lastUsedAt === null || now - key.lastUsedAt >= LAST_USED_PRECISION_MS) {
      await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, key.id));
    }
    return {
      kind: "apiKey",
      accountId: key.accountId,
      keyId: key.id,
      name: key.name,
      role,
      createdBy: key.createdBy,
    };
  }

  const verified = await verifyToken(token, env.AUTH_SECRET);
  if (!verified.ok) {
    throw new ProblemError(
      401,
      verified.reason,
      verified.reason === "token_expired" ? "The token has expired; sign in again." : "The token is not valid.",
    );
  }
  const claims = verified.claims;
  if (claims.typ === "visitor") {
    return {
      kind: "visitor",
      accountId: claims.acc,
      visitorId: claims.sub,
      chatId: claims.chat,
      name: claims.name,
      session: { expiresAt: verified.expiresAt },
    };
  }
  // Operators are looked up on every request so that deactivation and role changes apply at once.
  const operator = await db
    .select({
      id: operators.id,
      accountId: operators.accountId,
      role: operators.role,
      name: operators.name,
      active: operators.active,
      sessionVersion: operators.sessionVersion,
      // Signed out of (POST /api/operator/logout): this token is over, whatever its expiry says.
      signedOut: sql<number>`EXISTS (SELECT 1 FROM ${endedSessions} WHERE ${endedSessions.sessionId} = ${claims.sid ?? ""})`,
    })
    .from(operators)
    .where(eq(operators.id, claims.sub))
    .get();
  if (!operator || operator.accountId !== claims.acc)
    throw new ProblemError(401, "token_invalid", "This operator no longer exists.");
  if (!operator.active) throw new ProblemError(403, "deactivated", "This operator has been deactivated.");
  if ((claims.ver ?? 0) !== operator.sessionVersion)
    throw new ProblemError(401, "token_expired", "The password was changed since this sign-in; sign in again.");
  if (operator.signedOut) throw new ProblemError(401, "token_expired", "This session was signed out; sign in again.");
  const session: OperatorSession = {
    expiresAt: verified.expiresAt,
    version: operator.sessionVersion,
    id: claims.sid ?? null,
  };
  return {
    kind: "operator",
    accountId: operator.accountId,
    operatorId: operator.id,
    role: operator.role,
    name: operator.name,
    session,
  };
}

/** The role a principal acts with on the admin API: an operator's role, or an API key's (which
 * is already capped by its creator's); null for whoever may not use the admin API at all. One
 * rule for every way in, so a key can do exactly what an operator of its role can. */
export function adminRoleOf(principal: Principal): ApiKeyRole | null {
  if (principal.kind === "apiKey") return principal.role;
  if (principal.kind === "operator" && principal.role !== "operator") return principal.role;
  return null;
}

/** Owner-level: may give or take the owner role, manage owners and make owner keys. */
export function isOwnerLevel(principal: Principal): boolean {
  return adminRoleOf(principal) === "owner";
}
