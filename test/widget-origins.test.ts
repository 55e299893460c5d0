// An account's allowedOrigins: when set, only those sites (and Parley's own origin) may start a
// chat, read the widget's config or open a visitor's socket; an empty list allows every site.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { VisitorSessionResponse } from "../src/shared/protocol.ts";
import { admin, call, expectJson, expectProblem, login, seedAccount, startChat } from "./helpers.ts";

const ALLOWED = "https://shop.example";
const OTHER = "https://evil.example";

async function accountAllowing(tag: string, origins: string[]) {
  const acc = await seedAccount(tag);
  const res = await admin("/settings", acc.apiKey, { method: "PATCH", json: { allowedOrigins: origins } });
  expect(res.status).toBe(200);
  return acc;
}

function startFrom(origin: string | undefined, accountId: string) {
  return call("/api/visitor/sessions", {
    method: "POST",
    json: { accountId },
    ...(origin ? { headers: { Origin: origin } } : {}),
  });
}

function socketFrom(origin: string | undefined, chatId: string, token: string) {
  const headers = new Headers({ Upgrade: "websocket" });
  if (origin) headers.set("Origin", origin);
  return exports.default.fetch(
    new Request(`https://parley.test/ws/chats/${chatId}?token=${encodeURIComponent(token)}`, { headers }),
  );
}

describe("allowed origins", () => {
  it("lets a listed site start a chat and refuses any other with 403", async () => {
    const acc = await accountAllowing("worig1", [ALLOWED]);
    expect((await startFrom(ALLOWED, acc.id)).status).toBe(201);
    const refused = await startFrom(OTHER, acc.id);
    expect(refused.headers.get("Access-Control-Allow-Origin")).toBe("*");
    await expectProblem(refused, 403, "forbidden");
    await expectProblem(
      await call(`/api/widget/config?account=${acc.id}`, { headers: { Origin: OTHER } }),
      403,
      "forbidden",
    );
    expect((await call(`/api/widget/config?account=${acc.id}`, { headers: { Origin: ALLOWED } })).status).toBe(200);
  });

  it("allows Parley's own origin (the demo page) and requests without an Origin", async () => {
    const acc = await accountAllowing("worig2", [ALLOWED]);
    expect((await startFrom("https://parley.test", acc.id)).status).toBe(201);
    expect((await startFrom(undefined, acc.id)).status).toBe(201);
  });

  it("allows every site while the list is empty", async () => {
    const acc = await accountAllowing("worig3", []);
    expect((await startFrom(OTHER, acc.id)).status).toBe(201);
  });

  it("refuses a visitor's socket from another site, and accepts it from a listed one", async () => {
    const acc = await accountAllowing("worig4", [ALLOWED]);
    const session = await expectJson<VisitorSessionResponse>(await startFrom(ALLOWED, acc.id), 201);
    await expectProblem(await socketFrom(OTHER, session.chatId, session.token), 403, "forbidden");
    const ok = await socketFrom(ALLOWED, session.chatId, session.token);
    expect(ok.status).toBe(101);
    ok.webSocket!.accept();
    ok.webSocket!.close();
  });

  it("applies a changed list to a chat already running", async () => {
    const acc = await accountAllowing("worig5", []);
    const session = await startChat(acc.id);
    await admin("/settings", acc.apiKey, { method: "PATCH", json: { allowedOrigins: [ALLOWED] } });
    await expectProblem(await socketFrom(OTHER, session.chatId, session.token), 403, "forbidden");
  });

  it("does not restrict operators, whose console is on Parley's own origin", async () => {
    const acc = await accountAllowing("worig6", [ALLOWED]);
    const session = await startChat(acc.id);
    const { token } = await login(acc.emails.owner);
    const res = await socketFrom(OTHER, session.chatId, token);
    expect(res.status).toBe(101);
    res.webSocket!.accept();
    res.webSocket!.close();
  });
});
