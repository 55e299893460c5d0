// Reports from the daily aggregates (report_days, kept by the events consumer and migration 0009's
// triggers): a year is at most 366 rows per dimension, summed here. Only the rating comments are
// read from the chats' own rows, the newest 50.
import {
  DURATION_BOUNDS_S,
  FIRST_ANSWER_BOUNDS_S,
  percentile,
  type Report,
  type ReportDay,
  type ReportQuery,
} from "../../shared/reports.ts";

const COUNTS = ["started", "answered", "missed", "offline", "closed", "rated_good", "rated_bad"] as const;
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const FA = range("fa", FIRST_ANSWER_BOUNDS_S.length + 1);
const DU = range("du", DURATION_BOUNDS_S.length + 1);
const HOURS = range("h", 24);
const SUMMED = [...COUNTS, "messages", "messages_chats", ...FA, ...DU, ...HOURS];

/** Per day (exported for the test that counts the rows it reads): every chat is in exactly one row of the "department" dimension (key "" for none), so
 * the account's figures are the sum of those rows; an operator's are the rows with their key. */
export const DAYS_SQL = `SELECT day, ${SUMMED.map((c) => `sum(${c}) AS ${c}`).join(", ")} FROM report_days
  WHERE account_id = ?1 AND dimension = ?2 AND (?3 IS NULL OR key = ?3) AND day BETWEEN ?4 AND ?5
  GROUP BY day ORDER BY day`;

const COMMENTS_SQL = `SELECT chat_id AS chatId, rating, rating_comment AS comment, rated_at AS at FROM report_chats
  WHERE account_id = ?1 AND started_at >= ?2 AND started_at < ?3 AND rating_comment IS NOT NULL
    AND (?4 IS NULL OR department_id = ?4) AND (?5 IS NULL OR operator_id = ?5)
  ORDER BY rated_at DESC LIMIT 50`;

type DayRow = { day: string } & Record<string, number>;
const DAY_MS = 86_400_000;
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** Minutes `timeZone` is ahead of UTC at `instant`. */
function offsetMinutes(format: Intl.DateTimeFormat, instant: number): number {
  const p = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  const local = Date.UTC(+p.year!, +p.month! - 1, +p.day!, +p.hour!, +p.minute!);
  return Math.round((local - Math.floor(instant / 60_000) * 60_000) / 60_000);
}

export async function readReport(db: D1Database, accountId: string, query: ReportQuery): Promise<Report> {
  const { from, to, departmentId = null, operatorId = null, timeZone } = query;
  const [dimension, key] = operatorId ? ["operator", operatorId] : ["department", departmentId];
  const start = Date.parse(from);
  const end = Date.parse(to) + DAY_MS;
  const [dayRows, commentRows] = await db.batch([
    db.prepare(DAYS_SQL).bind(accountId, dimension, key, from, to),
    db.prepare(COMMENTS_SQL).bind(accountId, start, end, departmentId, operatorId),
  ]);
  const rows = dayRows!.results as DayRow[];
  const comments = commentRows!.results as Report["comments"];
  const byDay = new Map(rows.map((row) => [row.day, row]));
  const total: Record<string, number> = Object.fromEntries(SUMMED.map((c) => [c, 0]));
  const days: ReportDay[] = [];
  const busiestHours = WEEKDAYS.map(() => Array<number>(24).fill(0));
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
  });
  for (let at = start; at < end; at += DAY_MS) {
    const day = new Date(at).toISOString().slice(0, 10);
    const row = byDay.get(day);
    const count = (column: string) => row?.[column] ?? 0;
    for (const column of SUMMED) total[column]! += count(column);
    days.push({
      day,
      started: count("started"),
      answered: count("answered"),
      missed: count("missed"),
      offline: count("offline"),
      closed: count("closed"),
      ratedGood: count("rated_good"),
      ratedBad: count("rated_bad"),
      firstAnswerMedian: percentile(FA.map(count), FIRST_ANSWER_BOUNDS_S, 0.5),
    });
    if (!row?.started) continue;
    // The day's offset at noon stands for the whole day: a daylight-saving change moves at most
    // that night's hours by one.
    const offsetHours = offsetMinutes(format, at + DAY_MS / 2) / 60;
    for (const [hour, column] of HOURS.entries()) {
      if (!row[column]) continue;
      const local = new Date(at + (hour + offsetHours) * 3_600_000);
      busiestHours[(local.getUTCDay() + 6) % 7]![local.getUTCHours()]! += row[column];
    }
  }
  const spread = (columns: string[], bounds: readonly number[]) => {
    const counts = columns.map((c) => total[c]!);
    return {
      count: counts.reduce((a, b) => a + b, 0),
      median: percentile(counts, bounds, 0.5),
      p90: percentile(counts, bounds, 0.9),
    };
  };
  const rated = total.rated_good! + total.rated_bad!;
  return {
    from,
    to,
    departmentId,
    operatorId,
    timeZone,
    totals: {
      started: total.started!,
      answered: total.answered!,
      missed: total.missed!,
      offline: total.offline!,
      closed: total.closed!,
      ratedGood: total.rated_good!,
      ratedBad: total.rated_bad!,
      firstAnswer: spread(FA, FIRST_ANSWER_BOUNDS_S),
      duration: spread(DU, DURATION_BOUNDS_S),
      messagesPerChat: total.messages_chats ? Math.round((total.messages! / total.messages_chats) * 10) / 10 : null,
      goodShare: rated ? total.rated_good! / rated : null,
    },
    days,
    busiestHours,
    comments,
  };
}

const CSV_COLUMNS: (keyof ReportDay)[] = [
  "day",
  "started",
  "answered",
  "missed",
  "offline",
  "closed",
  "ratedGood",
  "ratedBad",
  "firstAnswerMedian",
];

/** The report's days as CSV (RFC 4180), a line per day and a last line of totals. Nothing in it
 * is typed by a person (no comments), so no cell needs quoting. */
export function reportCsv(report: Report): string {
  const { totals } = report;
  const lines = [
    CSV_COLUMNS.join(","),
    ...report.days.map((day) => CSV_COLUMNS.map((column) => day[column] ?? "").join(",")),
    [
      "total",
      ...CSV_COLUMNS.slice(1, -1).map((c) => totals[c as keyof typeof totals]),
      totals.firstAnswer.median ?? "",
    ].join(","),
  ];
  return lines.join("\r\n") + "\r\n";
}
