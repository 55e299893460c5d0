// Starting a chat, for both ways a visitor starts one: the widget's chat (routes/visitor.ts) and
// its offline form (routes/offline-messages.ts). The Worker checks what only it can (the account,
// the site, the rate, the department, room in the queue) and hands the rest to the chat's room,
// which writes the index and enters the queue itself.
import { and, eq } from "drizzle-orm";
import { ulid } from "ulid";
import { chatRoomOf, type ChatOpening } from "../durable/chat-room.ts";
import type { VisitorSeenFrom } from "../durable/chat-index.ts";
import { lobbyOf } from "../durable/lobby-address.ts";
import { queueMaxWaiting } from "../durable/lobby.ts";
import type { Settings } from "../shared/admin-api.ts";
import { isOpenAt, type BusinessHours } from "../shared/business-hours.ts";
import { anonymousVisitorName } from "../shared/protocol.ts";
import { database } from "../server/db/index.ts";
import { departments } from "../server/db/schema.ts";
import { readSettings } from "../server/db/settings.ts";
import { ProblemError } from "../server/problems.ts";
import { requireAllowedOrigin } from "./origin-policy.ts";
import { requireWithinRateLimit } from "./rate-limit.ts";

/** The account a visitor's request names, if it exists and the request comes from one of its
 * sites, within the visitor rate (`action` keeps the limits of chats and offline messages apart). */
export async function requireVisitorAccount(
  env: Env,
  request: Request,
  accountId: string,
  action: "session" | "offline",
): Promise<Settings> {
  const settings = await readSettings(env.DB, accountId);
  if (!settings) throw new ProblemError(404, "not_found", "There is no such account.");
  requireAllowedOrigin(settings, request);
  await requireWithinRateLimit(env.VISITOR_LIMITER, request, `${action}|${accountId}`);
  return settings;
}

/** Refuses a department id that is not the account's; returns the department (null: none). */
export async function requireDepartmentOf(
  env: Env,
  accountId: string,
  departmentId: string | null,
): Promise<{ name: string; businessHours: BusinessHours | null } | null> {
  if (departmentId === null) return null;
  const department = await database(env.DB)
    .select({ name: departments.name, businessHours: departments.businessHours })
    .from(departments)
    .where(and(eq(departments.id, departmentId), eq(departments.accountId, accountId)))
    .get();
  if (!department) throw new ProblemError(404, "not_found", "This account has no such department.");
  return department;
}

/** Refuses a live chat with a department outside its business hours: the widget offers the
 * offline form instead (messages may be left at any hour). */
export function requireOpen(department: { name: string; businessHours: BusinessHours | null } | null): void {
  if (!department || isOpenAt(department.businessHours, Date.now())) return;
  throw new ProblemError(
    409,
    "department_closed",
    `${department.name} is closed now. Leave a message and we will answer by email.`,
  );
}

/** Refuses a new chat (503 queue_full, Retry-After a minute) while the account has as many
 * waiting as it may (QUEUE_MAX_WAITING); asked before anything of the chat is created. */
async function requireQueueRoom(env: Env, accountId: string): Promise<void> {
  if (await lobbyOf(env, accountId).hasRoom()) return;
  throw new ProblemError(
    503,
    "queue_full",
    `This account already has ${queueMaxWaiting(env)} chats waiting for an operator. Please try again in a few minutes.`,
    undefined,
    60,
  );
}

type NewChat = {
  accountId: string;
  departmentId: string | null;
  /** The widget's presence id, when it sent one; otherwise the chat's visitor gets a new id. */
  visitorId?: string | undefined;
  visitorName: string | null;
  visitorEmail: string | null;
  opening: ChatOpening;
};

/** Longest User-Agent recorded, in characters. */
const MAX_USER_AGENT_LENGTH = 300;

/** Where the visitor is and what they use, as the request that starts the chat shows it: server
 * facts only (the edge's country, the User-Agent header), never a field of the body. */
export function visitorSeenFrom(request: Request): VisitorSeenFrom {
  const country = (request.cf as { country?: unknown } | undefined)?.country;
  return {
    country: typeof country === "string" ? country : null,
    userAgent: request.headers.get("User-Agent")?.slice(0, MAX_USER_AGENT_LENGTH) || null,
  };
}

/** Creates the chat, once the checks above have passed. A chat that will wait needs room in the
 * queue; one answering an invitation has its operator. Returns the new ids and the visitor's name
 * (given, or "Visitor NNNN"). */
export async function startChat(env: Env, request: Request, chat: NewChat) {
  if (chat.opening.kind !== "invited") await requireQueueRoom(env, chat.accountId);
  const visitorId = chat.visitorId ?? `v_${ulid()}`;
  const chatId = `c_${ulid()}`;
  const name = chat.visitorName ?? anonymousVisitorName(visitorId);
  await chatRoomOf(env, chatId).start({
    chatId,
    accountId: chat.accountId,
    departmentId: chat.departmentId,
    visitor: { kind: "visitor", id: visitorId, name },
    visitorEmail: chat.visitorEmail,
    seenFrom: visitorSeenFrom(request),
    opening: chat.opening,
  });
  return { chatId, visitorId, name };
}
