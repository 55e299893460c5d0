// The audit log: every admin API request that changes or tries to change something leaves one row
// (who, from where, which route, on what, the answer's status, what was asked with secrets left
// out), reads leave none, each account sees its own rows only, and nobody can edit or delete a
// row younger than a year, while the prune removes older ones.
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "../src/shared/admin-api.ts";
import type { AuditEntry } from "../src/shared/audit.ts";
import { pruneAuditLog } from "../src/worker/routes/admin/audit.ts";
import { ADMIN, admin, call, expectJson, login, seedAccount, type SeededAccount } from "./helpers.ts";

let home: SeededAccount;
let other: SeededAccount;
let ownerToken: string;

beforeAll(async () => {
  [home, other] = await Promise.all([seedAccount("audit"), seedAccount("audit-other")]);
  ownerToken = (await login(home.emails.owner)).token;
});

/** The account's log as the API lists it, newest first (the first page). */
async function logOf(token: string, query = ""): Promise<Page<AuditEntry>> {
  return expectJson<Page<AuditEntry>>(await admin(`/audit-log${query}`, token), 200);
}

/** Sends an admin request from this address. */
function from(address: string, path: string, token: string, init: RequestInit & { json?: unknown } = {}) {
  return admin(path, token, { ...init, headers: { "CF-Connecting-IP": address } });
}

async function rowCount(accountId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE account_id = ?")
    .bind(accountId)
    .first<{ n: number }>();
  return row!.n;
}

describe("recording", () => {
  it("records an operator's change with who, from where, the route, the status and what was asked", async () => {
    const res = await from("203.0.113.7", "/settings", ownerToken, {
      method: "PATCH",
      json: { greeting: "Welcome <b>back</b>" },
    });
    expect(res.status).toBe(200);
    const [entry] = (await logOf(home.apiKey)).items;
    expect(entry).toEqual({
      id: expect.any(Number),
      at: expect.any(Number),
      actorKind: "operator",
      actorId: `${home.id}_owner`,
      actorName: "Owner audit",
      address: "203.0.113.7",
      action: "PATCH /settings",
      targetId: null,
      status: 200,
      changes: { greeting: "Welcome <b>back</b>" },
    });
    expect(Math.abs(entry!.at - Date.now())).toBeLessThan(60_000);
  });

  it("records an API key's create with the key's name and the id the answer gave", async () => {
    const created = await expectJson<{ id: string }>(
      await from("2001:db8::1", "/departments", home.apiKey, { method: "POST", json: { name: "Billing" } }),
      201,
    );
    const [entry] = (await logOf(home.apiKey)).items;
    expect(entry).toMatchObject({
      actorKind: "apiKey",
      actorId: `${home.id}_key`,
      actorName: "test key",
      address: "2001:db8::1",
      action: "POST /departments",
      targetId: created.id,
      status: 201,
      changes: { name: "Billing" },
    });
  });

  it("records the route's :id as the target, and a create answered one level down", async () => {
    await expectJson(
      await admin(`/departments/${home.salesId}`, home.apiKey, { method: "PATCH", json: { name: "Sales EU" } }),
      200,
    );
    expect((await logOf(home.apiKey)).items[0]).toMatchObject({
      action: "PATCH /departments/:id",
      targetId: home.salesId,
      status: 200,
    });
    const { apiKey } = await expectJson<{ apiKey: { id: string } }>(
      await admin("/api-keys", ownerToken, { method: "POST", json: { name: "CI" } }),
      201,
    );
    expect((await logOf(home.apiKey)).items[0]).toMatchObject({
      action: "POST /api-keys",
      targetId: apiKey.id,
      changes: { name: "CI" },
    });
  });

  it("never keeps a password or secret, and cuts long texts and lists", async () => {
    const password = "a very secret password 123";
    const reset = await admin(`/operators/${home.id}_ann/password`, ownerToken, {
      method: "POST",
      json: { password },
    });
    expect(reset.status).toBe(204);
    expect((await logOf(home.apiKey)).items[0]).toMatchObject({
      action: "POST /operators/:id/password",
      targetId: `${home.id}_ann`,
      status: 204,
      changes: { password: "[redacted]" },
    });
    // Refused for its unknown fields, and recorded all the same: without the secrets.
    const refused = await admin("/webhooks", home.apiKey, {
      method: "POST",
      json: { url: "https://hooks.example.com/x", secret: "whsec_hunter2", nested: { apiToken: "tok_hunter2" } },
    });
    expect(refused.status).toBe(422);
    expect((await logOf(home.apiKey)).items[0]).toMatchObject({
      action: "POST /webhooks",
      status: 422,
      changes: { url: "https://hooks.example.com/x", secret: "[redacted]", nested: { apiToken: "[redacted]" } },
    });
    const leaked = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE changes LIKE '%hunter2%' OR changes LIKE ?",
    )
      .bind(`%${password}%`)
      .first<{ n: number }>();
    expect(leaked!.n).toBe(0);

    await expectJson(
      await admin("/canned-responses", home.apiKey, {
        method: "POST",
        json: { level: "company", title: "Long", text: "y".repeat(3000) },
      }),
      201,
    );
    const long = (await logOf(home.apiKey)).items[0]!;
    expect((long.changes as { text: string }).text).toBe(`${"y".repeat(200)}…`);
    const ids = Array.from({ length: 500 }, (_, i) => `cr_${String(i).padStart(60, "0")}`);
    await admin("/canned-responses/order", home.apiKey, { method: "PUT", json: { level: "company", ids } });
    const reorder = await env.DB.prepare(
      "SELECT changes FROM audit_log WHERE account_id = ? AND action = 'PUT /canned-responses/order'",
    )
      .bind(home.id)
      .first<{ changes: string }>();
    expect(reorder!.changes.length).toBeLessThanOrEqual(4000);
    expect(JSON.parse(reorder!.changes)).toMatchObject({
      level: "company",
      ids: expect.arrayContaining(["… 480 more"]),
    });
  });

  it("records a refused change (422, 404) with its status and changes nothing else", async () => {
    const bad = await admin(`/departments/${home.salesId}`, home.apiKey, { method: "PATCH", json: { name: "" } });
    expect(bad.status).toBe(422);
    expect((await logOf(home.apiKey)).items[0]).toMatchObject({
      action: "PATCH /departments/:id",
      targetId: home.salesId,
      status: 422,
      changes: { name: "" },
    });
    expect((await admin("/tags/tag_nope", home.apiKey, { method: "DELETE" })).status).toBe(404);
    expect((await logOf(home.apiKey)).items[0]).toMatchObject({
      action: "DELETE /tags/:id",
      targetId: "tag_nope",
      status: 404,
      changes: null,
    });
  });

  it("records no reads, no sign-ins and no requests it refused to authenticate", async () => {
    const before = await rowCount(home.id);
    for (const path of ["/settings", "/departments", "/operators", "/audit-log", "/api-keys", "/webhooks"])
      expect((await admin(path, home.apiKey)).status, path).toBe(200);
    await login(home.emails.owner);
    expect((await admin("/settings", undefined, { method: "PATCH", json: { greeting: "x" } })).status).toBe(401);
    const annToken = (await login(home.emails.ann, "a very secret password 123")).token;
    expect((await admin("/settings", annToken, { method: "PATCH", json: { greeting: "x" } })).status).toBe(403);
    expect(await rowCount(home.id)).toBe(before);
  });
});

describe("reading", () => {
  it("lists newest first with a cursor, and filters by actor, action and time", async () => {
    const first = await logOf(home.apiKey, "?limit=2");
    expect(first.items).toHaveLength(2);
    expect(first.items[0]!.id).toBeGreaterThan(first.items[1]!.id);
    const second = await logOf(home.apiKey, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.items[0]!.id).toBeLessThan(first.items[1]!.id);

    const byOwner = await logOf(home.apiKey, `?actorId=${home.id}_owner`);
    expect(byOwner.items.length).toBeGreaterThan(0);
    expect(byOwner.items.every((e) => e.actorId === `${home.id}_owner`)).toBe(true);

    const exact = await logOf(home.apiKey, `?action=${encodeURIComponent("PATCH /departments/:id")}`);
    expect(exact.items.map((e) => e.status)).toEqual([422, 200]);
    const prefix = await logOf(home.apiKey, `?action=${encodeURIComponent("POST *")}`);
    expect(new Set(prefix.items.map((e) => e.action))).toEqual(
      new Set([
        "POST /departments",
        "POST /api-keys",
        "POST /operators/:id/password",
        "POST /webhooks",
        "POST /canned-responses",
      ]),
    );

    const all = await logOf(home.apiKey, "?limit=100");
    const newest = all.items[0]!;
    expect((await logOf(home.apiKey, `?from=${newest.at + 1}`)).items).toEqual([]);
    expect((await logOf(home.apiKey, `?from=${newest.at}&to=${newest.at + 1}`)).items.map((e) => e.id)).toContain(
      newest.id,
    );
    expect((await admin("/audit-log?cursor=abc", home.apiKey)).status).toBe(422);
  });

  it("shows each account its own rows only", async () => {
    await admin("/tags", other.apiKey, { method: "POST", json: { name: "Mine" } });
    const theirs = await logOf(other.apiKey, "?limit=100");
    expect(theirs.items.map((e) => e.action)).toEqual(["POST /tags"]);
    expect((await logOf(other.apiKey, `?actorId=${home.id}_owner`)).items).toEqual([]);
    const ours = await logOf(home.apiKey, "?limit=100");
    expect(ours.items.some((e) => e.actorId === `${other.id}_key`)).toBe(false);
  });
});

describe("keeping", () => {
  it("refuses every update and every delete of a row younger than a year", async () => {
    const before = await logOf(home.apiKey, "?limit=100");
    await expect(
      env.DB.prepare("UPDATE audit_log SET status = 200, changes = NULL WHERE account_id = ?").bind(home.id).run(),
    ).rejects.toThrow(/not editable/);
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE account_id = ?").bind(home.id).run()).rejects.toThrow(
      /kept for a year/,
    );
    await pruneAuditLog(env.DB, Date.now());
    expect(await logOf(home.apiKey, "?limit=100")).toEqual(before);
  });

  it("lets the prune delete rows older than a year, and only those", async () => {
    const old = Date.now() - 366 * 86_400_000;
    await env.DB.prepare(
      "INSERT INTO audit_log (account_id, at, actor_kind, actor_id, action, status) VALUES (?, ?, 'apiKey', 'key_old', 'POST /tags', 201)",
    )
      .bind(home.id, old)
      .run();
    const before = await rowCount(home.id);
    await pruneAuditLog(env.DB, Date.now());
    expect(await rowCount(home.id)).toBe(before - 1);
    expect((await logOf(home.apiKey, "?actorId=key_old")).items).toEqual([]);
  });

  it("offers no route that edits or deletes entries", async () => {
    for (const method of ["PATCH", "PUT", "DELETE", "POST"])
      expect((await call(`${ADMIN}/audit-log`, { method, token: home.apiKey })).status, method).toBe(404);
  });
});
