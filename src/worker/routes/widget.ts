// What the widget needs before any chat: the account's public settings, its departments and
// whether someone is online. Public and CORS-enabled; answers only the account's allowed sites.
import { eq } from "drizzle-orm";
import { Hono } from "hono/tiny";
import * as v from "valibot";
import { lobbyOf } from "../../durable/lobby-address.ts";
import type { WidgetConfig } from "../../shared/widget-api.ts";
import { isOpenAt } from "../../shared/business-hours.ts";
import { database } from "../../server/db/index.ts";
import { departments } from "../../server/db/schema.ts";
import { readSettings } from "../../server/db/settings.ts";
import { storageUsed } from "../../server/storage-usage.ts";
import { ProblemError } from "../../server/problems.ts";
import { validate } from "../http.ts";
import type { AppEnv } from "../app-env.ts";
import { requireAllowedOrigin } from "../origin-policy.ts";

const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
/** `department`: the visitor's choice; `online` then says whether someone of that department is. */
const ConfigQuery = v.strictObject({ account: Id, department: v.optional(Id) });

export const widgetRoutes = new Hono<AppEnv>().get("/config", validate("query", ConfigQuery), async (c) => {
  const { account: accountId, department } = c.req.valid("query");
  const settings = await readSettings(c.env.DB, accountId);
  if (!settings) throw new ProblemError(404, "not_found", "There is no such account.");
  requireAllowedOrigin(settings, c.req.raw);
  const [deps, online, used] = await Promise.all([
    database(c.env.DB)
      .select({ id: departments.id, name: departments.name, businessHours: departments.businessHours })
      .from(departments)
      .where(eq(departments.accountId, accountId))
      .orderBy(departments.name)
      .all(),
    lobbyOf(c.env, accountId).onlineOperators(department ?? null),
    storageUsed(c.env.DB, c.env.FILES, accountId),
  ]);
  const storageLeftBytes = Math.max(0, settings.storageQuotaBytes - used);
  const chosen = department === undefined ? undefined : deps.find((d) => d.id === department);
  if (department !== undefined && !chosen)
    throw new ProblemError(404, "not_found", "This account has no such department.");
  const now = Date.now();
  const body: WidgetConfig = {
    displayName: settings.displayName,
    widgetColor: settings.widgetColor,
    greeting: settings.greeting,
    offlineMessage: settings.offlineMessage,
    preChatForm: settings.preChatForm,
    language: settings.language,
    departments: deps.map((d) => ({ id: d.id, name: d.name, open: isOpenAt(d.businessHours, now) })),
    fileSizeLimitBytes: settings.fileSizeLimitBytes,
    ...(storageLeftBytes < settings.fileSizeLimitBytes ? { storageLeftBytes } : {}),
    // Outside its business hours a department takes messages, not chats.
    online: online > 0 && isOpenAt(chosen?.businessHours, now),
  };
  // `online` is live presence: a cached answer would offer a chat nobody is there to take.
  c.header("Cache-Control", "no-cache");
  return c.json(body);
});
