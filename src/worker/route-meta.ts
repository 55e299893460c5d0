// What a route's middleware says about the route, for the admin API's OpenAPI document
// (routes/admin/openapi.ts): the input a `validate` checks, the description a `describe` gives.
// Kept on the middleware function itself, so the document is built from the very routes served.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { ValidationTargets } from "hono";

const ROUTE_META = Symbol("parley.route-meta");

export type RouteInput = { kind: "input"; target: keyof ValidationTargets; schema: StandardSchemaV1 };

/** Marks `handler` with what it says about its route, and returns it. */
export function withRouteMeta<Handler extends object, Meta extends { kind: string }>(
  handler: Handler,
  meta: Meta,
): Handler {
  return Object.assign(handler, { [ROUTE_META]: meta });
}

/** What a handler says about its route, if anything. */
export function routeMetaOf(handler: unknown): { kind: string } | undefined {
  return typeof handler === "function" ? (handler as { [ROUTE_META]?: { kind: string } })[ROUTE_META] : undefined;
}
