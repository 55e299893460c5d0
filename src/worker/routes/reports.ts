// Reports for the console: owners and admins see any figures of their account; an operator sees
// only their own (the chats they answered), so a query for anyone else's is refused.
import { Hono } from "hono/tiny";
import type { Context } from "hono";
import { ReportQuery } from "../../shared/reports.ts";
import { readReport, reportCsv } from "../../server/reports/report-reader.ts";
import { ProblemError } from "../../server/problems.ts";
import { requireOperator } from "../auth/guards.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";

/** The report as JSON, or with `format=csv` as a CSV file to save. */
export async function answerReport(c: Context, accountId: string, query: ReportQuery): Promise<Response> {
  const report = await readReport(c.env.DB, accountId, query);
  if (query.format === "json") return c.json(report);
  return c.body(reportCsv(report), 200, {
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="parley-report-${query.from}-${query.to}.csv"`,
  });
}

export const reportRoutes = new Hono<AppEnv>().get(
  "/reports",
  requireOperator,
  validate("query", ReportQuery),
  async (c) => {
    const { operator } = c.var;
    const query = c.req.valid("query");
    if (operator.role === "operator") {
      if (query.departmentId || (query.operatorId && query.operatorId !== operator.operatorId))
        throw new ProblemError(403, "forbidden", "Operators see reports of their own chats only.");
      query.operatorId = operator.operatorId;
    }
    return answerReport(c, operator.accountId, query);
  },
);
