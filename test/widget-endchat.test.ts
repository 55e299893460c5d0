// The end of a chat and the widget's other paths in: the visitor's rating (the `rate` frame),
// messages left through the offline form, and the pre-chat form's department choice.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page, Settings } from "../src/shared/admin-api.ts";
import type { LobbyServerFrame } from "../src/shared/lobby-protocol.ts";
import type { ChatsResponse, ChatSummary, HistoryPage, OfflineMessageResponse } from "../src/shared/protocol.ts";
import type { WidgetConfig } from "../src/shared/widget-api.ts";
import {
  admin,
  call,
  ChatClient,
  expectJson,
  expectProblem,
  join,
  login,
  onlineLobby,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
const tokens = { ann: "", bob: "" };

beforeAll(async () => {
  acc = await seedAccount("endchat");
  tokens.ann = (await login(acc.emails.ann)).token; // Sales
  tokens.bob = (await login(acc.emails.bob)).token; // Support
});

describe("rating a chat", () => {
  it("the visitor rates after the close; the operator sees it live, in the welcome and in both chat lists", async () => {
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    const operator = await operatorJoins(chat.chatId, tokens.ann);
    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "close" });
    await operator.next("msg");
    visitor.send({ type: "rate", rating: "good", comment: "  Quick and friendly.  " });
    const live = await operator.next("rating");
    expect(live).toEqual({ type: "rating", rating: "good", comment: "Quick and friendly.", at: expect.any(Number) });
    // The visitor's own socket hears it too: that is the widget's confirmation.
    expect(await visitor.next("rating")).toMatchObject({ rating: "good" });

    // An operator arriving later learns it from the welcome.
    const { welcome } = await join(chat.chatId, tokens.ann);
    expect(welcome.chat).toEqual({
      id: chat.chatId,
      status: "closed",
      rating: { rating: "good", comment: "Quick and friendly.", at: live.at },
    });

    await expect
      .poll(async () => {
        const list = await expectJson<ChatsResponse>(
          await call("/api/operator/chats?status=closed", { token: tokens.ann }),
          200,
        );
        return list.chats.find((c) => c.id === chat.chatId)?.rating;
      })
      .toBe("good");
    const page = await expectJson<Page<ChatSummary>>(await admin("/chats?status=closed", acc.apiKey), 200);
    expect(page.items.find((c) => c.id === chat.chatId)).toMatchObject({ rating: "good", offline: false });

    // Rating again replaces the rating.
    visitor.send({ type: "rate", rating: "bad" });
    expect(await operator.next("rating")).toMatchObject({ rating: "bad", comment: null });
    for (const c of [visitor, operator]) c.close();
  });

  it("is the visitor's alone, and validated", async () => {
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    const operator = await operatorJoins(chat.chatId, tokens.ann);
    operator.send({ type: "rate", rating: "good" });
    expect(await operator.next("error")).toMatchObject({ code: "forbidden" });

    const { client: visitor } = await join(chat.chatId, chat.token);
    visitor.send({ type: "rate", rating: "meh" });
    expect(await visitor.next("error")).toMatchObject({ code: "bad_frame" });
    visitor.send({ type: "rate", rating: "good", comment: "x".repeat(1001) });
    expect(await visitor.next("error")).toMatchObject({ code: "text_too_long" });
    visitor.send({ type: "rate", rating: "good", stars: 5 });
    expect(await visitor.next("error")).toMatchObject({ code: "bad_frame" });
    visitor.send({ type: "rate", rating: "bad", comment: "x".repeat(1000) });
    expect(await operator.next("rating")).toMatchObject({ rating: "bad" });
    expect(operator.drain().filter((f) => f.type === "rating")).toEqual([]);
    for (const c of [visitor, operator]) c.close();
  });
});

describe("POST /api/visitor/offline-messages", () => {
  const SITE = "https://shop.example";
  const message = (extra: Record<string, unknown> = {}) => ({
    accountId: acc.id,
    name: "Olga Offline",
    email: "Olga@Example.org",
    text: "Please call me back about my order.",
    ...extra,
  });

  it("stores the message as a waiting chat that operators see, accept and read", async () => {
    const { client: lobby } = await onlineLobby(tokens.bob);
    const res = await call("/api/visitor/offline-messages", {
      method: "POST",
      headers: { Origin: SITE },
      json: message({ departmentId: `${acc.id}_support` }),
    });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const { chatId } = await expectJson<OfflineMessageResponse>(res, 201);
    expect(chatId).toMatch(/^c_/);

    const waiting = await (lobby as ChatClient<LobbyServerFrame>).next("waiting");
    expect(waiting.chat).toEqual({
      chatId,
      departmentId: `${acc.id}_support`,
      visitorName: "Olga Offline",
      since: expect.any(Number),
      offline: true,
      visitorEmail: "olga@example.org",
      firstMessage: "Please call me back about my order.",
    });
    // A console connecting later has it in its snapshot, marked the same way.
    const later = await onlineLobby(tokens.bob);
    expect(later.snapshot.waiting.find((w) => w.chatId === chatId)).toMatchObject({
      offline: true,
      visitorEmail: "olga@example.org",
    });
    later.client.close();

    const listed = await expectJson<Page<ChatSummary>>(await admin("/chats?status=waiting", acc.apiKey), 200);
    expect(listed.items.find((c) => c.id === chatId)).toMatchObject({
      visitorName: "Olga Offline",
      visitorEmail: "olga@example.org",
      offline: true,
      status: "waiting",
    });

    expect((await call(`/api/operator/chats/${chatId}/accept`, { method: "POST", token: tokens.bob })).status).toBe(
      200,
    );
    const history = await expectJson<HistoryPage>(
      await call(`/api/chats/${chatId}/messages`, { token: tokens.bob }),
      200,
    );
    expect(history.messages[0]).toMatchObject({
      seq: 1,
      kind: "text",
      cid: "offline",
      text: "Please call me back about my order.",
      author: { kind: "visitor", name: "Olga Offline" },
    });
    expect(history.messages[1]).toMatchObject({ kind: "system", event: "join" });
    lobby.close();
  });

  it("refuses an invalid email, a missing text, unknown fields, an unknown account or department, and other sites", async () => {
    const post = (json: unknown, headers: Record<string, string> = {}) =>
      call("/api/visitor/offline-messages", { method: "POST", headers, json });
    const invalid = await expectProblem(await post(message({ email: "not-an-email" })), 422, "validation_failed");
    expect(invalid.errors?.join()).toContain("email");
    await expectProblem(await post(message({ text: "   " })), 422, "validation_failed");
    await expectProblem(await post({ accountId: acc.id, name: "No email", text: "Hi" }), 422, "validation_failed");
    await expectProblem(await post(message({ phone: "123" })), 422, "validation_failed");
    await expectProblem(await post(message({ accountId: "acc_nope" })), 404, "not_found");
    await expectProblem(await post(message({ departmentId: "dep_nope" })), 404, "not_found");

    const guarded = await seedAccount("endchat_guarded");
    await admin("/settings", guarded.apiKey, { method: "PATCH", json: { allowedOrigins: [SITE] } });
    await expectProblem(
      await post(message({ accountId: guarded.id }), { Origin: "https://evil.example" }),
      403,
      "forbidden",
    );
    expect((await post(message({ accountId: guarded.id }), { Origin: SITE })).status).toBe(201);
  });

  it("answers CORS preflights", async () => {
    const res = await call("/api/visitor/offline-messages", {
      method: "OPTIONS",
      headers: {
        Origin: SITE,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
  });
});

describe("the pre-chat form", () => {
  it("is an account setting, off by default, that the widget config carries", async () => {
    const config = () => call(`/api/widget/config?account=${acc.id}`).then((res) => expectJson<WidgetConfig>(res, 200));
    expect((await config()).preChatForm).toBe(false);
    const settings = await expectJson<Settings>(
      await admin("/settings", acc.apiKey, { method: "PATCH", json: { preChatForm: true } }),
      200,
    );
    expect(settings.preChatForm).toBe(true);
    expect((await config()).preChatForm).toBe(true);
    await expectProblem(
      await admin("/settings", acc.apiKey, { method: "PATCH", json: { preChatForm: "yes" } }),
      422,
      "validation_failed",
    );
    await admin("/settings", acc.apiKey, { method: "PATCH", json: { preChatForm: false } });
  });

  it("says per department whether someone is online, and the chosen department's queue gets the chat", async () => {
    const support = `${acc.id}_support`;
    const online = async (department: string) =>
      (await expectJson<WidgetConfig>(await call(`/api/widget/config?account=${acc.id}&department=${department}`), 200))
        .online;
    const { client: bob } = await onlineLobby(tokens.bob);
    expect(await online(support)).toBe(true);
    // Nobody of Sales (Ann, the owner) has gone online in this file.
    expect(await online(acc.salesId)).toBe(false);
    await expectProblem(await call(`/api/widget/config?account=${acc.id}&department=dep_nope`), 404, "not_found");

    const chat = await startChat(acc.id, { name: "Petra Prechat", email: "petra@example.org", departmentId: support });
    const waiting = await bob.next("waiting");
    expect(waiting.chat).toMatchObject({ chatId: chat.chatId, departmentId: support, visitorName: "Petra Prechat" });
    expect(waiting.chat.offline).toBeUndefined();
    // Ann, in Sales only, cannot take it.
    await expectProblem(
      await call(`/api/operator/chats/${chat.chatId}/accept`, { method: "POST", token: tokens.ann }),
      403,
      "forbidden",
    );
    bob.close();
  });
});
