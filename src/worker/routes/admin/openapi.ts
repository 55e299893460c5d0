// How admin routes describe themselves in the OpenAPI document. Request bodies and queries are
// described by the `validate` middleware from their valibot schemas; `describe` adds the rest
// (summary, tag, the success answer and which problem answers apply). Both only mark the route:
// the document is made from these marks at build time by openapi-document.ts, which is not part
// of the Worker, so all that is here is what the marks need.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { MiddlewareHandler } from "hono";
import { withRouteMeta } from "../../route-meta.ts";

export const BASE_PATH = "/api/admin/v1";

/** The document's tags; openapi-document.ts says what each is. */
export type Tag =
  | "Meta"
  | "Account"
  | "Departments"
  | "Operators"
  | "Canned responses"
  | "API keys"
  | "Settings"
  | "Chats"
  | "Tags"
  | "Reports"
  | "Webhooks"
  | "Privacy"
  | "Audit log";

export type ErrorStatus = 401 | 403 | 404 | 409 | 413 | 415 | 422;

export type RouteDoc = {
  id: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** The success answer; a 204 has no schema. */
  ok: { status: 200 | 201 | 204; description: string; schema?: StandardSchemaV1 };
  /** The route validates a JSON body (422, 413, 415) or a query (422). */
  input?: "body" | "query";
  /** Further problem answers, with what they mean here (or the general meaning). */
  errors?: Partial<Record<404 | 409 | 422 | 403, string | true>>;
  public?: boolean;
};

/** Documents one admin route; every route of the admin API has one (a test checks). Called as
 * `describe(API_DOCS && {…})`: API_DOCS is a build-time constant, false in the Worker (wrangler.toml
 * [define]), so the Worker's bundle drops the description and whatever only it uses; true where
 * the document is made (scripts/build-openapi.ts, and the tests, vitest.config.ts). */
export function describe(doc: RouteDoc | false) {
  const passOn: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  return withRouteMeta(passOn, { kind: "operation", doc });
}
