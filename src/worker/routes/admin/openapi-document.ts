// The admin API's OpenAPI 3.1 document, built from the routes it serves: each route's `describe`
// (openapi.ts) gives its operation, each `validate` (http.ts) its body or query, and the valibot
// schemas become JSON Schema through @valibot/to-json-schema. A schema named with `named()`
// (src/shared/protocol.ts) becomes one entry of `components.schemas`, referred to by `$ref`.
// Not part of the Worker: `npm run build` runs it in Node (scripts/build-openapi.ts) and writes
// the document into the static assets, where the Worker's route reads it; the tests run it in the
// Workers runtime to check that the document served is the one these routes make.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { toJsonSchema } from "@valibot/to-json-schema";
import type { Hono } from "hono/tiny";
import type { GenericSchema } from "valibot";
import { ProblemSchema } from "../../../shared/protocol.ts";
import { routeMetaOf, type RouteInput } from "../../route-meta.ts";
import { adminRoutes, OPENAPI_PATH } from "./index.ts";
import { BASE_PATH, type ErrorStatus, type RouteDoc, type Tag } from "./openapi.ts";

export { OPENAPI_PATH };

type Json = Record<string, unknown>;

const TAGS: Record<Tag, string> = {
  Meta: "The API's own description.",
  Account: "The account the key or operator belongs to.",
  Departments: "Groups of operators; a chat may be for one department.",
  Operators: "The people who answer chats, and who of them may administer the account.",
  "Canned responses": "Ready-made answers at three levels: company, department, operator.",
  "API keys": "Keys for this API. A key's secret is shown once, when it is created.",
  Settings: "What the widget and the console read: display name, colours, texts, origins, files.",
  Chats: "The account's chats and their messages.",
  Tags: "The account's labels, which operators put on chats; the History list and search filter by them.",
  Privacy: "One visitor's data: export it, or erase it everywhere (docs/privacy.md).",
  Reports: "Figures over a range of days: chats, answers, missed chats, durations, ratings, busiest hours.",
  Webhooks:
    "HTTPS endpoints that receive chat events, signed with the endpoint's secret (docs/webhooks.md), and their delivery log.",
  "Audit log":
    "Every request of this API that changed or tried to change something: who, when, from where, what was asked and the answer's status. Kept a year; not editable.",
};

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
 * Schema below. */
type DescribedResponse = { description: string; content?: Record<string, { schema: StandardSchemaV1 }> };

type DescribedOperation = {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security?: [];
  responses: Record<string, DescribedResponse>;
};

function problem(description: string): DescribedResponse {
  return { description, content: { "application/problem+json": { schema: ProblemSchema } } };
}

/** A route's operation from its `describe`: the success answer, then the problem answers. */
function operationOf(doc: RouteDoc): DescribedOperation {
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
  return {
    operationId: doc.id,
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    ...(doc.public ? { security: [] } : {}),
    responses,
  };
}

/** Everything of the document but its paths and schemas. */
const documentHead = {
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

/** Turns a valibot schema into an OpenAPI 3.1 schema; named parts go into `components`. */
function schemaOf(schema: StandardSchemaV1, components: Record<string, Json>): Json {
  const converted = toJsonSchema(schema as unknown as GenericSchema, { errorMode: "ignore" }) as Json;
  delete converted.$schema;
  return liftNamed(converted, components) as Json;
}

/** Moves every `{ref: Name, ...}` (a `named()` schema's metadata) into `components[Name]`, leaving
 * a `$ref` in its place; JSON Schema's own `$defs` go there too. */
function liftNamed(value: unknown, components: Record<string, Json>): unknown {
  if (Array.isArray(value)) return value.map((item) => liftNamed(item, components));
  if (typeof value !== "object" || value === null) return value;
  const node: Json = {};
  for (const [key, child] of Object.entries(value)) node[key] = liftNamed(child, components);
  if (node.$defs) {
    for (const [name, def] of Object.entries(node.$defs as Json)) components[name] = def as Json;
    delete node.$defs;
  }
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/$defs/")) {
    return { $ref: `#/components/schemas/${node.$ref.slice("#/$defs/".length)}` };
  }
  if (typeof node.ref === "string") {
    const { ref, ...component } = node;
    components[ref as string] = component;
    return { $ref: `#/components/schemas/${ref as string}` };
  }
  return node;
}

/** One parameter per property of a query (or path) schema. */
function parametersOf(input: RouteInput, schema: Json, components: Record<string, Json>): Json[] {
  const object = typeof schema.$ref === "string" ? components[schema.$ref.split("/").pop()!]! : schema;
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries((object.properties as Record<string, Json> | undefined) ?? {}).map(([name, property]) => ({
    in: input.target === "param" ? "path" : input.target,
    name,
    schema: property,
    ...(required.has(name) ? { required: true } : {}),
  }));
}

function pathParameters(path: string): Json {
  const names = [...path.matchAll(/:(\w+)/g)].map((match) => match[1]!);
  if (!names.length) return {};
  return { parameters: names.map((name) => ({ in: "path", name, required: true, schema: { type: "string" } })) };
}

/** The document for the routes of `app`, mounted at documentHead's server URL. */
export function buildOpenApiDocument(app: Hono<never>): Json {
  const components: Record<string, Json> = {};
  const paths: Record<string, Record<string, Json>> = {};
  // Hono lists each handler of a route as its own entry, in the order they were registered.
  for (const route of app.routes) {
    if (route.method === "ALL") continue;
    const meta = routeMetaOf(route.handler);
    if (!meta) continue;
    const path = route.path.replace(/:(\w+)/g, "{$1}");
    const method = route.method.toLowerCase();
    const byMethod = (paths[path] ??= {});
    // Each `:name` of the path is a required string parameter.
    const operation = (byMethod[method] ??= pathParameters(route.path));
    if (meta.kind === "operation") {
      const { doc } = meta as unknown as { doc: RouteDoc | false };
      // Only a build without API_DOCS (the Worker's) has no descriptions, and it never makes the document.
      if (!doc) throw new Error(`${method} ${route.path}: built without API_DOCS, so it has no description`);
      const described = operationOf(doc);
      const responses: Json = {};
      for (const [status, response] of Object.entries(described.responses)) {
        const content = response.content
          ? Object.fromEntries(
              Object.entries(response.content).map(([media, { schema }]) => [
                media,
                { schema: schemaOf(schema, components) },
              ]),
            )
          : undefined;
        responses[status] = { description: response.description, ...(content ? { content } : {}) };
      }
      Object.assign(operation, { ...described, responses });
    } else if (meta.kind === "input") {
      const input = meta as unknown as RouteInput;
      const schema = schemaOf(input.schema, components);
      if (input.target === "json") {
        operation.requestBody = { required: true, content: { "application/json": { schema } } };
      } else {
        operation.parameters = [
          ...((operation.parameters as Json[]) ?? []),
          ...parametersOf(input, schema, components),
        ];
      }
    }
  }
  return {
    ...documentHead,
    paths,
    components: { ...documentHead.components, schemas: components },
  };
}

/** The document of the admin API as the Worker serves it (adminRoutes). */
export function adminApiDocument(): Json {
  return buildOpenApiDocument(adminRoutes as unknown as Hono<never>);
}
