// Tags: the account's list through the admin API (names unique whatever their case, at most 100),
// the operators' read of it, and a chat's tags: set by any operator of the account over HTTP, kept
// by the chat's room, mirrored into D1's chat_tags, told to the operators' sockets and never to the
// visitor's, and gone from chats when the tag is deleted.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Page } from "../src/shared/admin-api.ts";
import type { ChatTagsResponse, Tag, TagsResponse } from "../src/shared/tags.ts";
import { database } from "../src/server/db/index.ts";
import { chatTags } from "../src/server/db/sql-tables.ts";
import {
  admin,
  call,
  connectLobby,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
let other: SeededAccount;
let ann: string;
let bob: string;
let owner: string;

beforeAll(async () => {
  [acc, other] = await Promise.all([seedAccount("tags"), seedAccount("tags-other")]);
  [ann, bob, owner] = await Promise.all([
    login(acc.emails.ann).then((r) => r.token),
    login(acc.emails.bob).then((r) => r.token),
    login(acc.emails.owner).then((r) => r.token),
  ]);
});

const createTag = async (name: string, account = acc) =>
  expectJson<Tag>(await admin("/tags", account.apiKey, { method: "POST", json: { name } }), 201);
const tagChat = (chatId: string, tagIds: unknown, token = ann) =>
  call(`/api/operator/chats/${chatId}/tags`, { method: "PUT", token, json: { tagIds } });
const d1TagsOf = async (chatId: string) =>
  (await database(env.DB).select({ tagId: chatTags.tagId }).from(chatTags).where(eq(chatTags.chatId, chatId)))
    .map((row) => row.tagId)
    .sort();

describe("the account's tags (admin API)", () => {
  it("creates a tag with a tag_ id and a trimmed name, lists, renames and deletes it", async () => {
    const vip = await createTag("  VIP customer ");
    expect(vip).toEqual({
      id: expect.stringMatching(/^tag_[0-9A-Z]{26}$/),
      name: "VIP customer",
      createdAt: expect.any(Number),
    });
    const page = await expectJson<Page<Tag>>(await admin("/tags?limit=100", acc.apiKey), 200);
    expect(page.items).toContainEqual(vip);
    const renamed = await expectJson<Tag>(
      await admin(`/tags/${vip.id}`, owner, { method: "PATCH", json: { name: "VIP" } }),
      200,
    );
    expect(renamed).toEqual({ ...vip, name: "VIP" });
    const res = await admin(`/tags/${vip.id}`, acc.apiKey, { method: "DELETE" });
    expect(res.status).toBe(204);
    const after = await expectJson<Page<Tag>>(await admin("/tags?limit=100", acc.apiKey), 200);
    expect(after.items.map((t) => t.id)).not.toContain(vip.id);
    await expectProblem(await admin(`/tags/${vip.id}`, acc.apiKey, { method: "DELETE" }), 404, "not_found");
    await expectProblem(
      await admin(`/tags/${vip.id}`, acc.apiKey, { method: "PATCH", json: { name: "X" } }),
      404,
      "not_found",
    );
  });

  it("refuses an empty, too long or multi-line name, naming the field, and saves nothing", async () => {
    const before = await expectJson<Page<Tag>>(await admin("/tags?limit=100", acc.apiKey), 200);
    for (const [name, message] of [
      ["   ", "The tag name cannot be empty."],
      ["x".repeat(41), "A tag name can be at most 40 characters long."],
      ["two\nlines", "The tag name must be one line, without line breaks, tabs or other control characters."],
      [7, "The tag name must be text."],
    ] as const) {
      const problem = await expectProblem(
        await admin("/tags", acc.apiKey, { method: "POST", json: { name } }),
        422,
        "validation_failed",
      );
      expect(problem.fields).toEqual([{ path: "name", message }]);
    }
    // 40 characters is fine.
    const longest = await createTag("y".repeat(40));
    expect(longest.name).toHaveLength(40);
    const after = await expectJson<Page<Tag>>(await admin("/tags?limit=100", acc.apiKey), 200);
    expect(after.items).toEqual([...before.items, longest]);
  });

  it("refuses a name the account has already, in any case, with 409 naming the field", async () => {
    const billing = await createTag("Billing");
    const problem = await expectProblem(
      await admin("/tags", acc.apiKey, { method: "POST", json: { name: "BILLING" } }),
      409,
      "conflict",
    );
    expect(problem.fields).toEqual([
      { path: "name", message: "The account already has the tag “Billing” (capitals do not count)." },
    ]);
    const refund = await createTag("Refund");
    await expectProblem(
      await admin(`/tags/${refund.id}`, acc.apiKey, { method: "PATCH", json: { name: "billing" } }),
      409,
      "conflict",
    );
    // A tag may change its own capitals; another account may have the same name.
    expect(
      (
        await expectJson<Tag>(
          await admin(`/tags/${billing.id}`, acc.apiKey, { method: "PATCH", json: { name: "BILLING" } }),
          200,
        )
      ).name,
    ).toBe("BILLING");
    await createTag("billing", other);
  });

  it("lets an account have at most 100 tags", async () => {
    const full = await seedAccount("tags-full");
    // 99 at once (one statement: D1 binds at most 100 values to one).
    await env.DB.prepare(
      "INSERT INTO tags (id, account_id, name) SELECT 'tag_full_' || value, ?, 'Tag ' || value FROM json_each(?)",
    )
      .bind(full.id, JSON.stringify(Array.from({ length: 99 }, (_, i) => i)))
      .run();
    await createTag("The hundredth", full);
    const problem = await expectProblem(
      await admin("/tags", full.apiKey, { method: "POST", json: { name: "One too many" } }),
      409,
      "conflict",
    );
    expect(problem.detail).toBe("The account has 100 tags, the most it may; delete one first.");
    const all = await expectJson<Page<Tag>>(await admin("/tags?limit=100", full.apiKey), 200);
    expect(all.items).toHaveLength(100);
  });

  it("is for admins: an operator's token is refused on every admin tag route", async () => {
    const tag = await createTag("Admins only");
    await expectProblem(await admin("/tags", ann), 403, "forbidden");
    await expectProblem(await admin("/tags", ann, { method: "POST", json: { name: "Mine" } }), 403, "forbidden");
    await expectProblem(
      await admin(`/tags/${tag.id}`, ann, { method: "PATCH", json: { name: "Mine" } }),
      403,
      "forbidden",
    );
    await expectProblem(await admin(`/tags/${tag.id}`, ann, { method: "DELETE" }), 403, "forbidden");
    expect((await expectJson<Page<Tag>>(await admin("/tags?limit=100", acc.apiKey), 200)).items).toContainEqual(tag);
  });

  it("does not reach another account's tags", async () => {
    const theirs = await createTag("Theirs", other);
    await expectProblem(
      await admin(`/tags/${theirs.id}`, acc.apiKey, { method: "PATCH", json: { name: "Ours" } }),
      404,
      "not_found",
    );
    await expectProblem(await admin(`/tags/${theirs.id}`, acc.apiKey, { method: "DELETE" }), 404, "not_found");
    const ours = await expectJson<Page<Tag>>(await admin("/tags?limit=100", acc.apiKey), 200);
    expect(ours.items.map((t) => t.id)).not.toContain(theirs.id);
  });
});

describe("tag changes reach open consoles at once", () => {
  it("sends config_changed tags to the account's consoles on create, rename and delete, and to no other", async () => {
    const mine = await connectLobby(ann);
    const stranger = await connectLobby((await login(other.emails.ann)).token);
    for (const c of [mine, stranger]) c.client.drain();
    const tag = await createTag("Live one");
    expect(await mine.client.next("config_changed")).toEqual({ type: "config_changed", what: "tags" });
    await admin(`/tags/${tag.id}`, acc.apiKey, { method: "PATCH", json: { name: "Live two" } });
    expect(await mine.client.next("config_changed")).toEqual({ type: "config_changed", what: "tags" });
    await admin(`/tags/${tag.id}`, acc.apiKey, { method: "DELETE" });
    expect(await mine.client.next("config_changed")).toEqual({ type: "config_changed", what: "tags" });
    expect(stranger.client.drain().filter((f) => f.type === "config_changed")).toEqual([]);
    for (const c of [mine, stranger]) c.client.close();
  });
});

describe("the operators' tag list", () => {
  it("is the account's tags by name, for any operator of it", async () => {
    const list = await expectJson<TagsResponse>(await call("/api/operator/tags", { token: bob }), 200);
    const names = list.tags.map((t) => t.name);
    expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(names).toContain("Refund");
    expect(names).not.toContain("Theirs");
    await expectProblem(await call("/api/operator/tags", { token: acc.apiKey }), 403, "forbidden");
  });
});

describe("a chat's tags", () => {
  it("are set by an operator: kept by the room, written to D1, sent to operators' sockets and not the visitor's", async () => {
    const [urgent, sales] = await Promise.all([createTag("Urgent"), createTag("Sales lead")]);
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    const visitor = (await join(chat.chatId, chat.token)).client;
    const annSocket = await operatorJoins(chat.chatId, ann);
    const ownerSocket = await operatorJoins(chat.chatId, owner);
    visitor.drain();
    annSocket.drain();

    // Bob is in neither the chat nor its department: any operator of the account may tag it.
    const answer = await expectJson<ChatTagsResponse>(
      await tagChat(chat.chatId, [urgent.id, sales.id, urgent.id], bob),
      200,
    );
    expect(answer).toEqual({ chatId: chat.chatId, tagIds: [urgent.id, sales.id] });
    expect(await annSocket.next("tags")).toEqual({ type: "tags", tagIds: [urgent.id, sales.id] });
    expect(await ownerSocket.next("tags")).toEqual({ type: "tags", tagIds: [urgent.id, sales.id] });
    expect(await d1TagsOf(chat.chatId)).toEqual([urgent.id, sales.id].sort());

    // The visitor's socket got nothing of it: a message sent after the tags reaches it first.
    annSocket.send({ type: "message", cid: "after-tags", text: "Still here" });
    expect((await visitor.next("msg")).message.text).toBe("Still here");
    expect(visitor.drain().filter((f) => f.type === "tags")).toEqual([]);

    // The same list again is answered the same and changes nothing; a shorter one replaces it.
    expect(await expectJson(await tagChat(chat.chatId, [urgent.id, sales.id]), 200)).toEqual(answer);
    expect(await d1TagsOf(chat.chatId)).toEqual([urgent.id, sales.id].sort());
    await expectJson(await tagChat(chat.chatId, [sales.id]), 200);
    expect(await d1TagsOf(chat.chatId)).toEqual([sales.id]);
    expect((await annSocket.next("tags")).tagIds).toEqual([urgent.id, sales.id]);
    expect((await annSocket.next("tags")).tagIds).toEqual([sales.id]);
  });

  it("come in the welcome for operators, not for the visitor", async () => {
    const tag = await createTag("Welcome check");
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    await expectJson(await tagChat(chat.chatId, [tag.id]), 200);
    const operator = await join(chat.chatId, ann);
    expect(operator.welcome.tagIds).toEqual([tag.id]);
    const visitor = await join(chat.chatId, chat.token);
    expect(visitor.welcome).not.toHaveProperty("tagIds");
    expect(JSON.stringify(visitor.welcome)).not.toContain(tag.id);
  });

  it("can be set on an ended chat, and emptied", async () => {
    const tag = await createTag("After the end");
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    const operator = await operatorJoins(chat.chatId, ann);
    operator.send({ type: "close" });
    await operator.next("msg");
    expect(await expectJson(await tagChat(chat.chatId, [tag.id]), 200)).toEqual({
      chatId: chat.chatId,
      tagIds: [tag.id],
    });
    expect(await d1TagsOf(chat.chatId)).toEqual([tag.id]);
    expect(await expectJson(await tagChat(chat.chatId, []), 200)).toEqual({ chatId: chat.chatId, tagIds: [] });
    expect(await d1TagsOf(chat.chatId)).toEqual([]);
  });

  it("refuse another account's tag, an unknown one and too many, changing nothing", async () => {
    const ours = await createTag("Ours to give");
    const theirs = await createTag("Not yours", other);
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    await expectJson(await tagChat(chat.chatId, [ours.id]), 200);

    const foreign = await expectProblem(await tagChat(chat.chatId, [ours.id, theirs.id]), 422, "validation_failed");
    expect(foreign.fields).toEqual([{ path: "tagIds", message: expect.stringContaining(theirs.id) }]);
    await expectProblem(await tagChat(chat.chatId, ["tag_nope"]), 422, "validation_failed");
    const many = Array.from({ length: 21 }, (_, i) => `tag_${i}`);
    const tooMany = await expectProblem(await tagChat(chat.chatId, many), 422, "validation_failed");
    expect(tooMany.detail).toBe("A chat can have at most 20 tags.");
    await expectProblem(await tagChat(chat.chatId, "tag_x"), 422, "validation_failed");
    expect(await d1TagsOf(chat.chatId)).toEqual([ours.id]);
    expect((await join(chat.chatId, ann)).welcome.tagIds).toEqual([ours.id]);
  });

  it("are for operators of the chat's account only", async () => {
    const tag = await createTag("Guarded");
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    const otherOperator = (await login(other.emails.ann)).token;
    await expectProblem(await tagChat(chat.chatId, [], otherOperator), 403, "forbidden");
    await expectProblem(await tagChat(chat.chatId, [tag.id], chat.token), 403, "forbidden");
    await expectProblem(await tagChat(chat.chatId, [tag.id], acc.apiKey), 403, "forbidden");
    await expectProblem(await tagChat("c_nope", [tag.id]), 404, "not_found");
    expect(await d1TagsOf(chat.chatId)).toEqual([]);
  });

  it("lose a deleted tag: D1 at once, the room when it next reads its tags, and the operators are told", async () => {
    const [doomed, kept] = await Promise.all([createTag("Doomed"), createTag("Kept")]);
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    const watching = await operatorJoins(chat.chatId, owner);
    await expectJson(await tagChat(chat.chatId, [doomed.id, kept.id]), 200);
    await watching.next("tags");

    expect((await admin(`/tags/${doomed.id}`, acc.apiKey, { method: "DELETE" })).status).toBe(204);
    expect(await d1TagsOf(chat.chatId)).toEqual([kept.id]);
    const reopened = await join(chat.chatId, ann);
    expect(reopened.welcome.tagIds).toEqual([kept.id]);
    expect(await watching.next("tags")).toEqual({ type: "tags", tagIds: [kept.id] });
    // Tagging again with the deleted one is refused.
    await expectProblem(await tagChat(chat.chatId, [doomed.id]), 422, "validation_failed");
  });
});
