// The admin API, /api/admin/v1: one router per resource, all behind requireAdmin (an API key of
// the account, or an owner or admin operator), and the OpenAPI document generated from the very
// routes and schemas that serve and validate them.
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import * as v from "valibot";
import { requireAdmin } from "../../auth/guards.ts";
import { problemResponse } from "../../../server/problems.ts";
import type { AppEnv } from "../../app-env.ts";
import { apiKeyRoutes } from "./api-keys.ts";
import { cannedRoutes } from "./canned.ts";
import { accountChatRoutes } from "./account-chats.ts";
import { departmentRoutes } from "./departments.ts";
import { describe } from "./openapi.ts";
import { buildOpenApiDocument } from "./openapi-document.ts";
import { operatorRoutes } from "./operators.ts";
import { settingsRoutes } from "./settings.ts";

export { signUpInvitationRoutes } from "./sign-up-invitations.ts";

/** Just enough of the document's shape for it to be described in itself. */
const OpenApiDocument = v.looseObject({
  openapi: v.string(),
  info: v.looseObject({ title: v.string(), version: v.string() }),
  paths: v.record(v.string(), v.unknown()),
});

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
  .route("/", settingsRoutes)
  .route("/", departmentRoutes)
  .route("/", operatorRoutes)
  .route("/", cannedRoutes)
  .route("/", apiKeyRoutes)
  .route("/", accountChatRoutes);

export const adminRoutes = new Hono<AppEnv>()
  // Public, and registered before the resources' auth middleware: Hono runs handlers in the order
  // they were registered, and this one answers without calling on.
  .get(
    "/openapi.json",
    describe({
      id: "getOpenApiDocument",
      tag: "Meta",
      summary: "This API's OpenAPI 3.1 document",
      public: true,
      ok: { status: 200, description: "The document.", schema: OpenApiDocument },
    }),
    (c) => c.json(openApiDocumentOf()),
  )
  .route("/", resources);

// Built on the first request from adminRoutes itself, so it lists exactly the routes served.
let openApiDocument: Record<string, unknown> | undefined;
function openApiDocumentOf(): Record<string, unknown> {
  return (openApiDocument ??= buildOpenApiDocument(adminRoutes as unknown as Hono<never>));
}
