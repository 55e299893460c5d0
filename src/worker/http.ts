// HTTP plumbing shared by every route: the app's types, RFC 9457 problem responses and
// request validation against the schemas in src/shared/protocol.ts.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Context, MiddlewareHandler, ValidationTargets } from "hono";
import { HTTPException } from "hono/http-exception";
import { validator } from "hono-openapi";
import type { ErrorCode, Problem } from "../shared/protocol.ts";
import type { Principal } from "./auth/principal.ts";

export type AppEnv = { Bindings: Env; Variables: { principal: Principal } };
export type AppContext = Context<AppEnv>;

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

/** Thrown anywhere in a request; the app's error handler turns it into a problem response. */
export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    detail: string,
    readonly errors?: string[],
    /** Sent as Retry-After (with 429 and 503). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }
}

export function problemResponse(status: number, code: ErrorCode, detail?: string, errors?: string[], retryAfterSeconds?: number): Response {
  const body: Problem = {
    type: `https://parley.dev/problems/${code}`,
    title: titles[status] ?? "Error",
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
  };
  const headers: Record<string, string> = { "Content-Type": "application/problem+json" };
  if (retryAfterSeconds !== undefined) headers["Retry-After"] = String(retryAfterSeconds);
  return new Response(JSON.stringify(body), { status, headers });
}

export function toProblemResponse(error: unknown): Response {
  if (error instanceof ProblemError) return problemResponse(error.status, error.code, error.message, error.errors, error.retryAfterSeconds);
  if (error instanceof HTTPException) {
    // Hono raises these for unreadable bodies (malformed JSON, wrong content type).
    return problemResponse(error.status, error.status === 400 ? "bad_json" : "internal", error.message);
  }
  console.error(error);
  return problemResponse(500, "internal", "Something went wrong on our side.");
}

function describeIssue(issue: StandardSchemaV1.Issue): string {
  const path = issue.path?.map((p) => String(typeof p === "object" ? p.key : p)).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Validates one part of the request; a failure is a 422 problem listing every issue. It is
 * hono-openapi's validator, so the same schema also describes the route in an OpenAPI document. */
export function validate<Target extends keyof ValidationTargets, Schema extends StandardSchemaV1>(target: Target, schema: Schema) {
  const check = validator(target, schema, (result) => {
    if (!result.success) {
      const errors = result.error.map(describeIssue);
      return problemResponse(422, "validation_failed", `The request ${target} is not valid.`, errors);
    }
  });
  if (target !== "json") return check;
  // Hono reads a body of another type as {} and valibot takes an array for an object, so a PATCH
  // whose fields are all optional would "succeed" on either. A JSON body is a JSON object, said so.
  const guarded: MiddlewareHandler = async (c, next) => {
    if (!JSON_TYPE.test(c.req.header("Content-Type") ?? "")) return problemResponse(415, "unsupported_media_type", "Send the body as application/json.");
    let body: unknown;
    try {
      body = await c.req.json(); // Hono keeps it; the validator reads it again from there.
    } catch {
      return problemResponse(400, "bad_json", "The body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) return problemResponse(422, "validation_failed", "The body must be a JSON object.");
    return check(c, next);
  };
  // The validator carries the route's schema for the OpenAPI document; the guard must too.
  return Object.assign(guarded, check) as unknown as typeof check;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
