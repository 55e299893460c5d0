// Public: an invited operator looks their invitation up (who it is for) and accepts it, choosing
// a password, and is signed in. Mounted at /api/operator/invitations, next to the operator's
// sign-in, not under the admin API. The invitation token is the only credential, and it travels
// in the body (not the URL) so it stays out of logs.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono/tiny";
import {
  SignUpInvitationAccept,
  SignUpInvitationLookup,
  type SignUpInvitationDetails,
} from "../../../shared/admin-api.ts";
import { roleAtLeast, type OperatorLoginResponse } from "../../../shared/protocol.ts";
import { hashPassword, hasPassword, UNUSABLE_PASSWORD_HASH } from "../../auth/password.ts";
import { signOperatorSession, verifySignUpInvitation } from "../../auth/tokens.ts";
import { database } from "../../../server/db/index.ts";
import { operators } from "../../../server/db/schema.ts";
import { ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";

const USED = "This invitation has been used already: sign in with your password, or ask an admin to set a new one.";
const EXPIRED = "This invitation has expired; ask an admin for a new one.";
const INVALID = "This invitation is not valid.";
const REVOKED =
  "This invitation was withdrawn: the operator it was for has been deactivated or removed. Ask an admin if you should still have access.";
const OUTGROWN =
  "This invitation was for a lesser role than the operator has now; ask an owner to set a password for them instead.";

type OperatorRow = typeof operators.$inferSelect;

/** The operator a token invites, while the invitation can still be accepted; otherwise a problem
 * that says only why not. A token that is not ours (forged, another kind, garbage) is "not
 * valid" and nothing more; expiry is told only for a genuine one (the signature is checked
 * first). Whether the operator was deactivated or removed is told only to a genuine token, which
 * only its invitee holds. */
async function invitedOperator(env: Env, token: string): Promise<{ operator: OperatorRow; expiresAt: number }> {
  const invitation = await verifySignUpInvitation(token, env.AUTH_SECRET);
  if (!invitation.ok)
    throw new ProblemError(401, invitation.reason, invitation.reason === "token_expired" ? EXPIRED : INVALID);
  const operator = await database(env.DB).select().from(operators).where(eq(operators.id, invitation.operatorId)).get();
  if (!operator || operator.accountId !== invitation.accountId || !operator.active)
    throw new ProblemError(410, "invitation_revoked", REVOKED);
  // Whoever issued an invitation has its token too: it is good for the role it was issued with
  // and no higher, so promoting an invitee never hands the issuer a way in above their own role.
  if (invitation.role !== null && !roleAtLeast(invitation.role, operator.role))
    throw new ProblemError(410, "invitation_revoked", OUTGROWN);
  // An invitation is good while the operator has no password: once one is set (by accepting, or
  // by an admin) it is used up.
  if (hasPassword(operator.passwordHash)) throw new ProblemError(409, "invitation_used", USED);
  return { operator, expiresAt: invitation.expiresAt };
}

export const signUpInvitationRoutes = new Hono<AppEnv>()
  .post("/lookup", validate("json", SignUpInvitationLookup), async (c) => {
    const { operator, expiresAt } = await invitedOperator(c.env, c.req.valid("json").token);
    return c.json({ name: operator.name, email: operator.email, expiresAt } satisfies SignUpInvitationDetails);
  })
  .post("/accept", validate("json", SignUpInvitationAccept), async (c) => {
    const { token, password } = c.req.valid("json");
    const { operator } = await invitedOperator(c.env, token);
    // The condition is part of the UPDATE, so of two accepts at once one wins.
    const updated = await database(c.env.DB)
      .update(operators)
      .set({ passwordHash: await hashPassword(password) })
      .where(
        and(
          eq(operators.id, operator.id),
          eq(operators.active, true),
          eq(operators.passwordHash, UNUSABLE_PASSWORD_HASH),
        ),
      )
      .returning({ id: operators.id });
    if (!updated.length) throw new ProblemError(409, "invitation_used", USED);

    // The session carries exactly what the database holds for them: their role, as stored.
    const session = await signOperatorSession(operator, c.env.AUTH_SECRET);
    const profile = {
      id: operator.id,
      accountId: operator.accountId,
      email: operator.email,
      name: operator.name,
      role: operator.role,
    };
    return c.json({ ...session, operator: profile } satisfies OperatorLoginResponse);
  });
