// Reports: what a support team measures, for a range of days and optionally one department or one
// operator. The figures come from daily aggregates the events queue consumer keeps up to date
// (src/server/reports/), so a year's report reads a few hundred rows. The console's Reports page,
// `GET /api/operator/reports` and `GET /api/admin/v1/reports` answer the same Report; docs/reports.md
// says what each figure means and how late it may be.
import * as v from "valibot";
import { BusinessHoursSchema } from "./business-hours.ts";
import { Id, named } from "./protocol.ts";

/** Upper bounds (seconds, exclusive) of the buckets that count time to the first answer; the
 * last bucket has none. Medians and 90th percentiles are read from them (see `percentile`). */
export const FIRST_ANSWER_BOUNDS_S = [5, 10, 15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1800, 3600] as const;
/** The same for how long closed chats lasted, start to close. */
export const DURATION_BOUNDS_S = [60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200, 14400, 28800, 86400] as const;
/** The longest range one report covers. */
export const MAX_REPORT_DAYS = 731;

const DAY = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;
const Day = (what: string) =>
  v.pipe(v.string(`${what} is a date, YYYY-MM-DD.`), v.regex(DAY, `${what} is a date, YYYY-MM-DD.`));

/** A report's question. Days are UTC days (a chat counts on the day it started); `timeZone` only
 * turns the busiest hours into local weekdays and hours. */
export const ReportQuery = v.pipe(
  v.strictObject({
    from: Day("from"),
    to: Day("to"),
    departmentId: v.optional(Id),
    operatorId: v.optional(Id),
    timeZone: v.optional(BusinessHoursSchema.entries.timeZone, "UTC"),
    format: v.optional(v.picklist(["json", "csv"], "The format is json or csv."), "json"),
  }),
  v.check((q) => q.from <= q.to, "from must not be after to."),
  v.check(
    (q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < MAX_REPORT_DAYS,
    `A report covers at most ${MAX_REPORT_DAYS} days.`,
  ),
  v.check((q) => !(q.departmentId && q.operatorId), "Choose a department or an operator, not both."),
);
export type ReportQuery = v.InferOutput<typeof ReportQuery>;

const Seconds = () => v.nullable(v.number());
const counts = () => ({
  started: v.number(),
  /** An operator wrote in it. */
  answered: v.number(),
  /** Nobody took it before its queue deadline. */
  missed: v.number(),
  /** Left through the offline form. */
  offline: v.number(),
  closed: v.number(),
  ratedGood: v.number(),
  ratedBad: v.number(),
});
const spread = () =>
  v.object({
    /** How many chats the figure is taken from. */
    count: v.number(),
    median: Seconds(),
    p90: Seconds(),
  });

/** The report's schema, for the OpenAPI document only: built on call, so that the Worker, which
 * never validates its own answers, does not carry it. */
export function reportSchema() {
  return named(
    "Report",
    v.object({
      from: v.string(),
      to: v.string(),
      departmentId: v.nullable(v.string()),
      operatorId: v.nullable(v.string()),
      timeZone: v.string(),
      totals: v.object({
        ...counts(),
        /** Seconds from the start to an operator's first message. */
        firstAnswer: spread(),
        /** Seconds from the start to the close, of closed chats. */
        duration: spread(),
        /** Visitor and operator messages per closed chat, on average (null: none closed). */
        messagesPerChat: v.nullable(v.number()),
        /** Share of ratings that are good, 0–1 (null: no ratings). */
        goodShare: v.nullable(v.number()),
      }),
      days: v.array(v.object({ day: v.string(), ...counts(), firstAnswerMedian: Seconds() })),
      /** Chats started per local weekday (0 Monday … 6 Sunday) and hour (0–23), in `timeZone`. */
      busiestHours: v.array(v.array(v.number())),
      /** The newest rating comments in the range (at most 50). */
      comments: v.array(v.object({ chatId: v.string(), rating: v.string(), comment: v.string(), at: v.number() })),
    }),
  );
}
export type Report = v.InferOutput<ReturnType<typeof reportSchema>>;
export type ReportDay = Report["days"][number];

/** The value below which a share `q` (0–1) of the counted items fall, from bucket counts, taking
 * items as spread evenly inside their bucket. Past the last bound it answers that bound. */
export function percentile(counts: readonly number[], bounds: readonly number[], q: number): number | null {
  const total = counts.reduce((sum, n) => sum + n, 0);
  if (!total) return null;
  const rank = q * total;
  let below = 0;
  for (const [i, n] of counts.entries()) {
    if (n && below + n >= rank) {
      const low = i ? bounds[i - 1]! : 0;
      const high = bounds[i] ?? low;
      return Math.round(low + ((high - low) * (rank - below)) / n);
    }
    below += n;
  }
  return bounds[bounds.length - 1]!;
}
