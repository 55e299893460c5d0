// Webhooks: which chat events an account's endpoints can subscribe to, and the body each delivery
// carries. One list, read by the admin API (validation), the Control Panel (checkboxes) and the
// delivery consumer (src/server/webhooks/). No valibot here: the console imports these values.
// docs/webhooks.md describes the same for integrators.
import type { ChatEvent, ChatEventType } from "./events.ts";

/** What an endpoint can subscribe to. `message.*` are text and file messages by that kind of
 * author (notes and system lines never leave Parley); `offline.message` is a chat that began as a
 * message left outside hours (sent as that, not as `chat.started`). */
export const webhookEventTypes = [
  "chat.started",
  "message.visitor",
  "message.operator",
  "chat.closed",
  "chat.rated",
  "chat.transferred",
  "offline.message",
  "chat.missed",
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** Where a delivery stands in the log: waiting for its first try, between tries, or done. */
export const webhookDeliveryStatuses = ["pending", "retrying", "delivered", "failed"] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

type EventOf<T extends ChatEventType> = Extract<ChatEvent, { type: T }>;
/** An event's own fields: what is left once the envelope's are taken out. */
type DataOf<T extends ChatEventType> = Omit<EventOf<T>, "id" | "type" | "accountId" | "chatId" | "at">;

/** The JSON body of one delivery. `id` is the chat event's id: the same on every retry and resend,
 * for the receiver to deduplicate by. */
export type WebhookBody = {
  id: string;
  type: WebhookEventType;
  /** When it happened in the chat, ISO 8601. */
  createdAt: string;
  accountId: string;
  chatId: string;
  data:
    | DataOf<"chat.started">
    | DataOf<"message.created">
    | DataOf<"chat.closed">
    | DataOf<"chat.rated">
    | DataOf<"chat.transferred">
    | DataOf<"chat.missed">;
};

/** The webhook type of a chat event, or null for one that is never sent (tags, notes, system lines). */
export function webhookTypeOf(event: ChatEvent): WebhookEventType | null {
  if (event.type === "chat.started") return event.offline ? "offline.message" : "chat.started";
  if (event.type === "message.created") {
    const { kind, author } = event.message;
    return kind === "text" || kind === "file" ? `message.${author.kind}` : null;
  }
  return event.type === "chat.tagged" ? null : event.type;
}

export function webhookBody(event: ChatEvent, type: WebhookEventType): WebhookBody {
  const { id, type: _type, accountId, chatId, at, ...data } = event;
  return { id, type, createdAt: new Date(at).toISOString(), accountId, chatId, data };
}
