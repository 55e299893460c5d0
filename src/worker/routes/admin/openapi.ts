// How admin routes describe themselves in the OpenAPI document. Request bodies and queries are
// described by the `validate` middleware from their valibot schemas; `describe` adds the rest
// (summary, tag, the success answer and the problem answers) from the same schemas. The document
// itself is built from these marks on the served routes by openapi-document.ts.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { ProblemSchema } from "../../../shared/protocol.ts";
import type { MiddlewareHandler } from "hono";
import { withRouteMeta } from "../../route-meta.ts";

export const BASE_PATH = "/api/admin/v1";

const TAGS = {
  Meta: "The API's own description.",
  Account: "The account the key or operator belongs to.",
  Departments: "Groups of operators; a chat may be for one department.",
  Operators: "The people who answer chats, and who of them may administer the account.",
  "Canned responses": "Ready-made answers at three levels: company, department, operator.",
  "API keys": "Keys for this API. A key's secret is shown once, when it is created.",
  Settings: "What the widget and the console read: display name, colours, texts, origins, files.",
  Chats: "The account's chats and their messages.",
} as const;
type Tag = keyof typeof TAGS;

type ErrorStatus = 401 | 403 | 404 | 409 | 413 | 415 | 422;
const ERRORS: Record<ErrorStatus, string> = {
  401: "No token, or an unknown, expired or revoked one (`token_missing`, `token_invalid`, `token_expired`).",
  403: "Not an admin: an operator without the owner or admin role, a deactivated operator or a visitor (`forbidden`).",
  404: "No such resource in this account (`not_found`); another account's ids are answered the same way.",
  409: "It conflicts with the current state (`conflict`); when one field is the cause, `fields` names it.",
  413: "The body is over 64 KiB (`too_large`).",
  415: "The body is not sent as `application/json` (`unsupported_media_type`).",
  422: "The body or query does not match its schema (`validation_failed`); `fields` lists each problem with the field it is about (`path`) and a message in words (`message`), `errors` the same as lines.",
};

/** A response as the route describes it; `schema` is still a valibot schema, turned into JSON
 * Schema when the document is built. */
export type DescribedResponse = { description: string; content?: Record<string, { schema: StandardSchemaV1 }> };

function problem(description: string): DescribedResponse {
  return { description, content: { "application/problem+json": { schema: ProblemSchema } } };
}

type RouteDoc = {
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

/** Documents one admin route; every route of the admin API has one (a test checks). */
export function describe(doc: RouteDoc) {
  const responses: Record<string, DescribedResponse> = {
    [doc.ok.status]: doc.ok.schema
      ? { description: doc.ok.description, content: { "application/json": { schema: doc.ok.schema } } }
      : { description: doc.ok.description },
  };
  if (!doc.public) {
    responses[401] = problem(ERRORS[401]);
    responses[403] = problem(ERRORS[403]);
  }
  if (doc.input) responses[422] = problem(ERRORS[422]);
  if (doc.input === "body") {
    responses[413] = problem(ERRORS[413]);
    responses[415] = problem(ERRORS[415]);
  }
  for (const [key, text] of Object.entries(doc.errors ?? {})) {
    const status = Number(key) as ErrorStatus;
    // A route's own 403 reason comes on top of the general one, which holds everywhere.
    responses[status] = problem(
      text === true ? ERRORS[status] : status === 403 ? `${ERRORS[403]} Also: ${text}` : text,
    );
  }
  const operation: DescribedOperation = {
    operationId: doc.id,
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.public ? { security: [] } : {}),
    responses,
  };
  const passOn: MiddlewareHandler = async (_c, next) => {
    await next();
  };
  return withRouteMeta(passOn, { kind: "operation", operation });
}

export type DescribedOperation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security?: [];
  responses: Record<string, DescribedResponse>;
};

/** Everything of the document but its paths and schemas. */
export const documentHead = {
  openapi: "3.1.0",
  info: {
    title: "Parley Admin API",
    version: "1",
    description:
      "Manage a Parley account: departments, operators, canned responses, API keys, settings and chats. " +
      "Authenticate with an API key of the account (`Authorization: Bearer pk_…`) or the token of an operator " +
      "whose role is owner or admin. Errors are RFC 9457 problem documents (`application/problem+json`) with a stable `code`. " +
      "Lists page with `cursor` (the previous page's `nextCursor`) and `limit` (1-100, default 50). Unknown fields are rejected.",
  },
  servers: [{ url: BASE_PATH }],
  tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
  security: [{ bearer: [] }],
  components: {
    securitySchemes: {
      bearer: {
        type: "http",
        scheme: "bearer",
        description: "An API key of the account (pk_…) or an owner's or admin's operator token.",
      },
    },
  },
};
