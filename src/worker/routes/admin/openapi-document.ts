// The admin API's OpenAPI 3.1 document, built from the routes it serves: each route's `describe`
// (openapi.ts) gives its operation, each `validate` (http.ts) its body or query, and the valibot
// schemas become JSON Schema through @valibot/to-json-schema. A schema named with `named()`
// (src/shared/protocol.ts) becomes one entry of `components.schemas`, referred to by `$ref`.
// Not part of the Worker: `npm run build` runs it in Node (scripts/build-openapi.ts) and writes
// the document into the static assets, where the Worker's route reads it; the tests run it in the
// Workers runtime to check that the document served is the one these routes make.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { toJsonSchema } from "@valibot/to-json-schema";
import type { Hono } from "hono";
import type { GenericSchema } from "valibot";
import { routeMetaOf, type RouteInput } from "../../route-meta.ts";
import { adminRoutes, OPENAPI_PATH } from "./index.ts";
import { documentHead, type DescribedOperation } from "./openapi.ts";

export { OPENAPI_PATH };

type Json = Record<string, unknown>;

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
      const described = (meta as unknown as { operation: DescribedOperation }).operation;
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
