// Refusals that name their field (issue 11): validation failures and conflicts carry `fields`,
// each a path as the request named it and a message in words, so a form can show it next to the
// field; and a canned-response shortcut is unique within its group (level and owner), on create
// and on edit, through the admin API and an operator's own responses alike.
import { beforeAll, describe, expect, it } from "vitest";
import type { Page, Settings } from "../src/shared/admin-api.ts";
import type { CannedResponse, Problem } from "../src/shared/protocol.ts";
import { admin, call, expectJson, expectProblem, login, seedAccount, type SeededAccount } from "./helpers.ts";

let acc: SeededAccount;
let other: SeededAccount;
let annId: string;
let bobId: string;
let supportId: string;

beforeAll(async () => {
  [acc, other] = await Promise.all([seedAccount("fields"), seedAccount("fields-other")]);
  annId = `${acc.id}_ann`;
  bobId = `${acc.id}_bob`;
  supportId = `${acc.id}_support`;
});

const all = async (account = acc) =>
  (await expectJson<Page<CannedResponse>>(await admin("/canned-responses", account.apiKey), 200)).items;
const create = (json: Record<string, unknown>, token = acc.apiKey) =>
  admin("/canned-responses", token, { method: "POST", json });
const patch = (id: string, json: Record<string, unknown>) =>
  admin(`/canned-responses/${id}`, acc.apiKey, { method: "PATCH", json });

/** A 409 conflict about the shortcut, saying which response has it. */
async function expectShortcutTaken(res: Response, title: string): Promise<Problem> {
  const problem = await expectProblem(res, 409, "conflict");
  expect(problem.fields).toEqual([{ path: "shortcut", message: expect.stringContaining(`“${title}”`) }]);
  expect(problem.detail).toBe(problem.fields![0]!.message);
  return problem;
}

describe("duplicate canned-response shortcuts", () => {
  it("are refused within one group on create, in any case, and nothing is saved", async () => {
    const first = await expectJson<CannedResponse>(
      await create({ level: "company", title: "Refunds", text: "5 days.", shortcut: "refund" }),
      201,
    );
    const before = await all();
    const problem = await expectShortcutTaken(
      await create({ level: "company", title: "Refunds again", text: "x", shortcut: "Refund" }),
      "Refunds",
    );
    expect(problem.fields![0]!.message).toBe(
      "The company response “Refunds” already has the shortcut /refund (capitals do not count); choose another.",
    );
    expect(await all()).toEqual(before);
    // Without a shortcut, or with another one, it is fine.
    await expectJson(await create({ level: "company", title: "No shortcut", text: "x" }), 201);
    await expectJson(await create({ level: "company", title: "Null shortcut", text: "x", shortcut: null }), 201);
    await expectJson(await create({ level: "company", title: "Other", text: "x", shortcut: "refund2" }), 201);
    expect(first.shortcut).toBe("refund");
  });

  it("are allowed in other groups: another level, another department, another operator, another account", async () => {
    await expectJson(
      await create({ level: "department", ownerId: acc.salesId, title: "Sales refund", text: "x", shortcut: "refund" }),
      201,
    );
    await expectShortcutTaken(
      await create({
        level: "department",
        ownerId: acc.salesId,
        title: "Sales refund 2",
        text: "x",
        shortcut: "REFUND",
      }),
      "Sales refund",
    );
    await expectJson(
      await create({ level: "department", ownerId: supportId, title: "Support refund", text: "x", shortcut: "refund" }),
      201,
    );
    await expectJson(
      await create({ level: "operator", ownerId: annId, title: "Ann refund", text: "x", shortcut: "refund" }),
      201,
    );
    await expectShortcutTaken(
      await create({ level: "operator", ownerId: annId, title: "Ann refund 2", text: "x", shortcut: "refund" }),
      "Ann refund",
    );
    await expectJson(
      await create({ level: "operator", ownerId: bobId, title: "Bob refund", text: "x", shortcut: "refund" }),
      201,
    );
    await expectJson(
      await create({ level: "company", title: "Their refunds", text: "x", shortcut: "refund" }, other.apiKey),
      201,
    );
  });

  it("are refused on edit, while a response keeps its own shortcut", async () => {
    await expectJson(await create({ level: "company", title: "Hours", text: "9 to 5", shortcut: "hours" }), 201);
    const open = await expectJson<CannedResponse>(
      await create({ level: "company", title: "Open", text: "We are open", shortcut: "open" }),
      201,
    );
    await expectShortcutTaken(await patch(open.id, { shortcut: "HOURS", title: "Renamed" }), "Hours");
    // Nothing of the refused change was saved.
    expect((await all()).find((r) => r.id === open.id)).toEqual(open);
    // Its own shortcut again (in another case, too), or none, is fine.
    expect(
      (await expectJson<CannedResponse>(await patch(open.id, { shortcut: "open", title: "Open now" }), 200)).title,
    ).toBe("Open now");
    expect((await expectJson<CannedResponse>(await patch(open.id, { shortcut: "Open" }), 200)).shortcut).toBe("Open");
    expect((await expectJson<CannedResponse>(await patch(open.id, { shortcut: null }), 200)).shortcut).toBeNull();
    // The same word in another group is no clash.
    const support = await expectJson<CannedResponse>(
      await create({ level: "department", ownerId: supportId, title: "Support open", text: "x" }),
      201,
    );
    expect((await expectJson<CannedResponse>(await patch(support.id, { shortcut: "hours" }), 200)).shortcut).toBe(
      "hours",
    );
  });

  it("are refused among an operator's own responses, on create and on edit", async () => {
    await expectJson<Settings>(
      await admin("/settings", acc.apiKey, { method: "PATCH", json: { operatorsManageOwnResponses: true } }),
      200,
    );
    const ann = (await login(acc.emails.ann)).token;
    const own = (init: RequestInit & { json?: unknown }, id = "") =>
      call(`/api/operator/canned-responses${id ? `/${id}` : ""}`, { ...init, token: ann });
    // "refund" is Ann's already (made above by an admin, at her operator level).
    const problem = await expectShortcutTaken(
      await own({ method: "POST", json: { title: "My refund", text: "x", shortcut: "refund" } }),
      "Ann refund",
    );
    expect(problem.fields![0]!.message).toBe(
      "Your response “Ann refund” already has the shortcut /refund; choose another.",
    );
    // The company's "hours" is another group.
    const mine = await expectJson<CannedResponse>(
      await own({ method: "POST", json: { title: "My hours", text: "x", shortcut: "hours" } }),
      201,
    );
    await expectShortcutTaken(await own({ method: "PATCH", json: { shortcut: "Refund" } }, mine.id), "Ann refund");
    expect((await all()).find((r) => r.id === mine.id)?.shortcut).toBe("hours");
    expect(
      (
        await expectJson<CannedResponse>(
          await own({ method: "PATCH", json: { shortcut: "hours", text: "y" } }, mine.id),
          200,
        )
      ).text,
    ).toBe("y");
  });
});

describe("validation problems name their fields", () => {
  it("a bad widget colour: the field, a message in words, and nothing changed", async () => {
    const before = await expectJson<Settings>(await admin("/settings", acc.apiKey), 200);
    const problem = await expectProblem(
      await admin("/settings", acc.apiKey, {
        method: "PATCH",
        json: { widgetColor: "blue-ish", greeting: "Changed?" },
      }),
      422,
      "validation_failed",
    );
    expect(problem.fields).toEqual([
      { path: "widgetColor", message: "Widget colour must be a hex colour like #0a7cff." },
    ]);
    expect(problem.detail).toBe("Widget colour must be a hex colour like #0a7cff.");
    expect(problem.errors).toEqual(["widgetColor: Widget colour must be a hex colour like #0a7cff."]);
    expect(await expectJson<Settings>(await admin("/settings", acc.apiKey), 200)).toEqual(before);
  });

  it("several issues: each with its path, list entries by index", async () => {
    const problem = await expectProblem(
      await admin("/settings", acc.apiKey, {
        method: "PATCH",
        json: { displayName: "  ", allowedOrigins: ["https://ok.example", "not a url"], fileSizeLimitBytes: 0 },
      }),
      422,
      "validation_failed",
    );
    expect(problem.fields).toEqual([
      { path: "displayName", message: "The display name cannot be empty." },
      {
        path: "allowedOrigins.1",
        message: "An origin is a scheme and host with no path, like https://www.example.com.",
      },
      { path: "fileSizeLimitBytes", message: "The file size limit must be more than 0." },
    ]);
    expect(problem.detail).toContain("3 problems");
  });

  it("a short password, an empty department name, a taken name or email", async () => {
    const short = await expectProblem(
      await admin(`/operators/${annId}/password`, acc.apiKey, { method: "POST", json: { password: "short" } }),
      422,
      "validation_failed",
    );
    expect(short.fields).toEqual([{ path: "password", message: "A password needs at least 10 characters." }]);
    const empty = await expectProblem(
      await admin("/departments", acc.apiKey, { method: "POST", json: { name: "" } }),
      422,
      "validation_failed",
    );
    expect(empty.fields).toEqual([{ path: "name", message: "The department name cannot be empty." }]);
    const taken = await expectProblem(
      await admin("/departments", acc.apiKey, { method: "POST", json: { name: "Sales" } }),
      409,
      "conflict",
    );
    expect(taken.fields).toEqual([{ path: "name", message: "The account already has a department of that name." }]);
    const email = await expectProblem(
      await admin("/operators", acc.apiKey, { method: "POST", json: { email: acc.emails.bob, name: "Bob 2" } }),
      409,
      "conflict",
    );
    expect(email.fields).toEqual([{ path: "email", message: expect.stringContaining("already exists") }]);
    const badEmail = await expectProblem(
      await admin("/operators", acc.apiKey, { method: "POST", json: { email: "bob at example", name: "Bob 3" } }),
      422,
      "validation_failed",
    );
    expect(badEmail.fields).toEqual([{ path: "email", message: "Enter an email address like name@example.com." }]);
  });
});
