// `GET /api/operator/storage`: the account's file storage use and quota, for the console to tell
// an operator before an upload starts that the file would not fit. Any operator of the account
// may read it: they are told the same numbers when an upload is refused.
import { Hono } from "hono/tiny";
import { requireOperator } from "../auth/guards.ts";
import type { AppEnv } from "../app-env.ts";
import { readStorageUsage } from "../files/quota.ts";

export const operatorStorageRoutes = new Hono<AppEnv>().get("/storage", requireOperator, async (c) =>
  c.json(await readStorageUsage(c.env, c.var.operator.accountId)),
);
