// The admin API, /api/admin/v1: one router per resource, all behind requireAdmin (an API key of
// the account, or an owner or admin operator), and the OpenAPI document generated from the very
// routes and schemas that serve and validate them. The document is generated at build time
// (scripts/build-openapi.ts, part of `npm run build`) and served from the static assets, so
// neither the generator nor @valibot/to-json-schema is part of the Worker.
import { Hono } from "hono/tiny";
import { bodyLimit } from "hono/body-limit";
import * as v from "valibot";
import { requireAdmin } from "../../auth/guards.ts";
import { problemResponse } from "../../../server/problems.ts";
import type { AppEnv } from "../../app-env.ts";
import { apiKeyRoutes } from "./api-keys.ts";
import { recordAdminActions } from "./audit.ts";
import { auditLogRoutes } from "./audit-log.ts";
import { cannedRoutes } from "./canned.ts";
import { accountChatRoutes } from "./account-chats.ts";
import { departmentRoutes } from "./departments.ts";
import { BASE_PATH, describe } from "./openapi.ts";
import { operatorRoutes } from "./operators.ts";
import { privacyRoutes } from "./privacy.ts";
import { reportAdminRoutes } from "./reports.ts";
import { searchRoutes } from "./search.ts";
import { settingsRoutes } from "./settings.ts";
import { storageRoutes } from "./storage.ts";
import { tagRoutes } from "./tags.ts";
import { webhookDeliveryRoutes } from "./webhook-deliveries.ts";
import { webhookRoutes } from "./webhooks.ts";

export { signUpInvitationRoutes } from "./sign-up-invitations.ts";

/** Just enough of the document's shape for it to be described in itself. */
const OpenApiDocument = v.looseObject({
  openapi: v.string(),
  info: v.looseObject({ title: v.string(), version: v.string() }),
  paths: v.record(v.string(), v.unknown()),
});

/** Where the built document is in the static assets: the URL it is served at. */
export const OPENAPI_PATH = `${BASE_PATH}/openapi.json`;

/** The largest body: a reorder of 500 ids is about 35 KB; nothing else comes close. */
const MAX_BODY_BYTES = 64 * 1024;

const resources = new Hono<AppEnv>()
  .use(requireAdmin)
  .use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => problemResponse(413, "too_large", `Bodies are limited to ${MAX_BODY_BYTES / 1024} KiB.`),
    }),
  )
  // After the limit, so the body it keeps is one the limit let through; before every resource, so
  // every change any of them makes (and any they refuse) is in the audit log.
  .use(recordAdminActions)
  .route("/", settingsRoutes)
  .route("/", storageRoutes)
  .route("/", departmentRoutes)
  .route("/", operatorRoutes)
  .route("/", cannedRoutes)
  .route("/", apiKeyRoutes)
  .route("/", accountChatRoutes)
  .route("/", searchRoutes)
  .route("/", tagRoutes)
  .route("/", reportAdminRoutes)
  .route("/", privacyRoutes)
  .route("/", webhookRoutes)
  .route("/", webhookDeliveryRoutes)
  .route("/", auditLogRoutes);

export const adminRoutes = new Hono<AppEnv>()
  // Public, and registered before the resources' auth middleware: Hono runs handlers in the order
  // they were registered, and this one answers without calling on.
  .get(
    "/openapi.json",
    describe(
      API_DOCS && {
        id: "getOpenApiDocument",
        tag: "Meta",
        summary: "This API's OpenAPI 3.1 document",
        public: true,
        ok: { status: 200, description: "The document.", schema: OpenApiDocument },
      },
    ),
    async (c) => {
      // `npm run build` writes the document into the static assets at this very path, which is
      // under wrangler.toml's run_worker_first "/api/*": the assets never answer it themselves, so
      // it is served only from here, with the API's headers.
      const asset = await c.env.ASSETS.fetch(new URL(OPENAPI_PATH, c.req.url));
      // A missing file would come back as the console's index.html (single-page-application).
      if (!asset.ok || !asset.headers.get("Content-Type")?.startsWith("application/json")) {
        await asset.body?.cancel();
        return problemResponse(500, "internal", "The OpenAPI document was not built (`npm run build` makes it).");
      }
      return c.body(await asset.arrayBuffer(), 200, { "Content-Type": "application/json" });
    },
  )
  .route("/", resources);
