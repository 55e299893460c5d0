// Business hours per department (docs/routing.md): a weekly schedule in a time zone plus closed
// dates. Outside them the widget offers a message instead of a chat and a new chat is refused;
// the schedule is wall-clock time in the department's zone, daylight-saving changes included.
import { describe, expect, it } from "vitest";
import type { Department } from "../src/shared/admin-api.ts";
import { isOpenAt, localTime, type BusinessHours } from "../src/shared/business-hours.ts";
import type { WidgetConfig } from "../src/shared/widget-api.ts";
import { admin, call, expectJson, expectProblem, login, onlineLobby, seedAccount } from "./helpers.ts";

const weekdays9to5 = { from: "09:00", to: "17:00" };
const BERLIN: BusinessHours = {
  timeZone: "Europe/Berlin",
  weekly: { mon: [weekdays9to5], tue: [weekdays9to5], wed: [weekdays9to5], thu: [weekdays9to5], fri: [weekdays9to5] },
  closedDates: ["2026-12-24", "2026-12-25"],
};
const at = (iso: string) => Date.parse(iso);

describe("isOpenAt", () => {
  it("keeps 09:00–17:00 local across the spring and autumn clock changes", () => {
    // Before 29 March 2026 Berlin is UTC+1, after it UTC+2: 09:00 local is 08:00, then 07:00 UTC.
    expect(isOpenAt(BERLIN, at("2026-03-27T08:00:00Z"))).toBe(true); // Fri 09:00 CET
    expect(isOpenAt(BERLIN, at("2026-03-27T07:59:00Z"))).toBe(false); // Fri 08:59 CET
    expect(isOpenAt(BERLIN, at("2026-03-30T07:00:00Z"))).toBe(true); // Mon 09:00 CEST
    expect(isOpenAt(BERLIN, at("2026-03-30T06:59:00Z"))).toBe(false); // Mon 08:59 CEST
    expect(isOpenAt(BERLIN, at("2026-03-30T14:59:00Z"))).toBe(true); // Mon 16:59 CEST
    expect(isOpenAt(BERLIN, at("2026-03-30T15:00:00Z"))).toBe(false); // Mon 17:00 CEST: closed
    // Back to UTC+1 on 25 October 2026.
    expect(isOpenAt(BERLIN, at("2026-10-23T06:30:00Z"))).toBe(false); // Fri 08:30 CEST
    expect(isOpenAt(BERLIN, at("2026-10-26T08:30:00Z"))).toBe(true); // Mon 09:30 CET
    expect(isOpenAt(BERLIN, at("2026-10-26T07:30:00Z"))).toBe(false); // Mon 08:30 CET
  });

  it("is closed on weekends and closed dates, open all day until 24:00, always open without hours", () => {
    expect(isOpenAt(BERLIN, at("2026-03-28T10:00:00Z"))).toBe(false); // Saturday
    expect(isOpenAt(BERLIN, at("2026-12-24T10:00:00Z"))).toBe(false); // Thursday, closed date
    expect(isOpenAt(BERLIN, at("2026-12-23T10:00:00Z"))).toBe(true);
    const allDay: BusinessHours = {
      timeZone: "America/New_York",
      weekly: { sun: [{ from: "00:00", to: "24:00" }] },
      closedDates: [],
    };
    // 23:59 on Sunday in New York is 04:59 UTC on Monday.
    expect(isOpenAt(allDay, at("2026-12-07T04:59:00Z"))).toBe(true);
    expect(isOpenAt(allDay, at("2026-12-07T05:00:00Z"))).toBe(false);
    expect(localTime("America/New_York", at("2026-12-07T04:59:00Z"))).toEqual({
      date: "2026-12-06",
      weekday: "sun",
      time: "23:59",
    });
    expect(isOpenAt(null, at("2026-03-28T10:00:00Z"))).toBe(true);
  });
});

describe("departments with business hours", () => {
  it("refuses malformed hours with the field named and keeps the department as it was", async () => {
    const acc = await seedAccount("hours-bad");
    const path = `/departments/${acc.salesId}`;
    const bad: [unknown, string][] = [
      [{ ...BERLIN, timeZone: "Mars/Olympus" }, "businessHours.timeZone"],
      [{ ...BERLIN, weekly: { mon: [{ from: "17:00", to: "09:00" }] } }, "businessHours.weekly.mon.0"],
      [{ ...BERLIN, weekly: { mon: [{ from: "9:00", to: "17:00" }] } }, "businessHours.weekly.mon.0.from"],
      [{ ...BERLIN, weekly: { someday: [] } }, "businessHours.weekly.someday"],
      [{ ...BERLIN, closedDates: ["24.12.2026"] }, "businessHours.closedDates.0"],
    ];
    for (const [businessHours, field] of bad) {
      const problem = await expectProblem(
        await admin(path, acc.apiKey, { method: "PATCH", json: { businessHours } }),
        422,
        "validation_failed",
      );
      expect(problem.fields?.map((f) => f.path)).toContain(field);
    }
    const dep = await expectJson<Department>(await admin(path, acc.apiKey), 200);
    expect(dep.businessHours).toBeNull();
    const saved = await expectJson<Department>(
      await admin(path, acc.apiKey, { method: "PATCH", json: { businessHours: BERLIN } }),
      200,
    );
    expect(saved.businessHours).toEqual(BERLIN);
  });

  it("outside its hours: the widget sees it closed and offline, a chat is refused, a message gets through", async () => {
    const acc = await seedAccount("hours");
    const closedAlways: BusinessHours = { timeZone: "Europe/Berlin", weekly: {}, closedDates: [] };
    const openAlways: BusinessHours = {
      timeZone: "Europe/Berlin",
      weekly: Object.fromEntries(
        ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((day) => [day, [{ from: "00:00", to: "24:00" }]]),
      ),
      closedDates: [],
    };
    await admin(`/departments/${acc.salesId}`, acc.apiKey, { method: "PATCH", json: { businessHours: closedAlways } });
    await admin(`/departments/${acc.id}_support`, acc.apiKey, {
      method: "PATCH",
      json: { businessHours: openAlways },
    });
    // Ann (Sales) and Bob (Support) are online.
    await onlineLobby((await login(acc.emails.ann)).token);
    await onlineLobby((await login(acc.emails.bob)).token);

    const config = async (department: string) =>
      expectJson<WidgetConfig>(await call(`/api/widget/config?account=${acc.id}&department=${department}`), 200);
    const sales = await config(acc.salesId);
    expect(sales.online).toBe(false);
    expect(sales.departments).toEqual([
      { id: acc.salesId, name: "Sales", open: false },
      { id: `${acc.id}_support`, name: "Support", open: true },
    ]);
    expect((await config(`${acc.id}_support`)).online).toBe(true);

    const problem = await expectProblem(
      await call("/api/visitor/sessions", {
        method: "POST",
        json: { accountId: acc.id, name: "Vera", departmentId: acc.salesId },
      }),
      409,
      "department_closed",
    );
    expect(problem.detail).toContain("Sales is closed now");
    const offline = await call("/api/visitor/offline-messages", {
      method: "POST",
      json: {
        accountId: acc.id,
        name: "Vera",
        email: "vera@example.com",
        text: "Call me back",
        departmentId: acc.salesId,
      },
    });
    expect(offline.status).toBe(201);
    await offline.body?.cancel();
    const support = await call("/api/visitor/sessions", {
      method: "POST",
      json: { accountId: acc.id, name: "Vera", departmentId: `${acc.id}_support` },
    });
    expect(support.status).toBe(201);
    await support.body?.cancel();
  });
});
