// The account itself and its settings, which the widget and the console read.
import { eq } from "drizzle-orm";
import { Hono } from "hono/tiny";
import { Account, Settings, SettingsUpdate } from "../../../shared/admin-api.ts";
import { database } from "../../../server/db/index.ts";
import { accounts } from "../../../server/db/schema.ts";
import { readSettings, updateSettings } from "../../../server/db/settings.ts";
import { ProblemError } from "../../../server/problems.ts";
import { validate } from "../../http.ts";
import { sweepRetention } from "../../retention-sweep.ts";
import type { AppEnv } from "../../app-env.ts";
import { configChanged, routingChanged } from "./live.ts";
import { describe } from "./openapi.ts";

const GONE = "The account no longer exists.";

export const settingsRoutes = new Hono<AppEnv>()
  .get(
    "/account",
    describe(
      API_DOCS && {
        id: "getAccount",
        tag: "Account",
        summary: "The caller's account",
        ok: { status: 200, description: "Its id and name.", schema: Account },
      },
    ),
    async (c) => {
      const account = await database(c.env.DB)
        .select({ id: accounts.id, name: accounts.name })
        .from(accounts)
        .where(eq(accounts.id, c.var.principal.accountId))
        .get();
      if (!account) throw new ProblemError(404, "not_found", GONE);
      return c.json(account);
    },
  )
  .get(
    "/settings",
    describe(
      API_DOCS && {
        id: "getSettings",
        tag: "Settings",
        summary: "Get the settings",
        description: "Settings never changed have their defaults; `displayName` defaults to the account's name.",
        ok: { status: 200, description: "The settings.", schema: Settings },
      },
    ),
    async (c) => {
      const settings = await readSettings(c.env.DB, c.var.principal.accountId);
      if (!settings) throw new ProblemError(404, "not_found", GONE);
      return c.json(settings);
    },
  )
  .patch(
    "/settings",
    describe(
      API_DOCS && {
        id: "updateSettings",
        tag: "Settings",
        summary: "Change settings",
        description:
          "Only the fields sent change. Open consoles are told at once (a `config_changed` lobby frame). Setting or lowering `retentionDays` deletes the chats that ended longer ago than that, within moments (docs/privacy.md).",
        input: "body",
        ok: { status: 200, description: "The settings as they are now.", schema: Settings },
      },
    ),
    validate("json", SettingsUpdate),
    async (c) => {
      const accountId = c.var.principal.accountId;
      const change = c.req.valid("json");
      const settings = await updateSettings(c.env.DB, accountId, change);
      if (!settings) throw new ProblemError(404, "not_found", GONE);
      await configChanged(c.env, accountId, "settings");
      if (change.maxChatsPerOperator !== undefined) await routingChanged(c.env, accountId);
      // Chats that ended before the new cutoff go now, not only those closing from here on.
      if (typeof change.retentionDays === "number") c.executionCtx.waitUntil(sweepRetention(c.env, accountId));
      return c.json(settings);
    },
  );
