// The admin API, authenticated by the account's API keys or an owner/admin operator.
// The full resource set (departments, operators, canned responses, keys, settings, chats)
// grows here; for now it answers who the caller's account is.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { requireAdmin } from "../auth/principal.ts";
import { database } from "../db/index.ts";
import { accounts } from "../db/schema.ts";
import { ProblemError, type AppEnv } from "../http.ts";

export const adminRoutes = new Hono<AppEnv>().use(requireAdmin).get("/account", async (c) => {
  const account = await database(c.env.DB).select({ id: accounts.id, name: accounts.name }).from(accounts).where(eq(accounts.id, c.var.principal.accountId)).get();
  if (!account) throw new ProblemError(404, "not_found", "The account no longer exists.");
  return c.json(account);
});
