// What holds for every route of the admin API: the OpenAPI document lists them all; no token, a
// bad token, an operator without an admin role and a visitor are all refused; bodies and queries
// are validated with unknown fields rejected; and another account's key finds nothing of this
// account's and changes nothing. The tables below are checked against the routes the Worker
// really registers, so a new route without a case here fails the suite.
import { beforeAll, describe, expect, it } from "vitest";
import { app } from "../src/worker/index.ts";
import { adminApiDocument } from "../src/worker/routes/admin/openapi-document.ts";
import {
  ADMIN,
  admin,
  expectJson,
  expectProblem,
  login,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let home: SeededAccount;
let other: SeededAccount;
let operatorToken: string;
let visitorToken: string;
let chatId: string;
let tagId: string;
let webhookId: string;

beforeAll(async () => {
  [home, other] = await Promise.all([seedAccount("home"), seedAccount("other")]);
  const tagOf = async (account: SeededAccount) =>
    (
      await expectJson<{ id: string }>(
        await admin("/tags", account.apiKey, { method: "POST", json: { name: "VIP" } }),
        201,
      )
    ).id;
  [tagId] = await Promise.all([tagOf(home), tagOf(other)]);
  // `.invalid` never resolves, and the endpoints are disabled: nothing is ever sent.
  const webhookOf = async (account: SeededAccount) => {
    const { endpoint } = await expectJson<{ endpoint: { id: string } }>(
      await admin("/webhooks", account.apiKey, { method: "POST", json: { url: "https://receiver.invalid/x" } }),
      201,
    );
    await admin(`/webhooks/${endpoint.id}`, account.apiKey, { method: "PATCH", json: { enabled: false } });
    return endpoint.id;
  };
  [webhookId] = await Promise.all([webhookOf(home), webhookOf(other)]);
  operatorToken = (await login(home.emails.ann)).token;
  const chat = await startChat(home.id, { departmentId: home.salesId });
  visitorToken = chat.token;
  chatId = chat.chatId;
});

/** The admin routes the Worker serves, as "METHOD /path" with Hono's :params. */
function registeredRoutes(): string[] {
  const routes = app.routes
    .filter((r) => r.method !== "ALL" && r.path.startsWith(`${ADMIN}/`))
    .map((r) => `${r.method} ${r.path.slice(ADMIN.length)}`);
  return [...new Set(routes)].sort();
}

type Case = {
  /** A valid body, sent with the auth and role checks so that only the caller can be at fault. */
  body?: Record<string, unknown>;
  /** What breaks the schema: a body, or a query string for routes that take a query. */
  invalid?: Record<string, unknown> | `?${string}`;
  public?: boolean;
};

const cases: Record<string, Case> = {
  "GET /openapi.json": { public: true },
  "GET /account": {},
  "GET /settings": {},
  "PATCH /settings": { body: { greeting: "Hello there" }, invalid: { widgetColor: "blue" } },
  "GET /storage": {},
  "GET /departments": { invalid: "?limit=0" },
  "POST /departments": { body: { name: "Billing" }, invalid: { name: "" } },
  "GET /departments/:id": {},
  "PATCH /departments/:id": { body: { name: "Renamed" }, invalid: { name: 5 } },
  "DELETE /departments/:id": {},
  "GET /operators": { invalid: "?limit=abc" },
  "POST /operators": { body: { email: "new@home.test", name: "New" }, invalid: { email: "not-an-email", name: "New" } },
  "GET /operators/:id": {},
  "PATCH /operators/:id": { body: { name: "Anna" }, invalid: { role: "boss" } },
  "POST /operators/:id/password": { body: { password: "a long enough password" }, invalid: { password: "short" } },
  "GET /canned-responses": { invalid: "?level=galaxy" },
  "POST /canned-responses": {
    body: { level: "company", title: "Hi", text: "Hello" },
    invalid: { level: "company", title: "", text: "Hello" },
  },
  "PUT /canned-responses/order": { body: { level: "company", ids: ["x"] }, invalid: { level: "company", ids: [] } },
  "GET /canned-responses/:id": {},
  "PATCH /canned-responses/:id": { body: { title: "Hi" }, invalid: { shortcut: "has space" } },
  "DELETE /canned-responses/:id": {},
  "GET /api-keys": { invalid: "?limit=1000" },
  "POST /api-keys": { body: { name: "CI" }, invalid: { name: "" } },
  "DELETE /api-keys/:id": {},
  "GET /chats": { invalid: "?status=open" },
  "GET /chats/:id": {},
  "GET /search": { invalid: "?q=" },
  "GET /tags": { invalid: "?limit=0" },
  "POST /tags": { body: { name: "Urgent" }, invalid: { name: "x".repeat(41) } },
  "PATCH /tags/:id": { body: { name: "Renamed" }, invalid: { name: "" } },
  "DELETE /tags/:id": {},
  "GET /reports": { invalid: "?from=2026-02-01&to=2026-01-01" },
  "POST /privacy/export": { body: { email: "nobody@home.test" }, invalid: {} },
  "POST /privacy/erase": { body: { email: "nobody@home.test" }, invalid: { email: "not an email" } },
  "GET /webhooks": { invalid: "?limit=0" },
  "POST /webhooks": { body: { url: "https://hooks.example.com/parley" }, invalid: { url: 5 } },
  "GET /webhooks/:id": {},
  "PATCH /webhooks/:id": { body: { description: "CRM" }, invalid: { enabled: "yes" } },
  "DELETE /webhooks/:id": {},
  "POST /webhooks/:id/rotate-secret": {},
  "GET /webhooks/:id/deliveries": { invalid: "?limit=0" },
  "POST /webhooks/:id/deliveries/:deliveryId/resend": {},
  "GET /audit-log": { invalid: "?cursor=abc" },
};

function split(route: string, id = "some-id") {
  const [method, path] = route.split(" ") as [string, string];
  return { method, path: path.replace(":id", id) };
}

function send(route: string, token: string | undefined, body?: unknown, id?: string, query = "") {
  const { method, path } = split(route, id);
  return admin(path + query, token, { method, ...(body === undefined ? {} : { json: body }) });
}

/** The newest audit log entry of the home account with this action ("METHOD /pattern"). */
async function newestAuditEntry(action: string) {
  const page = await expectJson<{ items: Record<string, unknown>[] }>(
    await admin(`/audit-log?limit=1&action=${encodeURIComponent(action)}`, home.apiKey),
    200,
  );
  return page.items[0];
}

describe("the route table", () => {
  it("has a case for every admin route the Worker serves, and no other", () => {
    expect(Object.keys(cases).sort()).toEqual(registeredRoutes());
  });
});

describe("the OpenAPI document", () => {
  // `npm run build` makes the document (scripts/build-openapi.ts) and the Worker serves that file
  // from the static assets; here the same generator runs on the routes as they are now.
  it("is the one the routes make now, byte for byte (else run npm run build)", async () => {
    const res = await admin("/openapi.json", undefined);
    const served = await res.text();
    expect(res.status, served.slice(0, 300)).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/json");
    expect(res.headers.get("Content-Security-Policy")).toBe("default-src 'none'; frame-ancestors 'none'");
    const made = JSON.stringify(adminApiDocument());
    expect(JSON.parse(served), "the built document is stale: npm run build remakes it").toEqual(JSON.parse(made));
    expect(served).toBe(made);
  });

  it("is public OpenAPI 3.1 JSON that lists every admin route with its schemas and the bearer scheme", async () => {
    const res = await admin("/openapi.json", undefined);
    expect(res.headers.get("Content-Type")).toContain("application/json");
    const doc = JSON.parse(await res.text()) as {
      openapi: string;
      servers: { url: string }[];
      security: unknown[];
      components: {
        securitySchemes: Record<string, { type: string; scheme: string }>;
        schemas: Record<string, unknown>;
      };
      paths: Record<
        string,
        Record<
          string,
          {
            operationId: string;
            summary: string;
            requestBody?: unknown;
            responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
          }
        >
      >;
    };
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.servers).toEqual([{ url: ADMIN }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.security).toEqual([{ bearer: [] }]);

    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    );
    expect(documented.sort()).toEqual(registeredRoutes());

    const operationIds = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const route = `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`;
        expect(op.summary, route).toBeTruthy();
        operationIds.add(op.operationId);
        const ok = Object.keys(op.responses).filter((status) => status.startsWith("2"));
        expect(ok, route).toHaveLength(1);
        if (ok[0] !== "204") expect(op.responses[ok[0]!]!.content?.["application/json"]?.schema, route).toBeTruthy();
        if (cases[route]?.body)
          expect(op.requestBody, route).toMatchObject({
            content: { "application/json": { schema: { additionalProperties: false } } },
          });
        if (!cases[route]?.public) {
          expect(op.responses["401"]?.content?.["application/problem+json"]?.schema, route).toEqual({
            $ref: "#/components/schemas/Problem",
          });
          expect(op.responses["403"], route).toBeTruthy();
        }
        if (cases[route]?.invalid) expect(op.responses["422"], route).toBeTruthy();
      }
    }
    expect(operationIds.size).toBe(documented.length);
    for (const name of [
      "Tag",
      "Problem",
      "Department",
      "Operator",
      "CannedResponse",
      "ApiKey",
      "Settings",
      "ChatSummary",
      "Message",
      "WebhookEndpoint",
      "WebhookDelivery",
      "AuditEntry",
    ]) {
      expect(doc.components.schemas[name], name).toBeTruthy();
    }
  });
});

describe("authentication and roles, on every route", () => {
  const protectedRoutes = Object.entries(cases).filter(([, c]) => !c.public);

  it.each(protectedRoutes)("%s refuses a missing or invalid token with 401", async (route, c) => {
    await expectProblem(await send(route, undefined, c.body), 401, "token_missing");
    await expectProblem(await send(route, "pk_not-a-real-key", c.body), 401, "token_invalid");
    await expectProblem(await send(route, "not.a.jwt", c.body), 401, "token_invalid");
  });

  it.each(protectedRoutes)(
    "%s refuses an operator without an admin role, and a visitor, with 403",
    async (route, c) => {
      await expectProblem(await send(route, operatorToken, c.body), 403, "forbidden");
      await expectProblem(await send(route, visitorToken, c.body), 403, "forbidden");
    },
  );
});

describe("validation, on every route that takes input", () => {
  const validated = Object.entries(cases).filter(([, c]) => c.invalid !== undefined);

  it.each(validated)("%s answers 422 to invalid input and to an unknown field", async (route, c) => {
    const id = route.includes("/operators/") ? `${home.id}_ann` : "some-id";
    if (typeof c.invalid === "string") {
      const bad = await expectProblem(
        await send(route, home.apiKey, undefined, id, c.invalid),
        422,
        "validation_failed",
      );
      expect(bad.errors?.length).toBeGreaterThan(0);
      const unknown = await expectProblem(
        await send(route, home.apiKey, undefined, id, "?sneaky=1"),
        422,
        "validation_failed",
      );
      expect(unknown.errors?.join(" ")).toContain("sneaky");
    } else {
      const bad = await expectProblem(await send(route, home.apiKey, c.invalid, id), 422, "validation_failed");
      expect(bad.errors?.length).toBeGreaterThan(0);
      const unknown = await expectProblem(
        await send(route, home.apiKey, { ...c.body, sneaky: true }, id),
        422,
        "validation_failed",
      );
      expect(unknown.errors?.join(" ")).toContain("sneaky");
      // Refused, and recorded all the same: someone tried.
      expect(await newestAuditEntry(route), route).toMatchObject({
        action: route,
        status: 422,
        targetId: route.includes(":id") ? id : null,
      });
    }
  });

  it("answers a body that is not JSON with 400 bad_json, and an oversized one with 413", async () => {
    await expectProblem(
      await admin("/departments", home.apiKey, {
        method: "POST",
        body: "{oops",
        headers: { "Content-Type": "application/json" },
      }),
      400,
      "bad_json",
    );
    const huge = JSON.stringify({ name: "x".repeat(70 * 1024) });
    await expectProblem(
      await admin("/departments", home.apiKey, {
        method: "POST",
        body: huge,
        headers: { "Content-Type": "application/json" },
      }),
      413,
      "too_large",
    );
  });
});

describe("isolation between accounts", () => {
  /** Everything of the home account the admin API shows (lastUsedAt moves as keys are used). */
  async function homeState() {
    const read = async (path: string) => expectJson<unknown>(await admin(path, home.apiKey), 200);
    const keys = (await read("/api-keys")) as { items: { lastUsedAt: unknown }[] };
    return {
      account: await read("/account"),
      settings: await read("/settings"),
      departments: await read("/departments"),
      operators: await read("/operators"),
      canned: await read("/canned-responses"),
      keys: keys.items.map((key) => ({ ...key, lastUsedAt: null })),
      chats: await read("/chats"),
      chat: await read(`/chats/${chatId}`),
      tags: await read("/tags"),
      webhooks: await read("/webhooks"),
      deliveries: await read(`/webhooks/${webhookId}/deliveries`),
    };
  }

  it("answers 404 to another account's key on every route with an id, and changes nothing", async () => {
    const ids: Record<string, string> = {
      departments: home.salesId,
      operators: `${home.id}_ann`,
      "canned-responses": `${home.id}_cr_hello`,
      "api-keys": `${home.id}_key`,
      chats: chatId,
      tags: tagId,
      webhooks: webhookId,
    };
    const withId = Object.entries(cases).filter(([route]) => route.includes(":id"));
    expect(withId.length).toBeGreaterThan(0);
    const before = await homeState();
    for (const [route, c] of withId) {
      const resource = route.split("/")[1]!;
      expect(ids[resource], route).toBeDefined();
      await expectProblem(await send(route, other.apiKey, c.body, ids[resource]), 404, "not_found");
    }
    // Ids of this account inside bodies are not found either.
    await expectProblem(
      await admin("/operators", other.apiKey, {
        method: "POST",
        json: { email: "x@other.test", name: "X", departmentIds: [home.salesId] },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin("/canned-responses", other.apiKey, {
        method: "POST",
        json: { level: "department", ownerId: home.salesId, title: "T", text: "x" },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin("/canned-responses", other.apiKey, {
        method: "POST",
        json: { level: "operator", ownerId: `${home.id}_ann`, title: "T", text: "x" },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin("/canned-responses/order", other.apiKey, {
        method: "PUT",
        json: { level: "department", ownerId: home.salesId, ids: [`${home.id}_cr_dept`] },
      }),
      404,
      "not_found",
    );
    expect(await homeState()).toEqual(before);
  });

  it("lists only the caller's own account", async () => {
    for (const path of [
      "/departments",
      "/operators",
      "/canned-responses",
      "/api-keys",
      "/chats",
      "/tags",
      "/webhooks",
    ]) {
      const page = await expectJson<{ items: { id: string }[] }>(await admin(path, other.apiKey), 200);
      expect(page.items.length, path).toBeGreaterThan(path === "/chats" ? -1 : 0);
      expect(
        page.items.filter(
          (item) => item.id.startsWith(home.id) || item.id === chatId || item.id === tagId || item.id === webhookId,
        ),
        path,
      ).toEqual([]);
    }
    const filtered = await expectJson<{ items: unknown[] }>(
      await admin(`/chats?departmentId=${home.salesId}`, other.apiKey),
      200,
    );
    expect(filtered.items).toEqual([]);
    const canned = await expectJson<{ items: unknown[] }>(
      await admin(`/canned-responses?ownerId=${home.salesId}`, other.apiKey),
      200,
    );
    expect(canned.items).toEqual([]);
    expect(await expectJson(await admin("/account", other.apiKey), 200)).toEqual({
      id: other.id,
      name: "Company other",
    });
  });
});

describe("the audit log, on every route that changes something", () => {
  it("records each call with its route as the action, its target, its status and what was sent", async () => {
    // Deletes go last, so every other route acts on something that is still there; what a create
    // makes is what the routes after it work on.
    const mutating = Object.entries(cases)
      .filter(([route]) => !route.startsWith("GET "))
      .sort(([a], [b]) => Number(a.startsWith("DELETE ")) - Number(b.startsWith("DELETE ")));
    expect(mutating.length).toBeGreaterThan(0);
    const made: Record<string, string> = {
      departments: home.salesId,
      operators: `${home.id}_bob`,
      tags: tagId,
      webhooks: webhookId,
    };
    const refused: string[] = [];
    for (const [route, c] of mutating) {
      const resource = route.split("/")[1]!;
      const target = route.includes(":id") ? made[resource] : undefined;
      expect(target ?? !route.includes(":id"), `${route}: nothing to act on`).toBeTruthy();
      const res = await send(route, home.apiKey, c.body, target);
      const answer = res.headers.get("Content-Type")?.includes("json") ? await res.json() : null;
      if (res.status >= 300) refused.push(route);
      let created: string | null = null;
      if (res.status === 201) {
        const holder = answer as Record<string, { id?: string } | string>;
        created =
          typeof holder.id === "string"
            ? holder.id
            : (Object.values(holder).find((v) => typeof v === "object") as { id: string }).id;
        made[resource] = created;
      }
      expect(await newestAuditEntry(route), route).toMatchObject({
        action: route,
        actorKind: "apiKey",
        actorId: `${home.id}_key`,
        status: res.status,
        targetId: target ?? created,
        changes: c.body === undefined ? null : expect.any(Object),
      });
    }
    // The only calls refused: a reorder that does not list the group, and a delivery that is not there.
    expect(refused).toEqual(["PUT /canned-responses/order", "POST /webhooks/:id/deliveries/:deliveryId/resend"]);
  });
});
