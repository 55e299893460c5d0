// GET /api/chats/:chatId/queue: the widget's "You are number 2 in the queue". Only the chat's own
// visitor token gets an answer, and only about that chat; the place follows the department's
// queue as chats are taken.
import { beforeAll, describe, expect, it } from "vitest";
import type { QueuePositionResponse, VisitorSessionResponse } from "../src/shared/protocol.ts";
import { call, expectJson, expectProblem, login, seedAccount, startChat, type SeededAccount } from "./helpers.ts";

let account: SeededAccount;
let other: SeededAccount;

beforeAll(async () => {
  [account, other] = await Promise.all([seedAccount("queue"), seedAccount("queueother")]);
});

const queue = (chatId: string, token?: string) => call(`/api/chats/${chatId}/queue`, token ? { token } : {});

describe("GET /api/chats/:chatId/queue", () => {
  it("tells a waiting visitor their place in their department's queue, and that it is over once an operator takes the chat", async () => {
    // An offline message waits too, but it is answered by email: no live visitor waits behind it.
    expect(
      (
        await call("/api/visitor/offline-messages", {
          method: "POST",
          json: { accountId: account.id, name: "Olga", email: "olga@example.org", text: "Call me" },
        })
      ).status,
    ).toBe(201);
    const first = await startChat(account.id);
    const second = await startChat(account.id);
    const sales = await startChat(account.id, { departmentId: account.salesId });
    const place = async (s: VisitorSessionResponse) =>
      expectJson<QueuePositionResponse>(await queue(s.chatId, s.token), 200);

    expect(await place(first)).toEqual({ waiting: true, position: 1 });
    expect(await place(second)).toEqual({ waiting: true, position: 2 });
    expect(await place(sales)).toEqual({ waiting: true, position: 1 }); // Sales has a queue of its own

    const ann = (await login(account.emails.ann)).token;
    expect((await call(`/api/operator/chats/${first.chatId}/accept`, { method: "POST", token: ann })).status).toBe(200);
    expect(await place(first)).toEqual({ waiting: false });
    expect(await place(second)).toEqual({ waiting: true, position: 1 });
    const res = await queue(second.chatId, second.token);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    await res.arrayBuffer();
  });

  it("answers only the chat's own visitor: another visitor's token, operators, API keys and no token are refused", async () => {
    const mine = await startChat(account.id);
    const theirs = await startChat(account.id);
    const elsewhere = await startChat(other.id);
    const before = await expectJson<QueuePositionResponse>(await queue(mine.chatId, mine.token), 200);
    expect(before).toMatchObject({ waiting: true });
    const refusal = await expectProblem(await queue(mine.chatId, theirs.token), 403, "forbidden");
    expect(JSON.stringify(refusal)).not.toMatch(/position/);
    await expectProblem(await queue(mine.chatId, elsewhere.token), 403, "forbidden");
    await expectProblem(await queue(mine.chatId, (await login(account.emails.owner)).token), 403, "forbidden");
    await expectProblem(await queue(mine.chatId, account.apiKey), 403, "forbidden");
    await expectProblem(await queue(mine.chatId), 401, "token_missing");
    await expectProblem(await queue(mine.chatId, "not-a-token"), 401, "token_invalid");
    // The refusals changed nothing: the chat waits where it waited.
    expect(await expectJson<QueuePositionResponse>(await queue(mine.chatId, mine.token), 200)).toEqual(before);
  });

  it("is readable from the customer's site (CORS), as the widget asks it from there", async () => {
    const chat = await startChat(account.id);
    const res = await call(`/api/chats/${chat.chatId}/queue`, {
      token: chat.token,
      headers: { Origin: "https://shop.example" },
    });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
    await expectJson(res, 200);
    const preflight = await call(`/api/chats/${chat.chatId}/queue`, {
      method: "OPTIONS",
      headers: {
        Origin: "https://shop.example",
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
    await preflight.arrayBuffer();
  });
});
