// Issue 12, privilege and secrets: each test tries an attack on the real Worker, D1 and
// ChatRoom objects and checks that it is refused with a problem document and changes nothing.
//   1. Privilege never grows through a side door (API keys, invitations, password resets, roles).
//   2. What the server marks (a message came by email) a visitor cannot forge, and no name or
//      message can forge a line of the plain-text transcript.
//   3. Secrets stay out of URLs: `?token=` only on WebSocket upgrades, and never an API key.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { chatRoomOf } from "../src/durable/chat-room.ts";
import type {
  ApiKey,
  ApiKeyCreated,
  Department,
  Operator,
  OperatorCreated,
  Page,
  Settings,
} from "../src/shared/admin-api.ts";
import type { ChatMessage, HistoryPage } from "../src/shared/protocol.ts";
import { database } from "../src/server/db/index.ts";
import { operators } from "../src/server/db/schema.ts";
import { buildTranscript } from "../src/server/email/transcript.ts";
import {
  admin,
  call,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  PASSWORD,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
const ownerId = () => `${acc.id}_owner`;
const annId = () => `${acc.id}_ann`;

beforeAll(async () => {
  acc = await seedAccount("secpriv");
});

let serial = 0;
/** A new operator of this role (made with the seed's owner key), signed in. */
async function newOperator(role: "owner" | "admin" | "operator") {
  const email = `${role}${++serial}@secpriv.test`;
  const created = await expectJson<OperatorCreated>(
    await admin("/operators", acc.apiKey, {
      method: "POST",
      json: { email, name: `${role} ${serial}`, role, password: PASSWORD },
    }),
    201,
  );
  return { id: created.operator.id, email, token: (await login(email)).token };
}

async function createKey(token: string, json: Record<string, unknown> = {}) {
  return expectJson<ApiKeyCreated>(
    await admin("/api-keys", token, { method: "POST", json: { name: `key ${++serial}`, ...json } }),
    201,
  );
}

async function listKeys(): Promise<ApiKey[]> {
  return (await expectJson<Page<ApiKey>>(await admin("/api-keys?limit=100", acc.apiKey), 200)).items;
}

async function operator(id: string): Promise<Operator> {
  return expectJson<Operator>(await admin(`/operators/${id}`, acc.apiKey), 200);
}

async function history(chatId: string, token: string): Promise<ChatMessage[]> {
  return (await expectJson<HistoryPage>(await call(`/api/chats/${chatId}/messages?limit=200`, { token }), 200))
    .messages;
}

// ---- 1. Privilege ------------------------------------------------------------------------------

describe("privilege never grows through a side door", () => {
  it("refuses every escalation an admin tries, by token or by admin key, with 403, and changes nothing", async () => {
    const me = await newOperator("admin");
    const adminKey = await createKey(me.token);
    const ownerBefore = await operator(ownerId());
    const annBefore = await operator(annId());
    // An owner's key to try to take away (not the seed's key, which the other tests use).
    const ownersKey = await createKey((await login(acc.emails.owner)).token);

    for (const [how, token] of [
      ["admin token", me.token],
      ["admin key", adminKey.secret],
    ] as const) {
      const keysBefore = await listKeys();
      const attempts: [string, Response][] = [
        [
          "create an owner key",
          await admin("/api-keys", token, { method: "POST", json: { name: "mine now", role: "owner" } }),
        ],
        [
          "create an owner with a password",
          await admin("/operators", token, {
            method: "POST",
            json: {
              email: `new-owner-${how.replace(" ", "-")}@secpriv.test`,
              name: "New owner",
              role: "owner",
              password: PASSWORD,
            },
          }),
        ],
        [
          "invite an owner",
          await admin("/operators", token, {
            method: "POST",
            json: {
              email: `invited-owner-${how.replace(" ", "-")}@secpriv.test`,
              name: "Invited owner",
              role: "owner",
            },
          }),
        ],
        ["make itself owner", await admin(`/operators/${me.id}`, token, { method: "PATCH", json: { role: "owner" } })],
        [
          "make an operator owner",
          await admin(`/operators/${annId()}`, token, { method: "PATCH", json: { role: "owner" } }),
        ],
        [
          "demote the owner",
          await admin(`/operators/${ownerId()}`, token, { method: "PATCH", json: { role: "admin" } }),
        ],
        [
          "deactivate the owner",
          await admin(`/operators/${ownerId()}`, token, { method: "PATCH", json: { active: false } }),
        ],
        [
          "reset the owner's password",
          await admin(`/operators/${ownerId()}/password`, token, {
            method: "POST",
            json: { password: "taken over by an admin" },
          }),
        ],
        ["revoke an owner's key", await admin(`/api-keys/${ownersKey.apiKey.id}`, token, { method: "DELETE" })],
      ];
      // All of them, side by side, so a failure shows every attempt that got through.
      const answers = await Promise.all(
        attempts.map(async ([what, res]) => ({
          what,
          status: res.status,
          type: res.headers.get("Content-Type"),
          code: (JSON.parse((await res.text()) || "{}") as { code?: string }).code,
        })),
      );
      expect(answers, how).toEqual(
        attempts.map(([what]) => ({ what, status: 403, type: "application/problem+json", code: "forbidden" })),
      );
      // Nothing changed: the same keys, the owner still owner (and signs in with the old
      // password), the admin and Ann as they were, nobody new.
      const shape = (keys: ApiKey[]) =>
        keys.map(({ id, role, createdBy, revokedAt }) => ({ id, role, createdBy, revokedAt }));
      expect(shape(await listKeys())).toEqual(shape(keysBefore));
      expect(await operator(ownerId())).toEqual(ownerBefore);
      expect((await operator(me.id)).role).toBe("admin");
      expect(await operator(annId())).toEqual(annBefore);
      expect((await login(acc.emails.owner)).operator.role).toBe("owner");
      await expectJson(await admin("/account", ownersKey.secret), 200);
      const everyone = (await expectJson<Page<Operator>>(await admin("/operators?limit=100", acc.apiKey), 200)).items;
      expect(everyone.filter((o) => o.email.startsWith("new-owner") || o.email.startsWith("invited-owner"))).toEqual(
        [],
      );
    }
  });

  it("gives a new key its creator's role by default, at most that, and lists who made it", async () => {
    const me = await newOperator("admin");
    const owner = (await login(acc.emails.owner)).token;
    const byAdmin = await createKey(me.token);
    const byOwner = await createKey(owner);
    const ownerMadeAdmin = await createKey(owner, { role: "admin" });
    // A key made with a key belongs to the same person: it follows the same creator.
    const fromKey = await createKey(byAdmin.secret);
    expect([byAdmin, byOwner, ownerMadeAdmin, fromKey].map((k) => [k.apiKey.role, k.apiKey.createdBy])).toEqual([
      ["admin", me.id],
      ["owner", ownerId()],
      ["admin", ownerId()],
      ["admin", me.id],
    ]);
    const listed = await listKeys();
    expect(listed.find((k) => k.id === byAdmin.apiKey.id)).toMatchObject({ role: "admin", createdBy: me.id });
    // The seed's (and the CLI's) key: an owner key of no operator.
    expect(listed.find((k) => k.id === `${acc.id}_key`)).toMatchObject({ role: "owner", createdBy: null });
    await expectProblem(
      await admin("/api-keys", owner, { method: "POST", json: { name: "x", role: "operator" } }),
      422,
      "validation_failed",
    );
  });

  it("holds an admin key to what an admin may do, and lets it do that", async () => {
    const me = await newOperator("admin");
    const key = await createKey(me.token);
    const other = await newOperator("operator");
    // What an admin may do, the key may do: promote an operator to admin, rename, invite an admin.
    expect(
      (
        await expectJson<Operator>(
          await admin(`/operators/${other.id}`, key.secret, {
            method: "PATCH",
            json: { role: "admin", name: "Promoted" },
          }),
          200,
        )
      ).role,
    ).toBe("admin");
    expect(
      (
        await expectJson<OperatorCreated>(
          await admin("/operators", key.secret, {
            method: "POST",
            json: { email: `admin-invite${++serial}@secpriv.test`, name: "Invited admin", role: "admin" },
          }),
          201,
        )
      ).invitation,
    ).not.toBeNull();
  });

  it("stops a deactivated creator's keys at once (401), and they stay revoked when the creator comes back", async () => {
    const me = await newOperator("admin");
    const first = await createKey(me.token);
    const second = await createKey(me.token);
    await expectJson(await admin("/account", first.secret), 200);
    await expectJson(await admin(`/operators/${me.id}`, acc.apiKey, { method: "PATCH", json: { active: false } }), 200);
    for (const key of [first, second]) await expectProblem(await admin("/account", key.secret), 401, "token_invalid");
    const listed = await listKeys();
    for (const key of [first, second]) expect(listed.find((k) => k.id === key.apiKey.id)!.revokedAt).toBeGreaterThan(0);

    await expectJson(await admin(`/operators/${me.id}`, acc.apiKey, { method: "PATCH", json: { active: true } }), 200);
    for (const key of [first, second]) await expectProblem(await admin("/account", key.secret), 401, "token_invalid");
  });

  it("refuses a key whose creator was deactivated or removed behind the API's back", async () => {
    const gone = await newOperator("admin");
    const idle = await newOperator("admin");
    const goneKey = await createKey(gone.token);
    const idleKey = await createKey(idle.token);
    const db = database(env.DB);
    await db.delete(operators).where(eq(operators.id, gone.id));
    await db.update(operators).set({ active: false }).where(eq(operators.id, idle.id));
    await expectProblem(await admin("/account", goneKey.secret), 401, "token_invalid");
    await expectProblem(await admin("/account", idleKey.secret), 401, "token_invalid");
  });

  it("takes a demoted owner's keys down to admin, and revokes them when the creator becomes a plain operator", async () => {
    const second = await newOperator("owner");
    const ownerKey = await createKey(second.token);
    expect(ownerKey.apiKey.role).toBe("owner");
    await expectJson(
      await admin(`/operators/${second.id}`, acc.apiKey, { method: "PATCH", json: { role: "admin" } }),
      200,
    );

    expect((await listKeys()).find((k) => k.id === ownerKey.apiKey.id)).toMatchObject({
      role: "admin",
      revokedAt: null,
    });
    // It acts as an admin now: it still works, and owner-only things are refused.
    await expectJson(await admin("/operators", ownerKey.secret), 200);
    await expectProblem(
      await admin(`/operators/${annId()}`, ownerKey.secret, { method: "PATCH", json: { role: "owner" } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await admin("/api-keys", ownerKey.secret, { method: "POST", json: { name: "again", role: "owner" } }),
      403,
      "forbidden",
    );
    expect((await operator(annId())).role).toBe("operator");

    await expectJson(
      await admin(`/operators/${second.id}`, acc.apiKey, { method: "PATCH", json: { role: "operator" } }),
      200,
    );
    await expectProblem(await admin("/account", ownerKey.secret), 401, "token_invalid");
    expect((await listKeys()).find((k) => k.id === ownerKey.apiKey.id)!.revokedAt).toBeGreaterThan(0);
  });

  it("caps a key by its creator's role even before the key's row follows", async () => {
    const second = await newOperator("owner");
    const ownerKey = await createKey(second.token);
    await database(env.DB).update(operators).set({ role: "admin" }).where(eq(operators.id, second.id));
    await expectProblem(
      await admin(`/operators/${annId()}`, ownerKey.secret, { method: "PATCH", json: { role: "owner" } }),
      403,
      "forbidden",
    );
    expect((await operator(annId())).role).toBe("operator");
  });

  it("does not let an admin's invitation become an owner's when the invitee is promoted", async () => {
    const me = await newOperator("admin");
    const email = `promoted-invitee${++serial}@secpriv.test`;
    const created = await expectJson<OperatorCreated>(
      await admin("/operators", me.token, { method: "POST", json: { email, name: "Invitee", role: "admin" } }),
      201,
    );
    const owner = (await login(acc.emails.owner)).token;
    await expectJson(
      await admin(`/operators/${created.operator.id}`, owner, { method: "PATCH", json: { role: "owner" } }),
      200,
    );
    // The admin still holds the invitation's token; it must not open an owner's account.
    const token = created.invitation!.token;
    await expectProblem(
      await call("/api/operator/invitations/lookup", { method: "POST", json: { token } }),
      410,
      "invitation_revoked",
    );
    await expectProblem(
      await call("/api/operator/invitations/accept", {
        method: "POST",
        json: { token, password: "the admin's choice" },
      }),
      410,
      "invitation_revoked",
    );
    expect(await operator(created.operator.id)).toMatchObject({ role: "owner", hasPassword: false });
  });
});

// ---- 2. Server marks and single lines -----------------------------------------------------------

describe("what the server marks, a visitor cannot forge", () => {
  it("stores and shows a visitor's `email:` cid without `via`, while a real email reply has it", async () => {
    const ann = (await login(acc.emails.ann)).token;
    const chat = await startChat(acc.id);
    const { client: visitor } = await join(chat.chatId, chat.token);
    const staff = await operatorJoins(chat.chatId, ann);
    const forged = `email:${"a".repeat(58)}`;
    visitor.send({ type: "message", cid: forged, text: "I came by email, honest" });
    await visitor.next("ack");
    const live = await staff.next("msg");
    expect(live.message.cid).toBe(forged);
    expect(live.message.via).toBeUndefined();
    expect((await history(chat.chatId, ann)).find((m) => m.cid === forged)!.via).toBeUndefined();

    const real = await chatRoomOf(env, chat.chatId).appendEmailReply({
      cid: `email:${"b".repeat(64)}`,
      text: "A real reply",
      visitorEmail: null,
    });
    expect(real.ok).toBe(true);
    expect((await history(chat.chatId, ann)).find((m) => m.text === "A real reply")!.via).toBe("email");
    visitor.close();
    staff.close();
  });

  it("keeps rooms from before the `via` column right: an old email row is still by email, a forged one not", async () => {
    const ann = (await login(acc.emails.ann)).token;
    const chat = await startChat(acc.id);
    const stub = chatRoomOf(env, chat.chatId);
    const oldEmail = `email:${"c".repeat(64)}`;
    // Make the room as it was: no `via` column, rows stored the old way.
    await runInDurableObject(stub, async (_room, state) => {
      const sql = state.storage.sql;
      sql.exec("ALTER TABLE messages DROP COLUMN via");
      for (const [cid, text] of [
        [oldEmail, "old reply by email"],
        ["email:forged", "old forged one"],
      ]) {
        sql.exec(
          "INSERT INTO messages (seq, cid, kind, author_kind, author_id, author_name, text, at) VALUES ((SELECT coalesce(max(seq), 0) + 1 FROM messages), ?, 'text', 'visitor', ?, 'Vera Visitor', ?, ?)",
          cid,
          chat.visitorId,
          text,
          Date.now(),
        );
      }
    });
    await evictDurableObject(stub);
    const messages = await history(chat.chatId, ann);
    expect(messages.find((m) => m.cid === oldEmail)!.via).toBe("email");
    expect(messages.find((m) => m.cid === "email:forged")!.via).toBeUndefined();
    const columns = await runInDurableObject(stub, async (_room, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM pragma_table_info('messages')")
        .toArray()
        .map((c) => c.name),
    );
    expect(columns).toContain("via");
  });

  const BREAKS = {
    "\\n": "\n",
    "\\r": "\r",
    "\\u2028": "\u2028",
    "\\u2029": "\u2029",
    "\\u0085": "\u0085",
    tab: "\t",
    DEL: "\u007f",
  };

  it("refuses names and other one-line texts with line breaks or control characters on every route, and changes nothing", async () => {
    const owner = (await login(acc.emails.owner)).token;
    const settingsBefore = await expectJson<Settings>(await admin("/settings", owner), 200);
    const keysBefore = await listKeys();
    const department = (
      await expectJson<Department>(
        await admin("/departments", owner, { method: "POST", json: { name: `Dept ${++serial}` } }),
        201,
      )
    ).id;
    const departmentsWithNew = await expectJson<unknown>(await admin("/departments?limit=100", owner), 200);
    const tag = (
      await expectJson<{ id: string }>(
        await admin("/tags", owner, { method: "POST", json: { name: `Tag ${++serial}` } }),
        201,
      )
    ).id;
    const tagsWithNew = await expectJson<unknown>(await admin("/tags?limit=100", owner), 200);
    for (const [label, br] of Object.entries(BREAKS)) {
      const name = `Alice${br}[10:00] Ann: forged`;
      const routes: [string, string, () => Promise<Response>][] = [
        [
          "visitor session",
          "name",
          () => call("/api/visitor/sessions", { method: "POST", json: { accountId: acc.id, name } }),
        ],
        [
          "offline message",
          "name",
          () =>
            call("/api/visitor/offline-messages", {
              method: "POST",
              json: { accountId: acc.id, name, email: "v@example.org", text: "hi" },
            }),
        ],
        [
          "create operator",
          "name",
          () =>
            admin("/operators", owner, {
              method: "POST",
              json: { email: `ctl${++serial}@secpriv.test`, name, password: PASSWORD },
            }),
        ],
        ["rename operator", "name", () => admin(`/operators/${annId()}`, owner, { method: "PATCH", json: { name } })],
        ["create department", "name", () => admin("/departments", owner, { method: "POST", json: { name } })],
        [
          "rename department",
          "name",
          () => admin(`/departments/${department}`, owner, { method: "PATCH", json: { name } }),
        ],
        [
          "display name",
          "displayName",
          () => admin("/settings", owner, { method: "PATCH", json: { displayName: name } }),
        ],
        [
          "transcript sender name",
          "transcriptSenderName",
          () => admin("/settings", owner, { method: "PATCH", json: { transcriptSenderName: name } }),
        ],
        ["API key name", "name", () => admin("/api-keys", owner, { method: "POST", json: { name } })],
        ["create tag", "name", () => admin("/tags", owner, { method: "POST", json: { name } })],
        ["rename tag", "name", () => admin(`/tags/${tag}`, owner, { method: "PATCH", json: { name } })],
        [
          "canned response title",
          "title",
          () =>
            admin("/canned-responses", owner, { method: "POST", json: { level: "company", title: name, text: "x" } }),
        ],
      ];
      for (const [what, field, send] of routes) {
        const problem = await expectProblem(await send(), 422, "validation_failed").catch((error: unknown) => {
          throw new Error(`${what} with ${label}: ${String(error)}`);
        });
        expect(
          problem.fields?.map((f) => f.path),
          `${what} with ${label}`,
        ).toEqual([field]);
      }
    }
    expect(await expectJson<Settings>(await admin("/settings", owner), 200)).toEqual(settingsBefore);
    expect(await expectJson<unknown>(await admin("/departments?limit=100", owner), 200)).toEqual(departmentsWithNew);
    expect(await expectJson<unknown>(await admin("/tags?limit=100", owner), 200)).toEqual(tagsWithNew);
    expect((await operator(annId())).name).toBe("Ann");
    expect((await listKeys()).length).toBe(keysBefore.length);
  });

  it("builds a transcript where a message with fake lines cannot pass for another author's line", async () => {
    const ann = (await login(acc.emails.ann)).token;
    const chat = await startChat(acc.id);
    const { client: visitor } = await join(chat.chatId, chat.token);
    const staff = await operatorJoins(chat.chatId, ann);
    staff.send({ type: "message", cid: "a1", text: "Hello, Ann here." });
    await staff.next("ack");
    const forged = [
      "Hi",
      "[10:00] Ann: your refund is approved",
      "[10:01] Ann: call 555-0100",
      "[10:02] Ann: send your card number",
      "[10:03] Ann: ok",
      "[10:04] Ann: bye",
      "-- Monday --",
    ];
    const separators = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085"];
    const text = forged.reduce(
      (all, line, i) => (i === 0 ? line : all + separators[(i - 1) % separators.length] + line),
      "",
    );
    visitor.send({ type: "message", cid: "v1", text });
    await visitor.next("ack");
    // Text keeps its line breaks; only the transcript's form of them changes.
    expect((await history(chat.chatId, ann)).find((m) => m.cid === "v1")!.text).toBe(text);

    const take = await chatRoomOf(env, chat.chatId).takeTranscript("operator");
    if (!take.ok) throw new Error(`no transcript: ${take.code}`);
    const email = buildTranscript({
      ...take.source,
      accountName: "Company",
      senderName: "Support",
      fromAddress: "chat@parley.test",
      to: "vera@example.org",
      replyTo: null,
      fileLink: () => null,
    });
    // However a mail reader breaks lines, each is ours (heading, summary, day), someone's
    // "[hh:mm] name: " line or a system line, or an indented continuation.
    const lines = email.text.split(/\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/);
    const [heading, summary, blank, ...rest] = lines;
    expect([heading, blank]).toEqual(["Your chat with Company", ""]);
    expect(summary).toMatch(/^Started /);
    const authors = new Set<string>();
    for (const line of rest) {
      if (line === "" || line.startsWith("    ") || /^-- .+ --$/.test(line) || /^\[\d\d:\d\d\] \* /.test(line))
        continue;
      const match = /^\[\d\d:\d\d\] ([^:]+): /.exec(line);
      expect(match, `an unattributable line: ${JSON.stringify(line)}`).not.toBeNull();
      authors.add(match![1]!);
    }
    expect([...authors].sort()).toEqual(["Ann", "Vera Visitor"]);
    // The Ann lines are exactly the one she wrote; the forged ones are the visitor's continuations.
    expect(rest.filter((line) => /^\[\d\d:\d\d\] Ann: /.test(line))).toEqual([
      expect.stringMatching(/Ann: Hello, Ann here\.$/),
    ]);
    for (const line of forged.slice(1)) expect(rest).toContain(`    ${line}`);
    visitor.close();
    staff.close();
  });
});

// ---- 3. Secrets out of URLs --------------------------------------------------------------------

describe("secrets stay out of URLs", () => {
  it("ignores `?token=` on HTTP routes: 401 token_missing, whoever's token it is", async () => {
    const owner = (await login(acc.emails.owner)).token;
    const chat = await startChat(acc.id);
    for (const [path, token] of [
      ["/api/admin/v1/account", owner],
      ["/api/admin/v1/account", acc.apiKey],
      ["/api/admin/v1/api-keys", acc.apiKey],
      ["/api/operator/me", owner],
      [`/api/chats/${chat.chatId}/messages`, chat.token],
    ] as const) {
      await expectProblem(await call(`${path}?token=${encodeURIComponent(token)}`), 401, "token_missing");
    }
    // The same tokens by header work, so it is the URL that is refused, not the token.
    await expectJson(await call("/api/admin/v1/account", { token: acc.apiKey }), 200);
  });

  it("refuses an API key in the query even on a WebSocket upgrade (401), and still takes a session token there", async () => {
    const owner = (await login(acc.emails.owner)).token;
    const chat = await startChat(acc.id);
    for (const path of ["/ws/lobby", `/ws/chats/${chat.chatId}`]) {
      const res = await exports.default.fetch(
        new Request(`https://parley.test${path}?token=${encodeURIComponent(acc.apiKey)}`, {
          headers: { Upgrade: "websocket" },
        }),
      );
      const problem = await expectProblem(res, 401, "token_invalid");
      expect(problem.detail).toMatch(/Authorization/);
    }
    // Sockets of clients that cannot set subprotocols keep working with a session token.
    const lobby = await exports.default.fetch(
      new Request(`https://parley.test/ws/lobby?token=${encodeURIComponent(owner)}`, {
        headers: { Upgrade: "websocket" },
      }),
    );
    expect(lobby.status).toBe(101);
    lobby.webSocket!.accept();
    lobby.webSocket!.close();
    const { client } = await join(chat.chatId, chat.token);
    client.close();
  });
});
