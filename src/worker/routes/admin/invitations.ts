// Public: an invited operator chooses a password and is signed in. Mounted at
// /api/operator/invitations, next to the operator's sign-in, not under the admin API.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { InvitationAccept } from "../../../shared/admin-api.ts";
import type { OperatorLoginResponse } from "../../../shared/protocol.ts";
import { hashPassword, hasPassword, UNUSABLE_PASSWORD_HASH } from "../../auth/password.ts";
import { OPERATOR_TOKEN_TTL_S, signToken, verifyInvitation } from "../../auth/tokens.ts";
import { database } from "../../db/index.ts";
import { operators } from "../../db/schema.ts";
import { ProblemError, validate, type AppEnv } from "../../http.ts";

const USED = "This invitation has been used already: sign in with your password, or ask an admin to set a new one.";

export const invitationRoutes = new Hono<AppEnv>().post("/accept", validate("json", InvitationAccept), async (c) => {
  const { token, password } = c.req.valid("json");
  const invitation = await verifyInvitation(token, c.env.AUTH_SECRET);
  if (!invitation.ok) {
    const expired = invitation.reason === "token_expired";
    throw new ProblemError(401, invitation.reason, expired ? "This invitation has expired; ask an admin for a new one." : "This invitation is not valid.");
  }
  const db = database(c.env.DB);
  const operator = await db.select().from(operators).where(eq(operators.id, invitation.operatorId)).get();
  if (!operator || operator.accountId !== invitation.accountId) throw new ProblemError(401, "token_invalid", "This invitation is for an operator who no longer exists.");
  if (!operator.active) throw new ProblemError(403, "forbidden", "This operator has been deactivated.");
  // An invitation is good while the operator has no password: once one is set (here, or by an
  // admin) it is used up. The condition is part of the UPDATE, so of two accepts at once one wins.
  if (hasPassword(operator.passwordHash)) throw new ProblemError(409, "invitation_used", USED);
  const updated = await db
    .update(operators)
    .set({ passwordHash: await hashPassword(password) })
    .where(and(eq(operators.id, operator.id), eq(operators.passwordHash, UNUSABLE_PASSWORD_HASH)))
    .returning({ id: operators.id });
  if (!updated.length) throw new ProblemError(409, "invitation_used", USED);

  const session = await signToken({ typ: "operator", acc: operator.accountId, sub: operator.id, role: operator.role, name: operator.name, ver: operator.sessionVersion }, c.env.AUTH_SECRET, OPERATOR_TOKEN_TTL_S);
  const profile = { id: operator.id, accountId: operator.accountId, email: operator.email, name: operator.name, role: operator.role };
  return c.json({ ...session, operator: profile } satisfies OperatorLoginResponse);
});
