// HTTP plumbing shared by every route: the app's types, turning errors into problem responses
// (src/server/problems.ts) and request validation against the schemas in src/shared.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { MiddlewareHandler, ValidationTargets } from "hono";
import { HTTPException } from "hono/http-exception";
import { validator } from "hono/validator";
import type { ProblemField } from "../shared/protocol.ts";
import { ProblemError, problemResponse } from "../server/problems.ts";
import { withRouteMeta } from "./route-meta.ts";

export function toProblemResponse(error: unknown): Response {
  if (error instanceof ProblemError)
    return problemResponse(
      error.status,
      error.code,
      error.message,
      error.errors,
      error.retryAfterSeconds,
      error.fields,
    );
  if (error instanceof HTTPException) {
    // Hono raises these for unreadable bodies (malformed JSON, wrong content type).
    return problemResponse(error.status, error.status === 400 ? "bad_json" : "internal", error.message);
  }
  console.error(error);
  return problemResponse(500, "internal", "Something went wrong on our side.");
}

function fieldOf(issue: StandardSchemaV1.Issue): ProblemField {
  const path = issue.path?.map((p) => String(typeof p === "object" ? p.key : p)).join(".") ?? "";
  return { path, message: issue.message };
}

/** The detail of a validation failure: the first issue's message when there is one issue (what
 * a form with one bad field gets), else how many there are. */
function summary(fields: ProblemField[], target: string): string {
  if (fields.length === 1) return fields[0]!.message;
  return `The request ${target} has ${fields.length} problems; each is listed with the field it is about.`;
}

/** Validates one part of the request against its schema (any Standard Schema; ours are valibot);
 * a failure is a 422 problem listing every issue. The schema is kept on the middleware, so it
 * also describes the route in the admin API's OpenAPI document. */
export function validate<Target extends keyof ValidationTargets, Schema extends StandardSchemaV1>(
  target: Target,
  schema: Schema,
) {
  const check = validator(target, async (value): Promise<StandardSchemaV1.InferOutput<Schema> | Response> => {
    const result = await schema["~standard"].validate(value);
    if (!result.issues) return result.value as StandardSchemaV1.InferOutput<Schema>;
    const all = result.issues.map(fieldOf);
    const errors = all.map(({ path, message }) => (path ? `${path}: ${message}` : message));
    const fields = all.filter((field) => field.path !== "");
    return problemResponse(422, "validation_failed", summary(all, target), errors, undefined, fields);
  });
  if (target !== "json") return withRouteMeta(check, { kind: "input", target, schema });
  // Hono reads a body of another type as {} and valibot takes an array for an object, so a PATCH
  // whose fields are all optional would "succeed" on either. A JSON body is a JSON object, said so.
  const guarded: MiddlewareHandler = async (c, next) => {
    if (!JSON_TYPE.test(c.req.header("Content-Type") ?? ""))
      return problemResponse(415, "unsupported_media_type", "Send the body as application/json.");
    let body: unknown;
    try {
      body = await c.req.json(); // Hono keeps it; the validator reads it again from there.
    } catch {
      return problemResponse(400, "bad_json", "The body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return problemResponse(422, "validation_failed", "The body must be a JSON object.");
    return (check as unknown as MiddlewareHandler)(c, next);
  };
  return withRouteMeta(guarded, { kind: "input", target, schema }) as unknown as typeof check;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
