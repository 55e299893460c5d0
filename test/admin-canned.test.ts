// Canned responses through the admin API at their three levels, their order, and the
// `config_changed` lobby frame that brings every change to open consoles at once; then the
// account setting that lets operators manage their own operator-level responses.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page, Settings } from "../src/shared/admin-api.ts";
import type { CannedResponse, CannedResponsesResponse } from "../src/shared/protocol.ts";
import {
  admin,
  call,
  connectLobby,
  expectJson,
  expectProblem,
  login,
  seedAccount,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
let other: SeededAccount;
let annId: string;
let supportId: string;

beforeAll(async () => {
  [acc, other] = await Promise.all([seedAccount("canned"), seedAccount("canned-other")]);
  annId = `${acc.id}_ann`;
  supportId = `${acc.id}_support`;
});

const create = async (json: Record<string, unknown>, token = acc.apiKey) =>
  expectJson<CannedResponse>(await admin("/canned-responses", token, { method: "POST", json }), 201);
const list = async (query = "") =>
  (await expectJson<Page<CannedResponse>>(await admin(`/canned-responses${query}`, acc.apiKey), 200)).items;
/** What Ann's console bar shows. */
const annBar = async (token: string) =>
  (await expectJson<CannedResponsesResponse>(await call("/api/operator/canned-responses", { token }), 200)).responses;

describe("managing canned responses", () => {
  it("creates one at each level, last in its group, with a cr_ id", async () => {
    const company = await create({ level: "company", title: "Thanks", text: "Thank you!", shortcut: "thx" });
    expect(company).toEqual({
      id: expect.stringMatching(/^cr_[0-9A-Z]{26}$/),
      level: "company",
      ownerId: null,
      title: "Thanks",
      text: "Thank you!",
      shortcut: "thx",
      position: 2,
    });
    const department = await create({ level: "department", ownerId: supportId, title: "Support hours", text: "24/7" });
    expect(department).toMatchObject({ level: "department", ownerId: supportId, shortcut: null, position: 0 });
    const operator = await create({
      level: "operator",
      ownerId: annId,
      title: "Ann's",
      text: "Ann here",
      shortcut: null,
    });
    expect(operator).toMatchObject({ level: "operator", ownerId: annId, position: 0 });
    expect(await expectJson(await admin(`/canned-responses/${operator.id}`, acc.apiKey), 200)).toEqual(operator);
  });

  it("checks the owner against the level", async () => {
    await expectProblem(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "company", ownerId: supportId, title: "T", text: "x" },
      }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "department", title: "T", text: "x" },
      }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "operator", title: "T", text: "x" },
      }),
      422,
      "validation_failed",
    );
    // An operator id is no department, and the other way round.
    await expectProblem(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "department", ownerId: annId, title: "T", text: "x" },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "operator", ownerId: supportId, title: "T", text: "x" },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "operator", ownerId: `${other.id}_ann`, title: "T", text: "x" },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin("/canned-responses", acc.apiKey, {
        method: "POST",
        json: { level: "company", title: "T", text: "   " },
      }),
      422,
      "validation_failed",
    );
  });

  it("lists company, department, operator, then by owner and position, and filters", async () => {
    const all = await list();
    const rank = { company: 0, department: 1, operator: 2 };
    const keys = all.map((r) => [rank[r.level], r.ownerId ?? "", r.position] as const);
    const sorted = [...keys].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) || a[2] - b[2]);
    expect(keys).toEqual(sorted);
    expect(new Set(all.map((r) => r.level))).toEqual(new Set(["company", "department", "operator"]));
    expect((await list("?level=department")).every((r) => r.level === "department")).toBe(true);
    expect((await list(`?ownerId=${supportId}`)).map((r) => r.title)).toEqual(["Support hours"]);
    expect(await expectJson(await admin("/canned-responses", acc.apiKey), 200)).toMatchObject({ nextCursor: null });
  });

  it("edits and deletes; unknown ids are 404", async () => {
    const response = await create({ level: "company", title: "Draft", text: "draft", shortcut: "draft" });
    const edited = await expectJson<CannedResponse>(
      await admin(`/canned-responses/${response.id}`, acc.apiKey, {
        method: "PATCH",
        json: { text: "Final", shortcut: null },
      }),
      200,
    );
    expect(edited).toEqual({ ...response, text: "Final", shortcut: null });
    expect((await admin(`/canned-responses/${response.id}`, acc.apiKey, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await admin(`/canned-responses/${response.id}`, acc.apiKey), 404, "not_found");
    await expectProblem(
      await admin(`/canned-responses/${response.id}`, acc.apiKey, { method: "PATCH", json: { title: "X" } }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin(`/canned-responses/${response.id}`, acc.apiKey, { method: "DELETE" }),
      404,
      "not_found",
    );
  });
});

describe("reordering", () => {
  it("sets the order of one group to exactly the ids given", async () => {
    const group = (await list("?level=company")).map((r) => r.id);
    expect(group.length).toBeGreaterThanOrEqual(3);
    const reversed = [...group].reverse();
    const res = await expectJson<{ items: CannedResponse[] }>(
      await admin("/canned-responses/order", acc.apiKey, { method: "PUT", json: { level: "company", ids: reversed } }),
      200,
    );
    expect(res.items.map((r) => r.id)).toEqual(reversed);
    expect(res.items.map((r) => r.position)).toEqual(reversed.map((_, i) => i));
    expect((await list("?level=company")).map((r) => r.id)).toEqual(reversed);
    // The bar shows the new order too.
    const bar = await annBar((await login(acc.emails.ann)).token);
    expect(bar.filter((r) => r.level === "company").map((r) => r.id)).toEqual(reversed);
    // A new response still goes last.
    const last = await create({ level: "company", title: "Last", text: "last" });
    expect((await list("?level=company")).at(-1)!.id).toBe(last.id);
  });

  it("refuses ids that are not exactly the group's", async () => {
    const group = (await list("?level=company")).map((r) => r.id);
    const before = await list();
    const bad = [
      group.slice(1), // one missing
      [...group, group[0]!], // a duplicate
      [...group.slice(1), `${acc.id}_cr_dept`], // one of another group
      [...group.slice(1), "cr_nope"],
    ];
    for (const ids of bad)
      await expectProblem(
        await admin("/canned-responses/order", acc.apiKey, { method: "PUT", json: { level: "company", ids } }),
        422,
        "validation_failed",
      );
    await expectProblem(
      await admin("/canned-responses/order", acc.apiKey, { method: "PUT", json: { level: "department", ids: group } }),
      422,
      "validation_failed",
    );
    await expectProblem(
      await admin("/canned-responses/order", acc.apiKey, {
        method: "PUT",
        json: { level: "department", ownerId: "dep_nope", ids: group },
      }),
      404,
      "not_found",
    );
    expect(await list()).toEqual(before);
  });

  it("reorders a department's and an operator's group", async () => {
    const second = await create({ level: "department", ownerId: acc.salesId, title: "Sales two", text: "two" });
    const sales = (await list(`?ownerId=${acc.salesId}`)).map((r) => r.id);
    expect(sales.at(-1)).toBe(second.id);
    const res = await expectJson<{ items: CannedResponse[] }>(
      await admin("/canned-responses/order", acc.apiKey, {
        method: "PUT",
        json: { level: "department", ownerId: acc.salesId, ids: [...sales].reverse() },
      }),
      200,
    );
    expect(res.items[0]!.id).toBe(second.id);
    const mine = (await list(`?level=operator&ownerId=${acc.id}_owner`)).map((r) => r.id);
    const res2 = await expectJson<{ items: CannedResponse[] }>(
      await admin("/canned-responses/order", acc.apiKey, {
        method: "PUT",
        json: { level: "operator", ownerId: `${acc.id}_owner`, ids: mine },
      }),
      200,
    );
    expect(res2.items.map((r) => r.id)).toEqual(mine);
  });
});

describe("changes reach open consoles at once", () => {
  it("sends config_changed to every connected console on create, edit, reorder, delete and settings", async () => {
    const ann = await connectLobby((await login(acc.emails.ann)).token);
    const bob = await connectLobby((await login(acc.emails.bob)).token);
    const stranger = await connectLobby((await login(other.emails.ann)).token);
    for (const c of [ann, bob, stranger]) c.client.drain();
    const expectNotice = async (what: "canned" | "settings") => {
      for (const c of [ann, bob])
        expect(await c.client.next("config_changed")).toEqual({ type: "config_changed", what });
    };

    const created = await create({ level: "department", ownerId: acc.salesId, title: "Live", text: "live" });
    await expectNotice("canned");
    await admin(`/canned-responses/${created.id}`, acc.apiKey, { method: "PATCH", json: { title: "Live!" } });
    await expectNotice("canned");
    const sales = (await list(`?ownerId=${acc.salesId}`)).map((r) => r.id);
    await admin("/canned-responses/order", acc.apiKey, {
      method: "PUT",
      json: { level: "department", ownerId: acc.salesId, ids: [...sales].reverse() },
    });
    await expectNotice("canned");
    await admin(`/canned-responses/${created.id}`, acc.apiKey, { method: "DELETE" });
    await expectNotice("canned");
    await admin("/settings", acc.apiKey, { method: "PATCH", json: { greeting: "Welcome!" } });
    await expectNotice("settings");
    // Nothing of it reaches another account's consoles.
    expect(stranger.client.drain().filter((f) => f.type === "config_changed")).toEqual([]);
    for (const c of [ann, bob, stranger]) c.client.close();
  });
});

describe("operators managing their own responses", () => {
  let ann: string;
  let bob: string;

  beforeAll(async () => {
    ann = (await login(acc.emails.ann)).token;
    bob = (await login(acc.emails.bob)).token;
  });

  const own = (token: string, init: RequestInit & { json?: unknown } = {}, id = "") =>
    call(`/api/operator/canned-responses${id ? `/${id}` : ""}`, { ...init, token });
  const setting = async (on: boolean) =>
    expect(
      (
        await expectJson<Settings>(
          await admin("/settings", acc.apiKey, { method: "PATCH", json: { operatorsManageOwnResponses: on } }),
          200,
        )
      ).operatorsManageOwnResponses,
    ).toBe(on);

  it("is off by default: operators get 403", async () => {
    expect((await expectJson<Settings>(await admin("/settings", acc.apiKey), 200)).operatorsManageOwnResponses).toBe(
      false,
    );
    await expectProblem(await own(ann, { method: "POST", json: { title: "Mine", text: "mine" } }), 403, "forbidden");
    const theirs = (await annBar(ann)).find((r) => r.level === "operator" && r.ownerId === annId)!;
    await expectProblem(await own(ann, { method: "PATCH", json: { title: "X" } }, theirs.id), 403, "forbidden");
    await expectProblem(await own(ann, { method: "DELETE" }, theirs.id), 403, "forbidden");
  });

  it("when on, lets an operator create, edit and delete their own, and only those", async () => {
    await setting(true);
    const lobby = await connectLobby(ann);
    lobby.client.drain();

    const created = await expectJson<CannedResponse>(
      await own(ann, { method: "POST", json: { title: "Mine", text: "mine", shortcut: "mine" } }),
      201,
    );
    expect(created).toMatchObject({ level: "operator", ownerId: annId, title: "Mine", shortcut: "mine" });
    expect(await lobby.client.next("config_changed")).toEqual({ type: "config_changed", what: "canned" });
    expect((await annBar(ann)).map((r) => r.id)).toContain(created.id);
    // Nobody else's bar shows it.
    expect((await annBar(bob)).map((r) => r.id)).not.toContain(created.id);

    const edited = await expectJson<CannedResponse>(
      await own(ann, { method: "PATCH", json: { text: "still mine" } }, created.id),
      200,
    );
    expect(edited.text).toBe("still mine");
    await lobby.client.next("config_changed");

    // Not Bob's, not the company's; no level or owner of one's choosing.
    await expectProblem(await own(bob, { method: "PATCH", json: { text: "hijack" } }, created.id), 404, "not_found");
    await expectProblem(await own(bob, { method: "DELETE" }, created.id), 404, "not_found");
    await expectProblem(
      await own(ann, { method: "PATCH", json: { text: "x" } }, `${acc.id}_cr_hello`),
      403,
      "forbidden",
    );
    await expectProblem(await own(ann, { method: "DELETE" }, `${acc.id}_cr_dept`), 403, "forbidden");
    await expectProblem(
      await own(ann, { method: "POST", json: { level: "company", title: "T", text: "x" } }),
      422,
      "validation_failed",
    );
    await expectProblem(await own(ann, { method: "POST", json: { title: "", text: "x" } }), 422, "validation_failed");
    await expectProblem(
      await own(ann, { method: "PATCH", json: { ownerId: annId } }, created.id),
      422,
      "validation_failed",
    );
    await expectProblem(await own(ann, { method: "PATCH", json: { text: "x" } }, "cr_nope"), 404, "not_found");
    // Nor can an operator of another account, even one that allows own responses.
    await expectJson(
      await admin("/settings", other.apiKey, { method: "PATCH", json: { operatorsManageOwnResponses: true } }),
      200,
    );
    const stranger = (await login(other.emails.ann)).token;
    await expectProblem(
      await own(stranger, { method: "PATCH", json: { text: "hijack" } }, created.id),
      404,
      "not_found",
    );
    await expectProblem(await own(stranger, { method: "DELETE" }, created.id), 404, "not_found");

    expect((await own(ann, { method: "DELETE" }, created.id)).status).toBe(204);
    await lobby.client.next("config_changed");
    expect((await annBar(ann)).map((r) => r.id)).not.toContain(created.id);
    lobby.client.close();
  });

  it("refuses visitors, API keys and missing tokens", async () => {
    await expectProblem(
      await call("/api/operator/canned-responses", { method: "POST", json: { title: "T", text: "x" } }),
      401,
      "token_missing",
    );
    await expectProblem(await own(acc.apiKey, { method: "POST", json: { title: "T", text: "x" } }), 403, "forbidden");
    await setting(false);
    await expectProblem(await own(ann, { method: "POST", json: { title: "Mine", text: "mine" } }), 403, "forbidden");
  });
});
