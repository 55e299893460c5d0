// RFC 9457 problem documents: how every refusal is told, by the Worker's routes and by the
// Durable Objects alike (their fetch handlers answer upgrades the same way).
import type { ErrorCode, Problem, ProblemField } from "../shared/protocol.ts";

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
  416: "Range Not Satisfiable",
  422: "Unprocessable Content",
  426: "Upgrade Required",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  507: "Insufficient Storage",
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
    /** The fields it is about, for a form to show each message next to its field. */
    readonly fields?: ProblemField[],
  ) {
    super(detail);
  }
}

/** A refusal about one field of the request (a taken name, a duplicate shortcut): the detail is
 * the message, and `fields` names the field, so a form shows it there. */
export function fieldProblem(status: number, code: ErrorCode, path: string, message: string): ProblemError {
  return new ProblemError(status, code, message, [`${path}: ${message}`], undefined, [{ path, message }]);
}

export function problemResponse(
  status: number,
  code: ErrorCode,
  detail?: string,
  errors?: string[],
  retryAfterSeconds?: number,
  fields?: ProblemField[],
): Response {
  const body: Problem = {
    type: `https://parley.dev/problems/${code}`,
    title: titles[status] ?? "Error",
    status,
    code,
    ...(detail ? { detail } : {}),
    ...(errors?.length ? { errors } : {}),
    ...(fields?.length ? { fields } : {}),
  };
  const headers: Record<string, string> = { "Content-Type": "application/problem+json" };
  if (retryAfterSeconds !== undefined) headers["Retry-After"] = String(retryAfterSeconds);
  return new Response(JSON.stringify(body), { status, headers });
}
