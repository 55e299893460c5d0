// Signed session tokens (JWT, HS256) for operators and visitors. Admin API keys are not JWTs:
// see api-keys.ts. Every token names the one account it is good for.
import { ulid } from "ulid";
import { operatorRoles, type OperatorRole } from "../../shared/protocol.ts";
import { signJwt, verifyJwt } from "../../server/jwt.ts";

export const OPERATOR_TOKEN_TTL_S = 12 * 60 * 60;
/** Long enough for a visitor's chat to survive reloads and return visits over a month. */
export const VISITOR_TOKEN_TTL_S = 30 * 24 * 60 * 60;

/** `ver`: the operator's session version when signed (operators.session_version); tokens from
 * before it existed have none and count as 0. `sid`: this sign-in's id, so that signing out ends
 * this session (and closes its sockets) and no other; older tokens have none. */
type OperatorClaims = {
  typ: "operator";
  acc: string;
  sub: string;
  role: OperatorRole;
  name: string;
  ver?: number;
  sid?: string;
};
type VisitorClaims = { typ: "visitor"; acc: string; sub: string; chat: string; name: string };
type TokenClaims = OperatorClaims | VisitorClaims;

/** `expiresAt`: when the token stops being good (ms); a socket opened with it is closed then. */
type VerifyResult =
  { ok: true; claims: TokenClaims; expiresAt: number } | { ok: false; reason: "token_invalid" | "token_expired" };

export async function signToken(claims: TokenClaims, secret: string | undefined, ttlSeconds: number) {
  const expiresAt = Math.floor(Date.now() / 1000) + ttlSeconds;
  const token = await signJwt({ ...claims, exp: expiresAt }, secret);
  return { token, expiresAt: expiresAt * 1000 };
}

export async function verifyToken(token: string, secret: string | undefined): Promise<VerifyResult> {
  const verified = await verifyJwt(token, secret);
  if (!verified.ok) return { ok: false, reason: verified.expired ? "token_expired" : "token_invalid" };
  const payload = verified.payload;
  const { typ, acc, sub, name, exp } = payload;
  if (typeof acc !== "string" || typeof sub !== "string" || typeof name !== "string")
    return { ok: false, reason: "token_invalid" };
  const expiresAt = exp * 1000;
  if (typ === "operator" && (operatorRoles as readonly unknown[]).includes(payload.role)) {
    const ver = typeof payload.ver === "number" && Number.isInteger(payload.ver) ? payload.ver : 0;
    const sid = typeof payload.sid === "string" ? { sid: payload.sid } : {};
    return { ok: true, claims: { typ, acc, sub, name, role: payload.role as OperatorRole, ver, ...sid }, expiresAt };
  }
  if (typ === "visitor" && typeof payload.chat === "string") {
    return { ok: true, claims: { typ, acc, sub, name, chat: payload.chat }, expiresAt };
  }
  return { ok: false, reason: "token_invalid" };
}

/** A new sign-in of this operator: a token with its own session id. */
export function signOperatorSession(
  operator: { id: string; accountId: string; role: OperatorRole; name: string; sessionVersion: number },
  secret: string | undefined,
) {
  return signToken(
    {
      typ: "operator",
      acc: operator.accountId,
      sub: operator.id,
      role: operator.role,
      name: operator.name,
      ver: operator.sessionVersion,
      sid: `s_${ulid()}`,
    },
    secret,
    OPERATOR_TOKEN_TTL_S,
  );
}

// ---- Sign-up invitations (operators joining an account) -------------------------------------------------------------
// An operator created without a password gets one of these to choose it. It is a JWT of its own
// kind (typ "invitation" and its own audience), so verifyToken never takes it for a session.

const SIGN_UP_INVITATION_TTL_S = 7 * 24 * 60 * 60;
const INVITATION_AUDIENCE = "parley:invitation";

/** `role`: the role the operator was invited with. Whoever issued the invitation holds its token
 * too, so it is good for that role and no higher: an admin who invites an admin does not end up
 * holding an owner's invitation when an owner later promotes the invitee (invitations.ts). */
export async function signSignUpInvitation(
  accountId: string,
  operatorId: string,
  role: OperatorRole,
  secret: string | undefined,
) {
  const expiresAt = Math.floor(Date.now() / 1000) + SIGN_UP_INVITATION_TTL_S;
  const token = await signJwt(
    { typ: "invitation", acc: accountId, role, sub: operatorId, aud: INVITATION_AUDIENCE, exp: expiresAt },
    secret,
  );
  return { token, expiresAt: expiresAt * 1000 };
}

/** `role` is null for invitations signed before it was carried. */
type SignUpInvitationResult =
  | { ok: true; accountId: string; operatorId: string; role: OperatorRole | null; expiresAt: number }
  | { ok: false; reason: "token_invalid" | "token_expired" };

export async function verifySignUpInvitation(
  token: string,
  secret: string | undefined,
): Promise<SignUpInvitationResult> {
  const verified = await verifyJwt(token, secret, INVITATION_AUDIENCE);
  if (!verified.ok) return { ok: false, reason: verified.expired ? "token_expired" : "token_invalid" };
  const payload = verified.payload;
  if (payload.typ !== "invitation" || typeof payload.acc !== "string" || typeof payload.sub !== "string")
    return { ok: false, reason: "token_invalid" };
  const role = (operatorRoles as readonly unknown[]).includes(payload.role) ? (payload.role as OperatorRole) : null;
  if (payload.role !== undefined && role === null) return { ok: false, reason: "token_invalid" };
  return { ok: true, accountId: payload.acc, operatorId: payload.sub, role, expiresAt: payload.exp * 1000 };
}
