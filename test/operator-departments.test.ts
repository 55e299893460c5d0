// GET /api/operator/departments: the console's transfer control lists the departments of the
// operator's own account, and nobody else's.
import { beforeAll, describe, expect, it } from "vitest";
import type { DepartmentsResponse } from "../src/shared/protocol.ts";
import { call, expectProblem, login, seedAccount, startChat, type SeededAccount } from "./helpers.ts";

let account: SeededAccount;
let other: SeededAccount;

beforeAll(async () => {
  [account, other] = await Promise.all([seedAccount("opdept"), seedAccount("opdeptother")]);
});

describe("GET /api/operator/departments", () => {
  it("lists the operator's own account's departments by name, and never another account's", async () => {
    const { token } = await login(account.emails.bob);
    const res = await call("/api/operator/departments", { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as DepartmentsResponse;
    expect(body).toEqual({
      departments: [
        { id: `${account.id}_sales`, name: "Sales", businessHours: null },
        { id: `${account.id}_support`, name: "Support", businessHours: null },
      ],
    });
    expect(body.departments.some((d) => d.id.startsWith(other.id))).toBe(false);

    const theirs = (await (
      await call("/api/operator/departments", { token: (await login(other.emails.ann)).token })
    ).json()) as DepartmentsResponse;
    expect(theirs.departments.map((d) => d.id).sort()).toEqual([`${other.id}_sales`, `${other.id}_support`]);
  });

  it("is refused to a visitor token, and without a token", async () => {
    const visitor = await startChat(account.id);
    await expectProblem(await call("/api/operator/departments", { token: visitor.token }), 403, "forbidden");
    await expectProblem(await call("/api/operator/departments"), 401, "token_missing");
  });
});
