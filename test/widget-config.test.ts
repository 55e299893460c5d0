// The widget's public config endpoint and the CORS every widget route answers with: the widget
// runs on customers' sites, so each answer (errors included) must be readable cross-origin.
import { describe, expect, it } from "vitest";
import type { WidgetConfig } from "../src/shared/widget-api.ts";
import { admin, call, connectLobby, expectJson, expectProblem, login, seedAccount } from "./helpers.ts";

const SITE = "https://shop.example";

describe("GET /api/widget/config", () => {
  it("answers the account's public face and nothing private", async () => {
    const acc = await seedAccount("wconf");
    await admin("/settings", acc.apiKey, {
      method: "PATCH",
      json: { greeting: "Hallo!", widgetColor: "#aa3300", allowedOrigins: [SITE], language: "de" },
    });
    const config = await expectJson<WidgetConfig>(
      await call(`/api/widget/config?account=${acc.id}`, { headers: { Origin: SITE } }),
      200,
    );
    expect(config).toEqual({
      displayName: "Company wconf",
      widgetColor: "#aa3300",
      greeting: "Hallo!",
      offlineMessage: "We are away right now. Leave a message and we will get back to you by email.",
      preChatForm: false,
      language: "de",
      departments: [
        // No business hours set: always open.
        { id: acc.salesId, name: "Sales", open: true },
        { id: `${acc.id}_support`, name: "Support", open: true },
      ],
      fileSizeLimitBytes: 10 * 1024 * 1024,
      online: false,
    });
    // Exactly these keys: no allowedOrigins, allowed file types, transcript sender or the like.
    // (The file size limit is public: the widget tells it to a visitor whose file is too large.)
    expect(Object.keys(config).sort()).toEqual([
      "departments",
      "displayName",
      "fileSizeLimitBytes",
      "greeting",
      "language",
      "offlineMessage",
      "online",
      "preChatForm",
      "widgetColor",
    ]);
  });

  it("offers the widget only in a language it ships, or automatic", async () => {
    const acc = await seedAccount("wlang");
    expect((await expectJson<WidgetConfig>(await call(`/api/widget/config?account=${acc.id}`), 200)).language).toBe(
      "auto",
    );
    const refused = await admin("/settings", acc.apiKey, { method: "PATCH", json: { language: "fr" } });
    expect(refused.status).toBe(422);
    await refused.arrayBuffer();
    expect((await expectJson<WidgetConfig>(await call(`/api/widget/config?account=${acc.id}`), 200)).language).toBe(
      "auto",
    );
  });

  it("says online once an operator who can take the chat is online", async () => {
    const acc = await seedAccount("wonline");
    const { token } = await login(acc.emails.ann);
    const { client } = await connectLobby(token);
    client.send({ type: "presence", status: "online" });
    await client.next("presence");
    const config = await expectJson<WidgetConfig>(await call(`/api/widget/config?account=${acc.id}`), 200);
    expect(config.online).toBe(true);
    client.close();
  });

  it("answers 404 for an unknown account and 422 without one, both readable cross-origin", async () => {
    const unknown = await call("/api/widget/config?account=acc_nope", { headers: { Origin: SITE } });
    expect(unknown.headers.get("Access-Control-Allow-Origin")).toBe("*");
    await expectProblem(unknown, 404, "not_found");
    await expectProblem(await call("/api/widget/config"), 422, "validation_failed");
  });
});

describe("CORS on the widget's routes", () => {
  it("answers preflights for the config, sessions and history", async () => {
    for (const [path, method] of [
      ["/api/widget/config?account=x", "GET"],
      ["/api/visitor/sessions", "POST"],
      ["/api/chats/c_x/messages", "GET"],
    ] as const) {
      const res = await call(path, {
        method: "OPTIONS",
        headers: {
          Origin: SITE,
          "Access-Control-Request-Method": method,
          "Access-Control-Request-Headers": "content-type,authorization",
        },
      });
      expect(res.status, path).toBe(204);
      expect(res.headers.get("Access-Control-Allow-Origin")).toBe("*");
      expect(res.headers.get("Access-Control-Allow-Methods")).toContain(method);
      expect(res.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("content-type");
      expect(res.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
      expect(Number(res.headers.get("Access-Control-Max-Age"))).toBeGreaterThan(0);
    }
  });

  it("puts the header on answers and on errors", async () => {
    const acc = await seedAccount("wcors");
    const ok = await call("/api/visitor/sessions", {
      method: "POST",
      headers: { Origin: SITE },
      json: { accountId: acc.id },
    });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("Access-Control-Allow-Origin")).toBe("*");
    const bad = await call("/api/visitor/sessions", {
      method: "POST",
      headers: { Origin: SITE },
      json: { accountId: acc.id, extra: 1 },
    });
    expect(bad.headers.get("Access-Control-Allow-Origin")).toBe("*");
    await expectProblem(bad, 422, "validation_failed");
  });

  it("leaves the operator and admin APIs without CORS", async () => {
    const res = await call("/api/operator/login", {
      method: "OPTIONS",
      headers: { Origin: SITE, "Access-Control-Request-Method": "POST" },
    });
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});
