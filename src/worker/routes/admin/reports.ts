// Reports for the admin API: the console's figures, as JSON or CSV (src/shared/reports.ts).
import { Hono } from "hono/tiny";
import { ReportQuery, reportSchema } from "../../../shared/reports.ts";
import { validate } from "../../http.ts";
import type { AppEnv } from "../../app-env.ts";
import { answerReport } from "../reports.ts";
import { describe } from "./openapi.ts";

export const reportAdminRoutes = new Hono<AppEnv>().get(
  "/reports",
  describe(
    API_DOCS && {
      id: "getReport",
      tag: "Reports",
      summary: "Chats, answers, durations, ratings and busiest hours over a range of days",
      description:
        "For the UTC days `from` to `to` (YYYY-MM-DD, at most 731 days), for the account or one `departmentId` (where the chat started) or one `operatorId` (who answered it first). A chat counts on the day it started. Medians and 90th percentiles are read from buckets (docs/reports.md). `timeZone` (IANA, default UTC) places the busiest hours. Figures follow the chats within seconds. `format=csv` answers a CSV file with a line per day and a line of totals.",
      input: "query",
      ok: { status: 200, description: "The report (or, with format=csv, text/csv).", schema: reportSchema() },
    },
  ),
  validate("query", ReportQuery),
  async (c) => answerReport(c, c.var.principal.accountId, c.req.valid("query")),
);
