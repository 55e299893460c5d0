// Reports: the figures a team reads (chats started, answered, missed; first answer and duration
// spreads; messages per chat; ratings; busiest hours) come from daily aggregates the events
// consumer keeps, whatever order and however often the queue delivers events; each account sees
// only its own, and an operator only their own.
import { env } from "cloudflare:workers";
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { ChatEvent } from "../src/shared/events.ts";
import { DURATION_BOUNDS_S, FIRST_ANSWER_BOUNDS_S, percentile, type Report } from "../src/shared/reports.ts";
import { consumeEvents } from "../src/worker/events.ts";
import { DAYS_SQL } from "../src/server/reports/report-reader.ts";
import { writeFacts, type ReportFacts } from "../src/server/reports/report-writer.ts";
import {
  admin,
  call,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
  eventually,
} from "./helpers.ts";

let acme: SeededAccount;
let other: SeededAccount;
let ownerToken: string;
let annToken: string;
const today = new Date().toISOString().slice(0, 10);

async function report(query: string, token = ownerToken) {
  return expectJson<Report>(await call(`/api/operator/reports?${query}`, { token }), 200);
}

/** Hands these events to the consumer as the queue would, and checks it took them all. */
async function deliver(events: ChatEvent[]) {
  const batch = createMessageBatch(
    "parley-events",
    events.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body: JSON.stringify(body) })),
  );
  const ctx = createExecutionContext();
  await consumeEvents(batch, env);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages).toEqual([]);
  expect(result.explicitAcks).toHaveLength(events.length);
}

/** A chat known to the index (as its room would record it), whose events the test writes itself. */
async function indexedChat(account: SeededAccount, chatId: string, startedAt: number, departmentId: string | null) {
  await env.DB.prepare(
    "INSERT INTO chats (id, account_id, department_id, visitor_id, visitor_name, created_at) VALUES (?, ?, ?, 'v', 'Vi', ?)",
  )
    .bind(chatId, account.id, departmentId, startedAt)
    .run();
}

/** A whole chat's events: started at `start`, answered by Ann after `answerS` seconds, rated,
 * closed after `durationS` seconds with 6 messages. */
function chatEvents(account: SeededAccount, chatId: string, start: number, answerS: number, durationS: number) {
  const base = { accountId: account.id, chatId };
  const ann = { kind: "operator" as const, id: `${account.id}_ann`, name: "Ann" };
  const visitor = { kind: "visitor" as const, id: "v", name: "Vi" };
  const answerAt = start + answerS * 1000;
  const events: ChatEvent[] = [
    {
      ...base,
      id: `${chatId}.e1`,
      type: "chat.started",
      at: start,
      departmentId: account.salesId,
      offline: false,
      visitor: { id: "v", name: "Vi", email: null },
    },
    {
      ...base,
      id: `${chatId}.1`,
      type: "message.created",
      at: start,
      message: { seq: 1, cid: "a", kind: "text", author: visitor, text: "hello", at: start },
    },
    // A note before the answer answers nobody.
    {
      ...base,
      id: `${chatId}.2`,
      type: "message.created",
      at: answerAt - 500,
      message: { seq: 2, cid: "n", kind: "note", author: ann, text: "vip", at: answerAt - 500 },
    },
    {
      ...base,
      id: `${chatId}.3`,
      type: "message.created",
      at: answerAt,
      message: { seq: 3, cid: "b", kind: "text", author: ann, text: "hi", at: answerAt },
    },
    {
      ...base,
      id: `${chatId}.4`,
      type: "message.created",
      at: answerAt + 9000,
      message: { seq: 4, cid: "c", kind: "text", author: ann, text: "more", at: answerAt + 9000 },
    },
    {
      ...base,
      id: `${chatId}.e2`,
      type: "chat.rated",
      at: start + 100_000,
      rating: "bad",
      comment: "slow <b>answer</b>",
    },
    {
      ...base,
      id: `${chatId}.e3`,
      type: "chat.rated",
      at: start + 200_000,
      rating: "good",
      comment: "Thanks, <b>great</b>",
    },
    { ...base, id: `${chatId}.e4`, type: "chat.closed", at: start + durationS * 1000, by: ann, messages: 6 },
  ] as ChatEvent[];
  return events;
}

beforeAll(async () => {
  acme = await seedAccount("reports");
  other = await seedAccount("reports-other");
  ownerToken = (await login(acme.emails.owner)).token;
  annToken = (await login(acme.emails.ann)).token;
});

describe("the report's figures", () => {
  it("follows a real chat within seconds: started, answered, rated, closed, messages", async () => {
    const before = await report(`from=${today}&to=${today}`);
    const session = await startChat(acme.id, { departmentId: acme.salesId });
    const { client: visitor } = await join(session.chatId, session.token);
    visitor.send({ type: "message", cid: "v1", text: "Do you ship to Iceland?" });
    await visitor.next("ack");
    const operator = await operatorJoins(session.chatId, annToken);
    operator.send({ type: "message", cid: "o1", text: "We do!" });
    await operator.next("ack");
    visitor.send({ type: "rate", rating: "good", comment: "Quick & <i>kind</i>" });
    operator.send({ type: "close" });
    await visitor.next("rating");
    visitor.close();
    operator.close();

    const after = await eventually(
      () => report(`from=${today}&to=${today}`),
      (r) => r.totals.closed > before.totals.closed && r.totals.ratedGood > before.totals.ratedGood,
    );
    const { totals } = after;
    expect(totals.started - before.totals.started).toBe(1);
    expect(totals.answered - before.totals.answered).toBe(1);
    expect(totals.firstAnswer.count - before.totals.firstAnswer.count).toBe(1);
    expect(totals.duration.count - before.totals.duration.count).toBe(1);
    expect(after.comments.map((c) => c.comment)).toContain("Quick & <i>kind</i>");
    expect(after.days).toHaveLength(1);
    expect(after.days[0]!.day).toBe(today);

    // Ann's own figures hold her chat, and her department's too.
    const mine = await report(`from=${today}&to=${today}`, annToken);
    expect(mine.operatorId).toBe(`${acme.id}_ann`);
    expect(mine.totals.answered).toBeGreaterThanOrEqual(1);
    const sales = await report(`from=${today}&to=${today}&departmentId=${acme.salesId}`);
    expect(sales.totals.started).toBeGreaterThanOrEqual(1);
  });

  it("counts each chat once however often and in whatever order its events come", async () => {
    const start = Date.parse("2025-03-03T09:15:00Z"); // a Monday
    await indexedChat(acme, "rep_order", start, acme.salesId);
    const events = chatEvents(acme, "rep_order", start, 40, 600);
    await deliver([...events].reverse());
    await deliver(events);
    await deliver([events[3]!, events[7]!, events[0]!, events[0]!]);

    const r = await report("from=2025-03-03&to=2025-03-03");
    expect(r.totals).toMatchObject({
      started: 1,
      answered: 1,
      missed: 0,
      closed: 1,
      ratedGood: 1,
      ratedBad: 0,
      messagesPerChat: 6,
      goodShare: 1,
    });
    // 40 s lies in the 30–45 s bucket; 600 s in 600–900 s.
    expect(r.totals.firstAnswer.count).toBe(1);
    expect(r.totals.firstAnswer.median).toBeGreaterThanOrEqual(30);
    expect(r.totals.firstAnswer.median).toBeLessThan(45);
    expect(r.totals.duration.median).toBeGreaterThanOrEqual(600);
    expect(r.totals.duration.median).toBeLessThan(900);
    expect(r.comments).toEqual([
      { chatId: "rep_order", rating: "good", comment: "Thanks, <b>great</b>", at: start + 200_000 },
    ]);
    expect(r.busiestHours[0]![9]).toBe(1);
    // Ann answered first: the chat is hers.
    const ann = await report(`from=2025-03-03&to=2025-03-03&operatorId=${acme.id}_ann`);
    expect(ann.totals.answered).toBe(1);
    const bob = await report(`from=2025-03-03&to=2025-03-03&operatorId=${acme.id}_bob`);
    expect(bob.totals.started).toBe(0);
  });

  it("moves a chat's figures when a later event changes them, and counts missed chats", async () => {
    const start = Date.parse("2025-04-07T12:00:00Z");
    await indexedChat(acme, "rep_missed", start, null);
    const base = { accountId: acme.id, chatId: "rep_missed" };
    await deliver([
      {
        ...base,
        id: "rep_missed.e1",
        type: "chat.started",
        at: start,
        departmentId: null,
        offline: false,
        visitor: { id: "v", name: "Vi", email: null },
      },
      { ...base, id: "rep_missed.e2", type: "chat.missed", at: start + 300_000 },
    ] as ChatEvent[]);
    let r = await report("from=2025-04-07&to=2025-04-07");
    expect(r.totals).toMatchObject({ started: 1, missed: 1, answered: 0, closed: 0 });
    expect(r.totals.firstAnswer.median).toBeNull();
    // Taken late after all: answered, and in the answerer's figures now.
    const bob = { kind: "operator" as const, id: `${acme.id}_bob`, name: "Bob" };
    const at = start + 3_000_000;
    await deliver([
      {
        ...base,
        id: "rep_missed.2",
        type: "message.created",
        at,
        message: { seq: 2, cid: "x", kind: "text", author: bob, text: "sorry", at },
      },
    ] as ChatEvent[]);
    r = await report("from=2025-04-07&to=2025-04-07");
    expect(r.totals).toMatchObject({ started: 1, missed: 1, answered: 1 });
    expect(r.totals.firstAnswer.median).toBeGreaterThanOrEqual(1800);
    const bobs = await report(`from=2025-04-07&to=2025-04-07&operatorId=${acme.id}_bob`);
    expect(bobs.totals).toMatchObject({ started: 1, answered: 1 });
  });

  it("places the busiest hours in the time zone asked for", async () => {
    const start = Date.parse("2025-05-05T23:30:00Z"); // Monday 23:30 UTC = Tuesday 01:30 in Berlin (summer)
    await indexedChat(acme, "rep_zone", start, null);
    const base = { accountId: acme.id, chatId: "rep_zone" };
    await deliver([
      {
        ...base,
        id: "rep_zone.e1",
        type: "chat.started",
        at: start,
        departmentId: null,
        offline: true,
        visitor: { id: "v", name: "Vi", email: null },
      },
    ] as ChatEvent[]);
    const utc = await report("from=2025-05-05&to=2025-05-05");
    expect(utc.busiestHours[0]![23]).toBe(1);
    expect(utc.totals.offline).toBe(1);
    const berlin = await report("from=2025-05-05&to=2025-05-05&timeZone=Europe/Berlin");
    expect(berlin.busiestHours[1]![1]).toBe(1);
    expect(berlin.busiestHours.flat().reduce((a, b) => a + b)).toBe(1);
  });

  it("never counts another account's chats, nor takes facts for a chat of another account", async () => {
    const start = Date.parse("2025-06-02T10:00:00Z");
    await indexedChat(other, "rep_other", start, null);
    const events = chatEvents(other, "rep_other", start, 5, 60);
    await deliver(events);
    // An event that claims the other account's chat for acme writes nothing.
    await deliver([{ ...events[0]!, id: "forged", accountId: acme.id }]);
    expect((await report("from=2025-06-02&to=2025-06-02")).totals.started).toBe(0);
    const otherOwner = (await login(other.emails.owner)).token;
    expect((await report("from=2025-06-02&to=2025-06-02", otherOwner)).totals.started).toBe(1);
  });
});

describe("who may read which report", () => {
  it("limits an operator to their own figures", async () => {
    await expectProblem(
      await call(`/api/operator/reports?from=${today}&to=${today}&operatorId=${acme.id}_bob`, { token: annToken }),
      403,
      "forbidden",
    );
    await expectProblem(
      await call(`/api/operator/reports?from=${today}&to=${today}&departmentId=${acme.salesId}`, { token: annToken }),
      403,
      "forbidden",
    );
    await expectProblem(await call(`/api/operator/reports?from=${today}&to=${today}`), 401, "token_missing");
  });

  it("answers the admin API with the same report, and as CSV", async () => {
    const viaKey = await expectJson<Report>(await admin("/reports?from=2025-03-01&to=2025-03-31", acme.apiKey), 200);
    expect(viaKey.days).toHaveLength(31);
    expect(viaKey.totals.started).toBe(1);
    const res = await admin("/reports?from=2025-03-01&to=2025-03-31&format=csv", acme.apiKey);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toContain('filename="parley-report-2025-03-01-2025-03-31.csv"');
    const lines = (await res.text()).trimEnd().split("\r\n");
    expect(lines[0]).toBe("day,started,answered,missed,offline,closed,ratedGood,ratedBad,firstAnswerMedian");
    expect(lines).toHaveLength(33);
    expect(lines[3]).toMatch(/^2025-03-03,1,1,0,0,1,1,0,3\d$/);
    expect(lines[32]).toMatch(/^total,1,1,0,0,1,1,0,3\d$/);
    await expectProblem(await admin("/reports?from=2025-03-01&to=2025-03-31", annToken), 403, "forbidden");
  });

  it("refuses a bad range with a clear error", async () => {
    for (const query of [
      "from=2025-03-05&to=2025-03-01",
      "from=2025-3-5&to=2025-03-06",
      "to=2025-03-06",
      "from=2020-01-01&to=2025-01-01",
      `from=2025-03-01&to=2025-03-02&departmentId=${acme.salesId}&operatorId=${acme.id}_ann`,
      "from=2025-03-01&to=2025-03-02&timeZone=Mars/Olympus",
      "from=2025-03-01&to=2025-03-02&format=xml",
    ])
      await expectProblem(
        await call(`/api/operator/reports?${query}`, { token: ownerToken }),
        422,
        "validation_failed",
      );
  });
});

describe("the aggregates", () => {
  it("has a column for every bucket of the shared bounds", async () => {
    const { results } = await env.DB.prepare("SELECT name FROM pragma_table_info('report_days')").all<{
      name: string;
    }>();
    const columns = new Set(results.map((row) => row.name));
    for (const [prefix, bounds] of [
      ["fa", FIRST_ANSWER_BOUNDS_S],
      ["du", DURATION_BOUNDS_S],
    ] as const) {
      expect(columns.has(`${prefix}${bounds.length}`)).toBe(true);
      expect(columns.has(`${prefix}${bounds.length + 1}`)).toBe(false);
    }
  });

  it("reads a few hundred rows for a year of chats, not a row per chat", async () => {
    const account = await seedAccount("reports-year");
    const first = Date.parse("2024-01-01T08:00:00Z");
    const facts: ReportFacts[] = [];
    const chats = env.DB.prepare(
      "INSERT INTO chats (id, account_id, visitor_id, visitor_name, created_at) SELECT value ->> 0, ?, 'v', 'V', value ->> 1 FROM json_each(?)",
    );
    const rows: [string, number][] = [];
    for (let i = 0; i < 3000; i++) {
      const at = first + (i % 366) * 86_400_000 + (i % 9) * 3_600_000;
      rows.push([`year_${i}`, at]);
      facts.push([
        `year_${i}`,
        account.id,
        at,
        i % 2 ? account.salesId : null,
        0,
        `${account.id}_ann`,
        at + 20_000,
        at + 600_000,
        8,
        0,
        "good",
        null,
        at + 700_000,
      ]);
    }
    await chats.bind(account.id, JSON.stringify(rows)).run();
    await env.DB.batch(writeFacts(env.DB, facts));
    const read = await env.DB.prepare(DAYS_SQL).bind(account.id, "department", null, "2024-01-01", "2024-12-31").run();
    expect(read.results).toHaveLength(366);
    expect(read.meta.rows_read).toBeLessThanOrEqual(2 * 366 + 10);
    const owner = (await login(account.emails.owner)).token;
    const r = await report("from=2024-01-01&to=2024-12-31", owner);
    expect(r.totals).toMatchObject({
      started: 3000,
      answered: 3000,
      closed: 3000,
      ratedGood: 3000,
      messagesPerChat: 8,
    });
  });

  it("reads percentiles from buckets", () => {
    expect(percentile([0, 0, 0], [10, 20], 0.5)).toBeNull();
    expect(percentile([2, 0, 0], [10, 20], 0.5)).toBe(5);
    expect(percentile([1, 1, 0], [10, 20], 0.9)).toBe(18);
    expect(percentile([0, 0, 4], [10, 20], 0.5)).toBe(20);
  });
});
