// The per-account file storage quota (docs/storage.md), in the Workers runtime with the real R2
// and D1: uploads count, an upload that would pass the quota is refused (507) before its body is
// read and leaves nothing, freed space can be used again, two uploads racing for the last room do
// not both get in, and the console, the widget and the admin API learn what is left.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { FileUploadResponse } from "../src/shared/protocol.ts";
import type { StorageUsage } from "../src/shared/storage-api.ts";
import type { WidgetConfig } from "../src/shared/widget-api.ts";
import type { Settings } from "../src/shared/admin-api.ts";
import { database } from "../src/server/db/index.ts";
import { storageUsage } from "../src/server/db/sql-tables.ts";
import { releaseStorage } from "../src/server/storage-usage.ts";
import { admin, call, expectJson, expectProblem, login, seedAccount, startChat } from "./helpers.ts";

const MB = 1024 * 1024;
const FILE_BYTES = 400 * 1024;

/** A body that streams `chunks`; `pulls` counts the chunks read. `beforeChunk` may hold a chunk back. */
function streamOf(chunks: Uint8Array[], beforeChunk?: (index: number) => Promise<void>) {
  const state = { pulls: 0 };
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      state.pulls++;
      await beforeChunk?.(i);
      if (i < chunks.length) return controller.enqueue(chunks[i++]!);
      controller.close();
    },
  });
  return { body, state };
}

/** A text file of `bytes` bytes, as 16 KB chunks. */
const textChunks = (bytes: number) =>
  Array.from({ length: bytes / (16 * 1024) }, () => new Uint8Array(16 * 1024).fill(0x61));

function upload(chatId: string, token: string, bytes: number, body?: ReadableStream<Uint8Array>) {
  const query = new URLSearchParams({ name: "notes.txt", cid: crypto.randomUUID() });
  return call(`/api/chats/${chatId}/files?${query}`, {
    method: "POST",
    token,
    body: body ?? streamOf(textChunks(bytes)).body,
    headers: { "Content-Length": String(bytes) },
  });
}

async function accountWithQuota(tag: string, storageQuotaBytes?: number) {
  const account = await seedAccount(tag);
  if (storageQuotaBytes)
    await expectJson(await admin("/settings", account.apiKey, { method: "PATCH", json: { storageQuotaBytes } }), 200);
  const chat = await startChat(account.id);
  return { account, chat };
}

const usage = async (apiKey: string) => expectJson<StorageUsage>(await admin("/storage", apiKey), 200);
const storedBytes = async (accountId: string) =>
  (await env.FILES.list({ prefix: `${accountId}/` })).objects.reduce((sum, o) => sum + o.size, 0);
const usageRow = (accountId: string) =>
  database(env.DB).select().from(storageUsage).where(eq(storageUsage.accountId, accountId)).get();

describe("counting", () => {
  it("adds each stored file to the account's usage, which admins and operators read", async () => {
    const { account, chat } = await accountWithQuota("quota-count");
    expect(await usage(account.apiKey)).toEqual({ usedBytes: 0, quotaBytes: 5 * 1024 ** 3 });
    await expectJson<FileUploadResponse>(await upload(chat.chatId, chat.token, FILE_BYTES), 201);
    const ann = (await login(account.emails.ann)).token;
    // A refused upload (Ann is not in this chat) counts nothing.
    await expectProblem(await upload(chat.chatId, ann, 32 * 1024), 403, "forbidden");
    await expectJson<FileUploadResponse>(await upload(chat.chatId, chat.token, 32 * 1024), 201);
    const expected = { usedBytes: FILE_BYTES + 32 * 1024, quotaBytes: 5 * 1024 ** 3 };
    expect(await usage(account.apiKey)).toEqual(expected);
    expect(await storedBytes(account.id)).toBe(expected.usedBytes);
    // Any operator of the account reads the same through the console's route; a visitor may not.
    expect(await expectJson<StorageUsage>(await call("/api/operator/storage", { token: ann }), 200)).toEqual(expected);
    await expectProblem(await call("/api/operator/storage", { token: chat.token }), 403, "forbidden");
    await expectProblem(await call("/api/operator/storage"), 401, "token_missing");
    // Another account's operator sees their own account only.
    const other = await seedAccount("quota-count-other");
    const otherAnn = (await login(other.emails.ann)).token;
    expect(await expectJson<StorageUsage>(await call("/api/operator/storage", { token: otherAnn }), 200)).toEqual({
      usedBytes: 0,
      quotaBytes: 5 * 1024 ** 3,
    });
  });

  it("computes an account's usage once from R2 when it has files from before counting", async () => {
    const account = await seedAccount("quota-before");
    await env.FILES.put(`${account.id}/c_old1/f_1`, new Uint8Array(3000));
    await env.FILES.put(`${account.id}/c_old2/f_2`, new Uint8Array(5000));
    // Another account's files, whose ids start the same, are not counted.
    await env.FILES.put(`${account.id}x/c_old/f_3`, new Uint8Array(7000));
    expect(await usageRow(account.id)).toBeUndefined();
    expect((await usage(account.apiKey)).usedBytes).toBe(8000);
    expect(await usageRow(account.id)).toEqual({ accountId: account.id, bytes: 8000 });
    // From now on the row counts, without listing R2 again.
    const chat = await startChat(account.id);
    await expectJson(await upload(chat.chatId, chat.token, 16 * 1024), 201);
    expect((await usage(account.apiKey)).usedBytes).toBe(8000 + 16 * 1024);
  });
});

describe("refusing", () => {
  it("refuses with 507 before reading the body an upload that would pass the quota, and stores nothing", async () => {
    const { account, chat } = await accountWithQuota("quota-full", MB);
    await expectJson(await upload(chat.chatId, chat.token, FILE_BYTES), 201);
    await expectJson(await upload(chat.chatId, chat.token, FILE_BYTES), 201);

    const { body, state } = streamOf(textChunks(FILE_BYTES));
    const res = await upload(chat.chatId, chat.token, FILE_BYTES, body);
    const problem = await expectProblem(res, 507, "storage_quota_exceeded");
    expect(problem.title).toBe("Insufficient Storage");
    expect(problem.detail).toBe(
      "The account's file storage is too full for this file (400 KB): 0.2 MB left of the 1 MB quota. An admin can raise the quota in Settings.",
    );
    // Refused from its Content-Length: at most what the runtime buffers was read, not 25 chunks.
    expect(state.pulls).toBeLessThan(8);
    expect(await storedBytes(account.id)).toBe(2 * FILE_BYTES);
    expect((await usage(account.apiKey)).usedBytes).toBe(2 * FILE_BYTES);

    // A file that still fits is taken; exactly to the quota is fine.
    await expectJson(await upload(chat.chatId, chat.token, MB - 2 * FILE_BYTES), 201);
    expect(await usage(account.apiKey)).toEqual({ usedBytes: MB, quotaBytes: MB });
    await expectProblem(await upload(chat.chatId, chat.token, 16 * 1024), 507, "storage_quota_exceeded");
  });

  it("keeps 413 for a file over the per-file limit, whatever the room", async () => {
    const { account, chat } = await accountWithQuota("quota-413", MB);
    await admin("/settings", account.apiKey, { method: "PATCH", json: { fileSizeLimitBytes: 64 * 1024 } });
    await expectProblem(await upload(chat.chatId, chat.token, 2 * MB), 413, "too_large");
  });

  it("has room again once deleted files are released", async () => {
    const { account, chat } = await accountWithQuota("quota-release", MB);
    const first = await expectJson<FileUploadResponse>(await upload(chat.chatId, chat.token, FILE_BYTES), 201);
    await expectJson(await upload(chat.chatId, chat.token, FILE_BYTES), 201);
    await expectProblem(await upload(chat.chatId, chat.token, FILE_BYTES), 507, "storage_quota_exceeded");

    // What retention and erasure do: delete the bytes, then release them.
    await env.FILES.delete(`${account.id}/${chat.chatId}/${first.message.file!.id}`);
    await releaseStorage(env.DB, account.id, FILE_BYTES);
    expect((await usage(account.apiKey)).usedBytes).toBe(FILE_BYTES);
    await expectJson(await upload(chat.chatId, chat.token, FILE_BYTES), 201);
    expect((await usage(account.apiKey)).usedBytes).toBe(2 * FILE_BYTES);

    // Never below zero, and an account without a row gets none from a release.
    await releaseStorage(env.DB, account.id, 10 * MB);
    expect((await usageRow(account.id))?.bytes).toBe(0);
    await releaseStorage(env.DB, "acc_nobody", FILE_BYTES);
    expect(await usageRow("acc_nobody")).toBeUndefined();
  });

  it("lets only one of two concurrent uploads take the last room, and deletes the other's bytes", async () => {
    const { account, chat } = await accountWithQuota("quota-race", MB);
    await expectJson(await upload(chat.chatId, chat.token, FILE_BYTES), 201);
    // Each body holds its first chunk until both uploads have started reading, so both have
    // passed the check made before the body: only the final accounting can tell them apart.
    let started = 0;
    let release!: () => void;
    const bothStarted = new Promise<void>((resolve) => (release = resolve));
    const held = () =>
      streamOf(textChunks(FILE_BYTES), async (index) => {
        if (index !== 0) return;
        if (++started === 2) release();
        await bothStarted;
      }).body;
    const answers = await Promise.all([
      upload(chat.chatId, chat.token, FILE_BYTES, held()),
      upload(chat.chatId, chat.token, FILE_BYTES, held()),
    ]);
    expect(started).toBe(2);
    expect(answers.map((res) => res.status).sort()).toEqual([201, 507]);
    const refused = answers.find((res) => res.status === 507)!;
    await expectProblem(refused, 507, "storage_quota_exceeded");
    expect(await storedBytes(account.id)).toBe(2 * FILE_BYTES);
    expect((await usage(account.apiKey)).usedBytes).toBe(2 * FILE_BYTES);
  });
});

describe("what the widget learns", () => {
  it("tells the bytes left only when they are fewer than the per-file limit", async () => {
    const roomy = await seedAccount("quota-widget-roomy");
    const roomyConfig = await expectJson<WidgetConfig>(await call(`/api/widget/config?account=${roomy.id}`), 200);
    expect(roomyConfig.storageLeftBytes).toBeUndefined();

    const { account, chat } = await accountWithQuota("quota-widget", MB);
    await expectJson(await upload(chat.chatId, chat.token, FILE_BYTES), 201);
    const config = await expectJson<WidgetConfig>(await call(`/api/widget/config?account=${account.id}`), 200);
    expect(config.storageLeftBytes).toBe(MB - FILE_BYTES);
  });
});

describe("the settings", () => {
  it("takes a quota of 1 MB to 10 TB and a retention of 30 to 3650 days or null, and nothing else", async () => {
    const account = await seedAccount("quota-settings");
    const patch = (json: unknown) => admin("/settings", account.apiKey, { method: "PATCH", json });
    const defaults = await expectJson<Settings>(await admin("/settings", account.apiKey), 200);
    expect(defaults).toMatchObject({ storageQuotaBytes: 5 * 1024 ** 3, retentionDays: null });
    // Saving the defaults as they are is fine.
    await expectJson(await patch({ storageQuotaBytes: 5 * 1024 ** 3, retentionDays: null }), 200);

    for (const bad of [MB - 1, 10 * 1024 ** 4 + 1, MB + 0.5, "5GB", null]) {
      await expectProblem(await patch({ storageQuotaBytes: bad }), 422, "validation_failed");
    }
    for (const bad of [29, 3651, 45.5, "30", 0]) {
      await expectProblem(await patch({ retentionDays: bad }), 422, "validation_failed");
    }
    // Nothing changed by the refusals.
    expect(await expectJson<Settings>(await admin("/settings", account.apiKey), 200)).toEqual(defaults);

    for (const [storageQuotaBytes, retentionDays] of [
      [MB, 30],
      [10 * 1024 ** 4, 3650],
      [2 * 1024 ** 3, null],
    ] as const) {
      const saved = await expectJson<Settings>(await patch({ storageQuotaBytes, retentionDays }), 200);
      expect(saved).toMatchObject({ storageQuotaBytes, retentionDays });
    }
    expect((await usage(account.apiKey)).quotaBytes).toBe(2 * 1024 ** 3);
  });
});
