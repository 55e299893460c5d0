// Operators through the admin API: creation with a password or an invitation, the invitation
// flow, owner protection (only owners manage owners; the last active owner stays), department
// and role changes, password resets, and deactivation stopping an operator at once — HTTP,
// lobby socket and chat sockets.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { SignJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import type { SignUpInvitationDetails, Operator, OperatorCreated, Page } from "../src/shared/admin-api.ts";
import { DEACTIVATED_CLOSE_CODE } from "../src/shared/lobby-protocol.ts";
import { SESSION_ENDED_CLOSE_CODE } from "../src/durable/socket-holder.ts";
import type { OperatorLoginResponse } from "../src/shared/protocol.ts";
import { database } from "../src/server/db/index.ts";
import { chats, operators } from "../src/server/db/schema.ts";
import {
  admin,
  call,
  connectLobby,
  expectJson,
  expectProblem,
  login,
  operatorJoins,
  PASSWORD,
  seedAccount,
  startChat,
  upgrade,
  type SeededAccount,
} from "./helpers.ts";

let acc: SeededAccount;
let other: SeededAccount;
const NEW_PASSWORD = "a brand new password";

beforeAll(async () => {
  [acc, other] = await Promise.all([seedAccount("ops"), seedAccount("ops-other")]);
});

async function createOperator(body: Record<string, unknown>, token = acc.apiKey) {
  return expectJson<OperatorCreated>(await admin("/operators", token, { method: "POST", json: body }), 201);
}

const accept = (json: unknown) => call("/api/operator/invitations/accept", { method: "POST", json });
const lookup = (json: unknown) => call("/api/operator/invitations/lookup", { method: "POST", json });

describe("creating operators", () => {
  it("creates an operator with a password, who can sign in at once", async () => {
    const { operator, invitation } = await createOperator({
      email: "Carl@Ops.Test",
      name: "Carl",
      role: "admin",
      departmentIds: [acc.salesId, acc.salesId],
      password: PASSWORD,
    });
    expect(invitation).toBeNull();
    expect(operator).toEqual({
      id: expect.stringMatching(/^op_[0-9A-Z]{26}$/),
      email: "carl@ops.test",
      name: "Carl",
      role: "admin",
      departmentIds: [acc.salesId],
      active: true,
      hasPassword: true,
      maxChats: null,
      createdAt: expect.any(Number),
    });
    const session = await login("carl@ops.test");
    expect(session.operator).toMatchObject({ id: operator.id, role: "admin", accountId: acc.id });
    expect(await expectJson(await admin(`/operators/${operator.id}`, acc.apiKey), 200)).toEqual(operator);
    // An admin's token is good for the admin API.
    await expectJson(await admin("/account", session.token), 200);
  });

  it("refuses an email already in use, in any account, with 409 conflict", async () => {
    await expectProblem(
      await admin("/operators", acc.apiKey, {
        method: "POST",
        json: { email: acc.emails.ann.toUpperCase(), name: "Ann 2" },
      }),
      409,
      "conflict",
    );
    await expectProblem(
      await admin("/operators", acc.apiKey, { method: "POST", json: { email: other.emails.ann, name: "Ann 3" } }),
      409,
      "conflict",
    );
  });

  it("refuses departments of another account, or none at all, with 404", async () => {
    const res = await admin("/operators", acc.apiKey, {
      method: "POST",
      json: { email: "dora@ops.test", name: "Dora", departmentIds: [acc.salesId, other.salesId] },
    });
    expect((await expectProblem(res, 404, "not_found")).detail).toContain(other.salesId);
    await expectProblem(
      await admin("/operators", acc.apiKey, {
        method: "POST",
        json: { email: "dora@ops.test", name: "Dora", departmentIds: ["dep_nope"] },
      }),
      404,
      "not_found",
    );
    const page = await expectJson<Page<Operator>>(await admin("/operators?limit=100", acc.apiKey), 200);
    expect(page.items.map((o) => o.email)).not.toContain("dora@ops.test");
  });

  it("lists operators with their departments, a page at a time", async () => {
    const first = await expectJson<Page<Operator>>(await admin("/operators?limit=2", acc.apiKey), 200);
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toBe(first.items[1]!.id);
    const rest = await expectJson<Page<Operator>>(
      await admin(`/operators?limit=100&cursor=${first.nextCursor}`, acc.apiKey),
      200,
    );
    const all = [...first.items, ...rest.items];
    expect(new Set(all.map((o) => o.id)).size).toBe(all.length);
    expect(all.find((o) => o.id === `${acc.id}_bob`)).toMatchObject({
      name: "Bob",
      role: "operator",
      departmentIds: [`${acc.id}_support`],
      active: true,
      hasPassword: true,
    });
  });

  it("answers 404 for an unknown operator", async () => {
    await expectProblem(await admin("/operators/op_nope", acc.apiKey), 404, "not_found");
    await expectProblem(
      await admin("/operators/op_nope", acc.apiKey, { method: "PATCH", json: { name: "X" } }),
      404,
      "not_found",
    );
    await expectProblem(
      await admin("/operators/op_nope/password", acc.apiKey, { method: "POST", json: { password: NEW_PASSWORD } }),
      404,
      "not_found",
    );
  });
});

describe("invitations", () => {
  it("invites an operator without a password, who signs in by accepting it, once", async () => {
    const { operator, invitation } = await createOperator({
      email: "ivy@ops.test",
      name: "Ivy",
      departmentIds: [acc.salesId],
    });
    expect(operator).toMatchObject({ role: "operator", hasPassword: false, active: true });
    expect(invitation!.expiresAt).toBeGreaterThan(Date.now() + 6.9 * 24 * 3600_000);
    expect(invitation!.expiresAt).toBeLessThan(Date.now() + 7.1 * 24 * 3600_000);

    // No password yet: signing in fails, and the invitation is not a session token.
    await expectProblem(
      await call("/api/operator/login", { method: "POST", json: { email: "ivy@ops.test", password: PASSWORD } }),
      401,
      "bad_credentials",
    );
    await expectProblem(await call("/api/operator/me", { token: invitation!.token }), 401, "token_invalid");
    await expectProblem(await accept({ token: invitation!.token, password: "short" }), 422, "validation_failed");
    await expectProblem(
      await accept({ token: invitation!.token, password: NEW_PASSWORD, extra: 1 }),
      422,
      "validation_failed",
    );

    const session = await expectJson<OperatorLoginResponse>(
      await accept({ token: invitation!.token, password: NEW_PASSWORD }),
      200,
    );
    expect(session.operator).toEqual({
      id: operator.id,
      accountId: acc.id,
      email: "ivy@ops.test",
      name: "Ivy",
      role: "operator",
    });
    expect(await expectJson(await call("/api/operator/me", { token: session.token }), 200)).toMatchObject({
      id: operator.id,
    });
    expect((await login("ivy@ops.test", NEW_PASSWORD)).operator.id).toBe(operator.id);
    expect((await expectJson<Operator>(await admin(`/operators/${operator.id}`, acc.apiKey), 200)).hasPassword).toBe(
      true,
    );

    // Used up: it cannot set the password again.
    await expectProblem(
      await accept({ token: invitation!.token, password: "another password!" }),
      409,
      "invitation_used",
    );
    await login("ivy@ops.test", NEW_PASSWORD);
  });

  it("is used up once an admin sets the password, and refused for a deactivated operator", async () => {
    const first = await createOperator({ email: "set@ops.test", name: "Set" });
    expect(
      (
        await admin(`/operators/${first.operator.id}/password`, acc.apiKey, {
          method: "POST",
          json: { password: NEW_PASSWORD },
        })
      ).status,
    ).toBe(204);
    await expectProblem(
      await accept({ token: first.invitation!.token, password: "whatever password" }),
      409,
      "invitation_used",
    );

    const second = await createOperator({ email: "gone@ops.test", name: "Gone" });
    await expectJson(
      await admin(`/operators/${second.operator.id}`, acc.apiKey, { method: "PATCH", json: { active: false } }),
      200,
    );
    await expectProblem(
      await accept({ token: second.invitation!.token, password: NEW_PASSWORD }),
      410,
      "invitation_revoked",
    );
    await expectProblem(await lookup({ token: second.invitation!.token }), 410, "invitation_revoked");
    // Still no password, and no sign-in.
    expect(
      (await expectJson<Operator>(await admin(`/operators/${second.operator.id}`, acc.apiKey), 200)).hasPassword,
    ).toBe(false);
    await expectProblem(
      await call("/api/operator/login", { method: "POST", json: { email: "gone@ops.test", password: NEW_PASSWORD } }),
      401,
      "bad_credentials",
    );
  });

  it("is withdrawn when its operator is removed", async () => {
    const { operator, invitation } = await createOperator({ email: "removed@ops.test", name: "Removed" });
    await database(env.DB).delete(operators).where(eq(operators.id, operator.id));
    await expectProblem(await lookup({ token: invitation!.token }), 410, "invitation_revoked");
    await expectProblem(await accept({ token: invitation!.token, password: NEW_PASSWORD }), 410, "invitation_revoked");
  });
});

describe("looking an invitation up", () => {
  it("says whom a good invitation is for, and nothing else; it changes nothing", async () => {
    const { operator, invitation } = await createOperator({ email: "Lou@Ops.Test", name: "Lou", role: "admin" });
    const details = await expectJson<SignUpInvitationDetails>(await lookup({ token: invitation!.token }), 200);
    expect(details).toEqual({ name: "Lou", email: "lou@ops.test", expiresAt: invitation!.expiresAt });
    // Looking up twice is fine: it is not the accept.
    await expectJson(await lookup({ token: invitation!.token }), 200);
    expect((await expectJson<Operator>(await admin(`/operators/${operator.id}`, acc.apiKey), 200)).hasPassword).toBe(
      false,
    );

    // Accepted, it is used; the session has exactly the stored role, no more.
    const session = await expectJson<OperatorLoginResponse>(
      await accept({ token: invitation!.token, password: NEW_PASSWORD }),
      200,
    );
    expect(session.operator).toMatchObject({ id: operator.id, role: "admin", accountId: acc.id });
    const problem = await expectProblem(await lookup({ token: invitation!.token }), 409, "invitation_used");
    expect(problem).not.toHaveProperty("fields");
    expect(JSON.stringify(problem)).not.toContain("lou@ops.test");
  });

  it("gives the role stored now, even if it was lowered after the invitation was sent", async () => {
    const { operator, invitation } = await createOperator({
      email: "demoted@ops.test",
      name: "Demoted",
      role: "admin",
    });
    await expectJson(
      await admin(`/operators/${operator.id}`, acc.apiKey, { method: "PATCH", json: { role: "operator" } }),
      200,
    );
    const session = await expectJson<OperatorLoginResponse>(
      await accept({ token: invitation!.token, password: NEW_PASSWORD }),
      200,
    );
    expect(session.operator.role).toBe("operator");
    await expectProblem(await admin("/account", session.token), 403, "forbidden");
  });

  it("refuses expired, forged, garbage and foreign invitations, telling a bad token only that it is invalid or expired: no name, no email, no account", async () => {
    const { operator } = await createOperator({ email: "secret-name@ops.test", name: "Secret Name" });
    const sign = (secret: string, exp: number, acc_ = acc.id, sub = operator.id) =>
      new SignJWT({ typ: "invitation", acc: acc_ })
        .setProtectedHeader({ alg: "HS256" })
        .setSubject(sub)
        .setIssuer("parley")
        .setAudience("parley:invitation")
        .setIssuedAt(exp - 3600)
        .setExpirationTime(exp)
        .sign(new TextEncoder().encode(secret));
    const past = Math.floor(Date.now() / 1000) - 60;
    const future = past + 7200;
    const cases: [string, string, number, string][] = [
      ["expired", await sign(env.AUTH_SECRET!, past), 401, "token_expired"],
      ["forged", await sign("another-secret-that-is-long-enough-0123456789", future), 401, "token_invalid"],
      ["garbage", "nonsense", 401, "token_invalid"],
      ["a session token", (await login(acc.emails.ann)).token, 401, "token_invalid"],
      // Genuine, but naming an operator of another account: not this invitation's to open.
      ["foreign", await sign(env.AUTH_SECRET!, future, other.id, operator.id), 410, "invitation_revoked"],
    ];
    for (const [what, token, status, code] of cases) {
      const problem = await expectProblem(await lookup({ token }), status, code);
      const text = JSON.stringify(problem);
      for (const secret of ["Secret Name", "secret-name@ops.test", acc.id, other.id, operator.id])
        expect(text, `${what} reveals ${secret}`).not.toContain(secret);
      await expectProblem(await accept({ token, password: NEW_PASSWORD }), status, code);
    }
    expect((await expectJson<Operator>(await admin(`/operators/${operator.id}`, acc.apiKey), 200)).hasPassword).toBe(
      false,
    );
  });

  it("refuses a malformed body with 422", async () => {
    await expectProblem(await lookup({}), 422, "validation_failed");
    await expectProblem(await lookup({ token: "" }), 422, "validation_failed");
    await expectProblem(await lookup({ token: "x", extra: 1 }), 422, "validation_failed");
  });
});

describe("owners", () => {
  let admin1: string;
  let ownerToken: string;

  beforeAll(async () => {
    await createOperator({ email: "ada@ops.test", name: "Ada", role: "admin", password: PASSWORD });
    admin1 = (await login("ada@ops.test")).token;
    ownerToken = (await login(acc.emails.owner)).token;
  });

  it("lets only owners and API keys give or take the owner role", async () => {
    await expectProblem(
      await admin("/operators", admin1, {
        method: "POST",
        json: { email: "o2@ops.test", name: "O2", role: "owner", password: PASSWORD },
      }),
      403,
      "forbidden",
    );
    await expectProblem(
      await admin(`/operators/${acc.id}_bob`, admin1, { method: "PATCH", json: { role: "owner" } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await admin(`/operators/${acc.id}_owner`, admin1, { method: "PATCH", json: { role: "admin" } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await admin(`/operators/${acc.id}_owner`, admin1, { method: "PATCH", json: { active: false } }),
      403,
      "forbidden",
    );
    await expectProblem(
      await admin(`/operators/${acc.id}_owner/password`, admin1, { method: "POST", json: { password: NEW_PASSWORD } }),
      403,
      "forbidden",
    );
    await login(acc.emails.owner); // unchanged
    // Admins manage everyone else, including other admins.
    expect(
      (await createOperator({ email: "adm2@ops.test", name: "Adm2", role: "admin", password: PASSWORD }, admin1))
        .operator.role,
    ).toBe("admin");
    // Owners and keys may make owners.
    const made = await expectJson<Operator>(
      await admin(`/operators/${acc.id}_bob`, ownerToken, { method: "PATCH", json: { role: "owner" } }),
      200,
    );
    expect(made.role).toBe("owner");
    expect(
      (
        await expectJson<Operator>(
          await admin(`/operators/${acc.id}_bob`, acc.apiKey, { method: "PATCH", json: { role: "operator" } }),
          200,
        )
      ).role,
    ).toBe("operator");
  });

  it("applies a role change to the very next request of that operator", async () => {
    const bob = (await login(acc.emails.bob)).token;
    await expectProblem(await admin("/account", bob), 403, "forbidden");
    await expectJson(
      await admin(`/operators/${acc.id}_bob`, admin1, { method: "PATCH", json: { role: "admin" } }),
      200,
    );
    await expectJson(await admin("/account", bob), 200);
    await expectJson(
      await admin(`/operators/${acc.id}_bob`, admin1, { method: "PATCH", json: { role: "operator" } }),
      200,
    );
    await expectProblem(await admin("/account", bob), 403, "forbidden");
  });

  it("never lets the last active owner be demoted or deactivated", async () => {
    const solo = await seedAccount("solo");
    const soloOwner = `${solo.id}_owner`;
    const before = await expectJson<Operator>(await admin(`/operators/${soloOwner}`, solo.apiKey), 200);
    await expectProblem(
      await admin(`/operators/${soloOwner}`, solo.apiKey, { method: "PATCH", json: { role: "admin" } }),
      409,
      "last_owner",
    );
    await expectProblem(
      await admin(`/operators/${soloOwner}`, solo.apiKey, {
        method: "PATCH",
        json: { active: false, name: "Renamed" },
      }),
      409,
      "last_owner",
    );
    const token = (await login(solo.emails.owner)).token;
    await expectProblem(
      await admin(`/operators/${soloOwner}`, token, { method: "PATCH", json: { role: "operator" } }),
      409,
      "last_owner",
    );
    expect(await expectJson(await admin(`/operators/${soloOwner}`, solo.apiKey), 200)).toEqual(before);

    // A deactivated owner does not count: promoting one leaves the account no better off.
    await expectJson(
      await admin(`/operators/${solo.id}_ann`, solo.apiKey, {
        method: "PATCH",
        json: { role: "owner", active: false },
      }),
      200,
    );
    await expectProblem(
      await admin(`/operators/${soloOwner}`, solo.apiKey, { method: "PATCH", json: { role: "admin" } }),
      409,
      "last_owner",
    );

    // With a second active owner, either may step down, but not both.
    await expectJson(
      await admin(`/operators/${solo.id}_ann`, solo.apiKey, { method: "PATCH", json: { active: true } }),
      200,
    );
    expect(
      (
        await expectJson<Operator>(
          await admin(`/operators/${soloOwner}`, token, { method: "PATCH", json: { role: "admin" } }),
          200,
        )
      ).role,
    ).toBe("admin");
    await expectProblem(
      await admin(`/operators/${solo.id}_ann`, solo.apiKey, { method: "PATCH", json: { active: false } }),
      409,
      "last_owner",
    );
  });
});

describe("changing operators", () => {
  it("renames and moves an operator between departments; their open console follows", async () => {
    const bobId = `${acc.id}_bob`;
    const lobby = await connectLobby((await login(acc.emails.bob)).token);
    lobby.client.drain();
    const moved = await expectJson<Operator>(
      await admin(`/operators/${bobId}`, acc.apiKey, {
        method: "PATCH",
        json: { name: "Robert", departmentIds: [acc.salesId] },
      }),
      200,
    );
    expect(moved).toMatchObject({ name: "Robert", departmentIds: [acc.salesId] });
    expect((await lobby.client.next("lobby")).you).toMatchObject({
      id: bobId,
      name: "Robert",
      departmentIds: [acc.salesId],
    });
    expect(await lobby.client.next("config_changed")).toEqual({ type: "config_changed", what: "canned" });
    const cleared = await expectJson<Operator>(
      await admin(`/operators/${bobId}`, acc.apiKey, {
        method: "PATCH",
        json: { name: "Bob", departmentIds: [`${acc.id}_support`] },
      }),
      200,
    );
    expect(cleared.departmentIds).toEqual([`${acc.id}_support`]);
    lobby.client.close();
  });

  it("resets a password, which signs out every earlier session and closes its consoles", async () => {
    const before = (await login(acc.emails.ann)).token;
    const lobby = await connectLobby(before);
    expect((await call("/api/operator/me", { token: before })).status).toBe(200);

    const res = await admin(`/operators/${acc.id}_ann/password`, acc.apiKey, {
      method: "POST",
      json: { password: NEW_PASSWORD },
    });
    expect(res.status).toBe(204);
    await expectProblem(
      await call("/api/operator/login", { method: "POST", json: { email: acc.emails.ann, password: PASSWORD } }),
      401,
      "bad_credentials",
    );
    // The old session is over, over HTTP and on its open console, even though its token has not expired.
    await expectProblem(await call("/api/operator/me", { token: before }), 401, "token_expired");
    // Closed as "session ended" (4001): the console signs in again rather than reconnecting.
    await expect.poll(() => lobby.client.closed?.code).toBe(SESSION_ENDED_CLOSE_CODE);
    expect((await upgrade((await startChat(acc.id)).chatId, before)).status).toBe(401);
    // A sign-in with the new password works, and keeps working.
    const after = (await login(acc.emails.ann, NEW_PASSWORD)).token;
    expect((await call("/api/operator/me", { token: after })).status).toBe(200);
    await admin(`/operators/${acc.id}_ann/password`, acc.apiKey, { method: "POST", json: { password: PASSWORD } });
    await expectProblem(await call("/api/operator/me", { token: after }), 401, "token_expired");
  });
});

describe("deactivation", () => {
  it("stops the operator at once: HTTP, sign-in, the lobby socket and chat sockets", async () => {
    const { operator } = await createOperator({
      email: "dee@ops.test",
      name: "Dee",
      departmentIds: [acc.salesId],
      password: PASSWORD,
    });
    const token = (await login("dee@ops.test")).token;
    const watcher = await connectLobby((await login(acc.emails.owner)).token);
    const lobby = await connectLobby(token);
    const chat = await startChat(acc.id, { departmentId: acc.salesId });
    const room = await operatorJoins(chat.chatId, token);
    // The chat index learns of the join just after the join message goes out.
    await expect
      .poll(
        async () =>
          (await database(env.DB).select({ ids: chats.operatorIds }).from(chats).where(eq(chats.id, chat.chatId)).get())
            ?.ids,
      )
      .toContain(operator.id);
    watcher.client.drain();

    const after = await expectJson<Operator>(
      await admin(`/operators/${operator.id}`, acc.apiKey, { method: "PATCH", json: { active: false } }),
      200,
    );
    expect(after.active).toBe(false);

    await expect.poll(() => lobby.client.closed).toEqual({ code: DEACTIVATED_CLOSE_CODE, reason: "deactivated" });
    await expect.poll(() => room.closed).toEqual({ code: DEACTIVATED_CLOSE_CODE, reason: "deactivated" });
    // Colleagues no longer see them at all: not in the team list, not as a transfer target.
    expect(await watcher.client.next("operator_gone")).toEqual({ type: "operator_gone", operatorId: operator.id });
    const later = await connectLobby((await login(acc.emails.owner)).token);
    expect(later.snapshot.operators.map((op) => op.id)).not.toContain(operator.id);
    later.client.close();

    await expectProblem(await call("/api/operator/me", { token }), 403, "deactivated");
    await expectProblem(
      await call("/api/operator/login", { method: "POST", json: { email: "dee@ops.test", password: PASSWORD } }),
      401,
      "bad_credentials",
    );
    await expectProblem(await upgrade(chat.chatId, token), 403, "deactivated");

    // Reactivated, they may sign in again.
    await expectJson(
      await admin(`/operators/${operator.id}`, acc.apiKey, { method: "PATCH", json: { active: true } }),
      200,
    );
    await login("dee@ops.test");
    watcher.client.close();
  });
});
