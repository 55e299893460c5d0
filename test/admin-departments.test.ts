// Departments through the admin API: create, list with a cursor, get, rename, delete, and what a
// delete takes with it (memberships, the department's canned responses) and what it leaves
// (its chats, now without a department).
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Department, Operator, Page } from "../src/shared/admin-api.ts";
import type { CannedResponse } from "../src/shared/protocol.ts";
import { database } from "../src/server/db/index.ts";
import { chats } from "../src/server/db/schema.ts";
import {
  admin,
  connectLobby,
  expectJson,
  expectProblem,
  login,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
let owner: string;

beforeAll(async () => {
  acc = await seedAccount("deps");
  owner = (await login(acc.emails.owner)).token;
});

const create = async (name: string, token = acc.apiKey) =>
  expectJson<Department>(await admin("/departments", token, { method: "POST", json: { name } }), 201);

describe("departments", () => {
  it("creates a department with a dep_ id, with an API key or an owner's token", async () => {
    const billing = await create("Billing");
    expect(billing).toEqual({
      id: expect.stringMatching(/^dep_[0-9A-Z]{26}$/),
      name: "Billing",
      // Routing at its defaults: every member sees the chat, 30 s rings, missed after 10 minutes.
      routingMode: "everyone",
      ringTimeoutSeconds: 30,
      maxWaitSeconds: 600,
      // No reassignment of unanswered chats, and open at all hours.
      reassignAfterSeconds: null,
      businessHours: null,
      createdAt: expect.any(Number),
    });
    const legal = await create("  Legal  ", owner);
    expect(legal.name).toBe("Legal");
    expect(await expectJson(await admin(`/departments/${billing.id}`, acc.apiKey), 200)).toEqual(billing);
  });

  it("refuses a second department of the same name with 409 conflict", async () => {
    await expectProblem(
      await admin("/departments", acc.apiKey, { method: "POST", json: { name: "Sales" } }),
      409,
      "conflict",
    );
    const mine = await create("Marketing");
    await expectProblem(
      await admin(`/departments/${mine.id}`, acc.apiKey, { method: "PATCH", json: { name: "Support" } }),
      409,
      "conflict",
    );
  });

  it("pages through departments in id order with nextCursor", async () => {
    for (const name of ["P1", "P2", "P3"]) await create(name);
    const all = await expectJson<Page<Department>>(await admin("/departments?limit=100", acc.apiKey), 200);
    expect(all.nextCursor).toBeNull();
    const ids = all.items.map((d) => d.id);
    expect(ids).toEqual([...ids].sort());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `?limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page: Page<Department> = await expectJson<Page<Department>>(
        await admin(`/departments${query}`, acc.apiKey),
        200,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((d) => d.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
  });

  it("renames a department", async () => {
    const dep = await create("Old name");
    const renamed = await expectJson<Department>(
      await admin(`/departments/${dep.id}`, acc.apiKey, { method: "PATCH", json: { name: "New name" } }),
      200,
    );
    expect(renamed).toEqual({ ...dep, name: "New name" });
  });

  it("answers 404 for unknown ids", async () => {
    await expectProblem(await admin("/departments/dep_nope", acc.apiKey), 404, "not_found");
    await expectProblem(
      await admin("/departments/dep_nope", acc.apiKey, { method: "PATCH", json: { name: "X" } }),
      404,
      "not_found",
    );
    await expectProblem(await admin("/departments/dep_nope", acc.apiKey, { method: "DELETE" }), 404, "not_found");
  });

  it("deletes a department with its memberships and canned responses; its chats stay without one", async () => {
    const dep = await create("Doomed");
    const ann = `${acc.id}_ann`;
    await expectJson(
      await admin(`/operators/${ann}`, acc.apiKey, { method: "PATCH", json: { departmentIds: [acc.salesId, dep.id] } }),
      200,
    );
    const canned = await expectJson<CannedResponse>(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "department", ownerId: dep.id, title: "Doomed hours", text: "Never" },
      }),
      201,
    );
    const chat = await startChat(acc.id, { departmentId: dep.id });
    // A console that is online sees the department's waiting chat only if it may take it.
    const bob = await connectLobby((await login(acc.emails.bob)).token);
    if (bob.snapshot.you.status !== "online") {
      bob.client.send({ type: "presence", status: "online" });
      await bob.client.next("lobby");
    }
    bob.client.drain();

    const res = await admin(`/departments/${dep.id}`, acc.apiKey, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");

    await expectProblem(await admin(`/departments/${dep.id}`, acc.apiKey), 404, "not_found");
    expect((await expectJson<Operator>(await admin(`/operators/${ann}`, acc.apiKey), 200)).departmentIds).toEqual([
      acc.salesId,
    ]);
    await expectProblem(await admin(`/canned-responses/${canned.id}`, acc.apiKey), 404, "not_found");
    const row = await database(env.DB).select().from(chats).where(eq(chats.id, chat.chatId)).get();
    expect(row?.departmentId).toBeNull();
    // Bob (Support) could not take the chat before; now that it is for anyone, he hears of it,
    // and every console is told that canned responses changed.
    expect((await bob.client.next("waiting")).chat).toMatchObject({ chatId: chat.chatId, departmentId: null });
    expect(await bob.client.next("config_changed")).toEqual({ type: "config_changed", what: "canned" });
    bob.client.close();
  });
});
