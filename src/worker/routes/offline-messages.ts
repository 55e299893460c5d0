// A visitor leaves a message while no operator is online (the widget's offline form). It is kept
// as an ordinary chat: an index row marked `offline`, a ChatRoom whose first message is the
// visitor's text, and a place in the department's queue, so operators see it as a waiting
// conversation, accept it and read it like any other. Nothing is lost while nobody is online.
import { Hono } from "hono/tiny";
import { OfflineMessageRequest, type OfflineMessageResponse } from "../../shared/protocol.ts";
import type { AppEnv } from "../app-env.ts";
import { validate } from "../http.ts";
import { requireDepartmentOf, requireVisitorAccount, startChat } from "../start-chat.ts";

export const offlineMessageRoutes = new Hono<AppEnv>().post("/", validate("json", OfflineMessageRequest), async (c) => {
  const body = c.req.valid("json");
  await requireVisitorAccount(c.env, c.req.raw, body.accountId, "offline");
  const departmentId = body.departmentId ?? null;
  await requireDepartmentOf(c.env, body.accountId, departmentId);
  const email = body.email.toLowerCase();
  // Operators' answers are mailed to the visitor, in their language, with links to this origin.
  // The 201 comes only once the chat is stored, indexed and queued.
  const answerTo = {
    email,
    acceptLanguage: c.req.header("Accept-Language") ?? null,
    origin: new URL(c.req.url).origin,
  };
  const { chatId } = await startChat(c.env, c.req.raw, {
    accountId: body.accountId,
    departmentId,
    visitorName: body.name,
    visitorEmail: email,
    opening: { kind: "offline", text: body.text, answerTo },
  });
  return c.json({ chatId } satisfies OfflineMessageResponse, 201);
});
