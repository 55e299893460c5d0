// The shareable chat page, /chat/<account> (docs/chat-page.md): the Worker serves the built shell
// for an account that exists, with the account's name as the title (as text), and a plain 404 page
// for any other. The page's chat calls the visitor API from Parley's own origin: allowed whatever
// the account's allowed origins, while other sites still follow them, and rate limited as ever.
// (`npm run build` first: the shell and the page's script come from the built assets.)
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { VisitorSessionResponse } from "../src/shared/protocol.ts";
import { admin, call, expectJson, expectProblem, seedAccount } from "./helpers.ts";

const PARLEY = "https://parley.test"; // the origin test/helpers.ts calls the Worker at
const ALLOWED = "https://shop.example";
const OTHER = "https://evil.example";

async function accountNamed(tag: string, change: Record<string, unknown>) {
  const acc = await seedAccount(tag);
  expect((await admin("/settings", acc.apiKey, { method: "PATCH", json: change })).status).toBe(200);
  return acc;
}

describe("the chat page", () => {
  it("answers an account's link with the page: HTML, titled with the account's name, not cached for long", async () => {
    const acc = await seedAccount("cpage1");
    const res = await call(`/chat/${acc.id}?department=${acc.salesId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(res.headers.get("Cache-Control")).toBe("no-cache");
    const html = await res.text();
    expect(html).toContain(`<title>Company cpage1</title>`);
    // The page's script, which mounts the widget's chat part, is there to be loaded.
    const script = /<script type="module" src="(\/widget\/page-[\w-]+\.js)"><\/script>/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await call(script!);
    expect(js.status).toBe(200);
    expect(await js.text()).toMatch(/\/widget\/chat-[\w-]+\.js/);
  });

  it("runs only this origin's scripts, and keeps the page out of other sites' frames", async () => {
    const acc = await seedAccount("cpage2");
    const res = await call(`/chat/${acc.id}`);
    const policy = res.headers.get("Content-Security-Policy") ?? "";
    expect(policy).toContain("script-src 'self';");
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(res.headers.get("X-Frame-Options")).toBe("DENY");
  });

  it("answers an unknown account with a 404 page, not the console", async () => {
    for (const path of ["/chat/acc_nobody", "/chat/not-found", "/chat/%3Cscript%3E"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html).toContain("This chat link does not lead anywhere");
      expect(html).not.toContain('<div id="root">');
      expect(html).not.toContain("/widget/page-");
    }
  });

  it("shows a display name that looks like HTML as text", async () => {
    const hostile = "<img src=x onerror=alert(1)>";
    const acc = await accountNamed("cpage3", { displayName: `${hostile} & "Co"` });
    const html = await (await call(`/chat/${acc.id}`)).text();
    expect(html).not.toContain("<img");
    const title = /<title>(.*)<\/title>/.exec(html)?.[1];
    expect(title).toMatch(/^&lt;img src=x onerror=alert\(1\)&gt; &amp; /);
  });
});

describe("the chat page's calls to the visitor API", () => {
  function startFrom(origin: string, accountId: string, headers: Record<string, string> = {}) {
    return call("/api/visitor/sessions", {
      method: "POST",
      json: { accountId },
      headers: { Origin: origin, ...headers },
    });
  }

  it("are accepted from Parley's own origin while a foreign origin still follows the allowed origins", async () => {
    const acc = await accountNamed("cpage4", { allowedOrigins: [ALLOWED] });
    const config = (origin: string) => call(`/api/widget/config?account=${acc.id}`, { headers: { Origin: origin } });
    expect((await config(PARLEY)).status).toBe(200);
    expect((await config(ALLOWED)).status).toBe(200);
    await expectProblem(await config(OTHER), 403, "forbidden");

    const session = await expectJson<VisitorSessionResponse>(await startFrom(PARLEY, acc.id), 201);
    await expectProblem(await startFrom(OTHER, acc.id), 403, "forbidden");
    // A look-alike of Parley's origin is another site.
    await expectProblem(await startFrom("https://parley.test.evil.example", acc.id), 403, "forbidden");

    const socket = (origin: string) =>
      exports.default.fetch(
        new Request(`${PARLEY}/ws/chats/${session.chatId}?token=${encodeURIComponent(session.token)}`, {
          headers: { Upgrade: "websocket", Origin: origin },
        }),
      );
    const ok = await socket(PARLEY);
    expect(ok.status).toBe(101);
    ok.webSocket!.accept();
    ok.webSocket!.close();
    await expectProblem(await socket(OTHER), 403, "forbidden");
  });

  it("are rate limited like the widget's: a 61st offline message in a minute from one address is refused", async () => {
    const acc = await seedAccount("cpage5");
    const leave = () =>
      call("/api/visitor/offline-messages", {
        method: "POST",
        headers: { Origin: PARLEY, "CF-Connecting-IP": "192.0.2.61" },
        json: { accountId: acc.id, name: "Flood", email: "flood@example.com", text: "Hello" },
      });
    const statuses = await Promise.all(Array.from({ length: 60 }, leave));
    expect(statuses.map((r) => r.status)).toEqual(Array.from({ length: 60 }, () => 201));
    await expectProblem(await leave(), 429, "rate_limited");
  });
});
