// API keys (the secret shown once, revocation at once), account settings and the account itself.
import { beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_SETTINGS,
  type ApiKey,
  type ApiKeyCreated,
  type Page,
  type Settings,
} from "../src/shared/admin-api.ts";
import { admin, expectJson, expectProblem, login, seedAccount, type SeededAccount } from "./helpers.ts";

let acc: SeededAccount;

beforeAll(async () => {
  acc = await seedAccount("keys");
});

describe("API keys", () => {
  it("creates a key whose secret is shown once and works at once", async () => {
    const created = await expectJson<ApiKeyCreated>(
      await admin("/api-keys", acc.apiKey, { method: "POST", json: { name: "CI" } }),
      201,
    );
    expect(created.secret).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(created.apiKey).toEqual({
      id: expect.stringMatching(/^key_[0-9A-Z]{26}$/),
      name: "CI",
      prefix: created.secret.slice(0, 9),
      role: "owner",
      createdBy: null,
      createdAt: expect.any(Number),
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(await expectJson(await admin("/account", created.secret), 200)).toEqual({
      id: acc.id,
      name: "Company keys",
    });
  });

  it("lists keys without any secret or hash, with when each was last used", async () => {
    const page = await expectJson<Page<ApiKey>>(await admin("/api-keys", acc.apiKey), 200);
    const text = JSON.stringify(page);
    expect(text).not.toContain(acc.apiKey);
    expect(text).not.toMatch(/hash|secret/i);
    for (const key of page.items)
      expect(Object.keys(key).sort()).toEqual([
        "createdAt",
        "createdBy",
        "id",
        "lastUsedAt",
        "name",
        "prefix",
        "revokedAt",
        "role",
      ]);
    const mine = page.items.find((key) => key.id === `${acc.id}_key`)!;
    expect(mine.lastUsedAt).toBeGreaterThan(Date.now() - 60_000);
    expect(mine.prefix).toBe(acc.apiKey.slice(0, 9));
  });

  it("revokes a key at once; revoking again changes nothing; a key may revoke itself", async () => {
    const created = await expectJson<ApiKeyCreated>(
      await admin("/api-keys", acc.apiKey, { method: "POST", json: { name: "Temp" } }),
      201,
    );
    await expectJson(await admin("/account", created.secret), 200);
    expect((await admin(`/api-keys/${created.apiKey.id}`, acc.apiKey, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await admin("/account", created.secret), 401, "token_invalid");
    const listed = (await expectJson<Page<ApiKey>>(await admin("/api-keys", acc.apiKey), 200)).items.find(
      (key) => key.id === created.apiKey.id,
    )!;
    expect(listed.revokedAt).toBeGreaterThan(0);
    expect((await admin(`/api-keys/${created.apiKey.id}`, acc.apiKey, { method: "DELETE" })).status).toBe(204);
    const again = (await expectJson<Page<ApiKey>>(await admin("/api-keys", acc.apiKey), 200)).items.find(
      (key) => key.id === created.apiKey.id,
    )!;
    expect(again.revokedAt).toBe(listed.revokedAt);

    const self = await expectJson<ApiKeyCreated>(
      await admin("/api-keys", acc.apiKey, { method: "POST", json: { name: "Self" } }),
      201,
    );
    expect((await admin(`/api-keys/${self.apiKey.id}`, self.secret, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await admin("/api-keys", self.secret), 401, "token_invalid");
  });

  it("lets an owner's token manage keys, and answers 404 for unknown ones", async () => {
    const owner = (await login(acc.emails.owner)).token;
    const created = await expectJson<ApiKeyCreated>(
      await admin("/api-keys", owner, { method: "POST", json: { name: "From the panel" } }),
      201,
    );
    expect((await admin(`/api-keys/${created.apiKey.id}`, owner, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await admin("/api-keys/key_nope", acc.apiKey, { method: "DELETE" }), 404, "not_found");
  });

  it("pages through keys", async () => {
    for (const name of ["K1", "K2", "K3"]) await admin("/api-keys", acc.apiKey, { method: "POST", json: { name } });
    const first = await expectJson<Page<ApiKey>>(await admin("/api-keys?limit=2", acc.apiKey), 200);
    const second = await expectJson<Page<ApiKey>>(
      await admin(`/api-keys?limit=2&cursor=${first.nextCursor}`, acc.apiKey),
      200,
    );
    expect(first.items).toHaveLength(2);
    expect(second.items[0]!.id > first.items[1]!.id).toBe(true);
  });
});

describe("the account and its settings", () => {
  it("answers who the account is", async () => {
    expect(await expectJson(await admin("/account", acc.apiKey), 200)).toEqual({ id: acc.id, name: "Company keys" });
  });

  it("starts from the defaults, with the account's name as display name", async () => {
    expect(await expectJson(await admin("/settings", acc.apiKey), 200)).toEqual({
      displayName: "Company keys",
      ...DEFAULT_SETTINGS,
    });
  });

  it("changes only the settings sent, and keeps them", async () => {
    const change = {
      displayName: "Keys & Co",
      widgetColor: "#ff8800",
      allowedOrigins: ["https://www.example.com", "http://localhost:3000"],
      allowedFileTypes: ["image/png", "application/pdf"],
      fileSizeLimitBytes: 5_000_000,
    };
    const after = await expectJson<Settings>(
      await admin("/settings", acc.apiKey, { method: "PATCH", json: change }),
      200,
    );
    expect(after).toEqual({ ...DEFAULT_SETTINGS, ...change });
    const next = await expectJson<Settings>(
      await admin("/settings", acc.apiKey, { method: "PATCH", json: { greeting: "Hello!", allowedOrigins: [] } }),
      200,
    );
    expect(next).toEqual({ ...after, greeting: "Hello!", allowedOrigins: [] });
    expect(await expectJson(await admin("/settings", acc.apiKey), 200)).toEqual(next);
  });

  it("rejects bad values and leaves the settings as they were", async () => {
    const before = await expectJson<Settings>(await admin("/settings", acc.apiKey), 200);
    const bad = [
      { widgetColor: "red" },
      { allowedOrigins: ["https://example.com/path"] },
      { allowedOrigins: ["not a url"] },
      { fileSizeLimitBytes: 0 },
      { fileSizeLimitBytes: 1.5 },
      { allowedFileTypes: ["png"] },
      { displayName: "" },
      { operatorsManageOwnResponses: "yes" },
      { greeting: "x".repeat(501) },
    ];
    for (const json of bad)
      await expectProblem(await admin("/settings", acc.apiKey, { method: "PATCH", json }), 422, "validation_failed");
    expect(await expectJson(await admin("/settings", acc.apiKey), 200)).toEqual(before);
  });
});
