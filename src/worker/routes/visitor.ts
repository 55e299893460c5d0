// A visitor starts a chat: the widget posts here and gets a token bound to account, visitor and chat.
// Only from the account's allowed sites (origin-policy.ts).
import { Hono } from "hono/tiny";
import { lobbyOfInvitation } from "../../durable/lobby-address.ts";
import { VisitorSessionRequest, type VisitorSessionResponse } from "../../shared/protocol.ts";
import { ProblemError } from "../../server/problems.ts";
import type { AppEnv } from "../app-env.ts";
import { VISITOR_TOKEN_TTL_S, signToken } from "../auth/tokens.ts";
import { validate } from "../http.ts";
import { requireDepartmentOf, requireOpen, requireVisitorAccount, startChat } from "../start-chat.ts";

export const visitorRoutes = new Hono<AppEnv>().post(
  "/sessions",
  validate("json", VisitorSessionRequest),
  async (c) => {
    const body = c.req.valid("json");
    const accountId = body.accountId;
    await requireVisitorAccount(c.env, c.req.raw, accountId, "session");
    const departmentId = body.departmentId ?? null;
    const department = await requireDepartmentOf(c.env, accountId, departmentId);

    // An answer to an operator's invitation: claimed once, in the object holding it (the account's
    // lobby or one of its visitor shards, so another account's invitation is not there). Expired
    // or used, the visitor gets a normal waiting chat.
    const invitationLobby = body.invitationId ? lobbyOfInvitation(c.env, accountId, body.invitationId) : null;
    const claim =
      invitationLobby && body.invitationId ? await invitationLobby.claimInvitation(body.invitationId) : null;
    if (claim && !claim.ok && claim.code === "not_found")
      throw new ProblemError(404, "not_found", "There is no such invitation.");
    const invitation = claim?.ok ? claim : null;
    // An operator's invitation is answered whatever the hours: the operator is there.
    if (!invitation) requireOpen(department);

    const { chatId, visitorId, name } = await startChat(c.env, c.req.raw, {
      accountId,
      departmentId,
      visitorId: body.visitorId,
      visitorName: body.name ?? null,
      visitorEmail: body.email ?? null,
      opening: invitation
        ? {
            kind: "invited",
            operator: invitation.operator,
            text: invitation.text,
            invitationId: invitation.invitationId,
          }
        : { kind: "waiting" },
    });
    // The inviting operator's consoles open the chat.
    if (invitation && invitationLobby) await invitationLobby.invitationAccepted(invitation.invitationId, chatId, name);

    const { token, expiresAt } = await signToken(
      { typ: "visitor", acc: accountId, sub: visitorId, chat: chatId, name },
      c.env.AUTH_SECRET,
      VISITOR_TOKEN_TTL_S,
    );
    const response: VisitorSessionResponse = {
      token,
      chatId,
      visitorId,
      expiresAt,
      ...(invitation ? { invitedBy: invitation.operator } : {}),
    };
    return c.json(response, 201);
  },
);
