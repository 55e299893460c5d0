// A department's business hours: a weekly schedule in a time zone, and dates it is closed. Outside
// them the widget offers "leave a message" instead of a chat, and the console shows the department
// as closed. The Worker and the console both decide with isOpenAt(), from the same data.
//
// Times are wall-clock times in the department's time zone, so a 09:00–17:00 day stays 09:00–17:00
// across a daylight-saving change; the instant is turned into that zone's date and time with Intl,
// which knows the zone's rules.
import * as v from "valibot";

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

const TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;
const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

/** Whether the runtime knows this IANA time zone (e.g. "Europe/Berlin"). */
function knownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const Interval = v.pipe(
  v.strictObject({
    from: v.pipe(v.string(), v.regex(TIME, "A time is HH:MM, from 00:00 to 24:00.")),
    to: v.pipe(v.string(), v.regex(TIME, "A time is HH:MM, from 00:00 to 24:00.")),
  }),
  v.check((i) => i.from < i.to, "An opening interval must end after it starts (split one that passes midnight)."),
);
export type OpeningInterval = v.InferOutput<typeof Interval>;

const Day = v.optional(v.pipe(v.array(Interval), v.maxLength(8, "At most 8 intervals a day.")));

export const BusinessHoursSchema = v.strictObject({
  timeZone: v.pipe(
    v.string("The time zone must be text."),
    v.check(knownTimeZone, 'The time zone must be an IANA zone such as "Europe/Berlin".'),
  ),
  /** Opening intervals per weekday; a day left out or with none is closed. */
  weekly: v.strictObject({ mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day }),
  /** Dates (YYYY-MM-DD, in the department's time zone) it is closed all day: holidays. */
  closedDates: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.regex(DATE, "A closed date is YYYY-MM-DD."))),
      v.maxLength(366, "At most 366 closed dates."),
    ),
    [],
  ),
});
export type BusinessHours = v.InferOutput<typeof BusinessHoursSchema>;

/** The department's local date, weekday and time at `instant`. */
export function localTime(timeZone: string, instant: number): { date: string; weekday: Weekday; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(instant)
      .map((part) => [part.type, part.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as Weekday,
    time: `${parts.hour}:${parts.minute}`,
  };
}

/** Whether a department with these hours is open at `instant` (no hours: always open). */
export function isOpenAt(hours: BusinessHours | null | undefined, instant: number): boolean {
  if (!hours) return true;
  const local = localTime(hours.timeZone, instant);
  if (hours.closedDates.includes(local.date)) return false;
  return (hours.weekly[local.weekday] ?? []).some(
    (interval) => interval.from <= local.time && local.time < interval.to,
  );
}
