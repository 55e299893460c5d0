// The audit log's recorder: one middleware on every admin resource (index.ts mounts it right
// after the auth guard and the body limit), so a route added later is recorded without a line of
// its own. After the handler has answered, a request that changes something (any method but GET)
// leaves one row: who (c.var.principal), from where, which route, on what, the answer's status
// and what was asked. Refused requests are recorded too: someone tried. The row is written before
// the answer leaves, so whoever reads the log next sees it.
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes } from "hono/route";
import { lt } from "drizzle-orm";
import { database } from "../../../server/db/index.ts";
import { auditLog } from "../../../server/db/schema.ts";
import type { AppEnv } from "../../app-env.ts";
import { BASE_PATH } from "./openapi.ts";

/** The migration's trigger refuses deleting a younger row; an hour's margin for clock skew. */
const KEPT_MS = 365 * 86_400_000 + 3_600_000;
/** One write in this many also deletes the rows past a year: no cron needed, and cheap. */
const PRUNE_ONE_IN = 100;
/** Field names whose values never reach the log. */
const SECRET_NAME = /pass|secret|token|key|auth|credential/i;
/** Rows stay small: lists, nesting and texts are cut, and a body still too large is summarised. */
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;
const MAX_CHANGES_CHARS = 4000;

/** `body` with secrets replaced and long texts cut to `maxText` characters. */
function trimmed(body: unknown, maxText: number, depth = 0): unknown {
  if (typeof body === "string") return body.length > maxText ? `${body.slice(0, maxText)}…` : body;
  if (body === null || typeof body !== "object") return body;
  if (depth === MAX_DEPTH) return "…";
  if (Array.isArray(body)) {
    const kept = body.slice(0, MAX_ITEMS).map((item) => trimmed(item, maxText, depth + 1));
    return body.length > MAX_ITEMS ? [...kept, `… ${body.length - MAX_ITEMS} more`] : kept;
  }
  return Object.fromEntries(
    Object.entries(body).map(([name, value]) => [
      name,
      SECRET_NAME.test(name) ? "[redacted]" : trimmed(value, maxText, depth + 1),
    ]),
  );
}

/** What was asked, as the JSON the row keeps (at most MAX_CHANGES_CHARS), or null: no body, or one
 * that is not JSON (it was refused, and unparsed text could hold anything). */
export function auditedChanges(text: string): string | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  for (const maxText of [200, 40]) {
    const json = JSON.stringify(trimmed(body, maxText));
    if (json.length <= MAX_CHANGES_CHARS) return json;
  }
  return JSON.stringify("[too large to keep]");
}

/** The `:id` of the route, or else the id in the answer of a create (`{ id }`, or one level down:
 * `{ apiKey: { id }, secret }`). */
async function targetOf(c: Context<AppEnv>): Promise<string | null> {
  const param = c.req.param("id");
  if (param !== undefined) return param;
  if (c.res.status !== 201) return null;
  try {
    const answer = (await c.res.clone().json()) as Record<string, unknown>;
    const holder = "id" in answer ? answer : Object.values(answer).find((value) => typeof value === "object");
    const id = (holder as { id?: unknown } | undefined)?.id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

/** A privacy request names a person (email, visitor id): the log keeps a SHA-256 of each instead,
 * so that it records that someone's data was exported or erased, and can confirm whose when given
 * the same email, without keeping the person it was asked to forget. */
async function withoutPerson(text: string): Promise<string> {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    for (const name of ["email", "visitorId"]) {
      const value = body[name];
      if (typeof value !== "string") continue;
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(value.trim().toLowerCase()));
      body[name] = `sha256:${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
    }
    return JSON.stringify(body);
  } catch {
    return text;
  }
}

/** Deletes the rows older than a year, which is all the triggers allow to be deleted. */
export async function pruneAuditLog(db: D1Database, now: number): Promise<void> {
  await database(db)
    .delete(auditLog)
    .where(lt(auditLog.at, now - KEPT_MS));
}

export const recordAdminActions = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  const method = c.req.method;
  if (method === "GET" || method === "HEAD" || method === "OPTIONS") return;
  // The route that was matched, as registered: "/api/admin/v1/departments/:id". None for a path
  // that no route serves: nothing was done there.
  const route = matchedRoutes(c).findLast((r) => r.method === method && r.path.startsWith(`${BASE_PATH}/`));
  if (!route) return;
  const principal = c.var.principal;
  if (principal.kind === "visitor") return; // requireAdmin lets none through
  const text = await c.req.text().catch(() => "");
  const changes = auditedChanges(route.path.includes("/privacy/") ? await withoutPerson(text) : text);
  try {
    await database(c.env.DB)
      .insert(auditLog)
      .values({
        accountId: principal.accountId,
        at: Date.now(),
        actorKind: principal.kind,
        actorId: principal.kind === "operator" ? principal.operatorId : principal.keyId,
        actorName: principal.name,
        address: c.req.header("CF-Connecting-IP") ?? null,
        action: `${method} ${route.path.slice(BASE_PATH.length)}`,
        targetId: await targetOf(c),
        status: c.res.status,
        changes,
      });
    if (Math.random() * PRUNE_ONE_IN < 1) await pruneAuditLog(c.env.DB, Date.now());
  } catch (error) {
    // The change itself is done; failing its answer now would only invite a repeat of it.
    console.error("audit log: the row was not written", error);
  }
});
