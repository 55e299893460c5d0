// What leaves a chat: the events each ChatRoom publishes to the EVENTS queue for readers outside
// it (search, reports and webhooks). docs/protocol.md, "Events", describes them for
// integrators. `id` is the same however often the queue delivers an event, so consumers
// deduplicate by it: "<chatId>.<seq>" for a message, "<chatId>.e<n>" (1, 2, 3… per chat) for others.
// Messages' events travel in runs (MessagesCreatedRun) and are unfolded by the consumer.
import type { ChatMessage, Participant, Rating } from "./protocol.ts";

type EventBase = {
  /** Unique, and the same on every delivery of this event. */
  id: string;
  accountId: string;
  chatId: string;
  /** When it happened in the room, ms since the epoch. */
  at: number;
};

/** The chat began: in the queue, as an offline message, or with an invited operator. */
export type ChatStartedEvent = EventBase & {
  type: "chat.started";
  departmentId: string | null;
  visitor: { id: string; name: string; email: string | null };
  offline: boolean;
};
/** A message entered the log: text, file, system line or (kind "note") an operators-only note. */
export type MessageCreatedEvent = EventBase & { type: "message.created"; message: ChatMessage };
export type ChatRatedEvent = EventBase & { type: "chat.rated"; rating: Rating; comment: string | null };
export type ChatClosedEvent = EventBase & {
  type: "chat.closed";
  by: Participant;
  /** Texts and files the visitor and operators wrote in it, for reports (optional: events from
   * before it was added lack it). */
  messages?: number;
};
export type ChatTransferredEvent = EventBase & {
  type: "chat.transferred";
  from: Participant;
  to: { kind: "operator"; id: string; name: string } | { kind: "department"; id: string; name: string };
};

/** Nobody took the chat before its queue deadline (the account's lobby decides); it is `missed` in
 * the index. Once per waiting period: a chat waiting again (an email reply) may be missed again. */
export type ChatMissedEvent = EventBase & { type: "chat.missed" };
/** An operator set the chat's tags: `tagIds` is the whole list now. */
export type ChatTaggedEvent = EventBase & { type: "chat.tagged"; tagIds: string[]; by: Participant };

export type ChatEvent =
  | ChatStartedEvent
  | MessageCreatedEvent
  | ChatRatedEvent
  | ChatClosedEvent
  | ChatTransferredEvent
  | ChatTaggedEvent
  | ChatMissedEvent;
export type ChatEventType = ChatEvent["type"];

/** How a chat's new messages travel on the EVENTS queue: a run of consecutive ones in one queue
 * message, each of them a `message.created` event to every reader (`unfoldQueued`). A queue
 * message per message made the local queue and the consumer handle a dozen times as many
 * (docs/benchmarks.md). Only the queue carries it: readers see the events it unfolds into. */
export type MessagesCreatedRun = {
  type: "messages.created";
  accountId: string;
  chatId: string;
  messages: ChatMessage[];
};
/** What one message on the EVENTS queue carries. */
export type QueuedEvents = ChatEvent | MessagesCreatedRun;

/** The events a queue message carries, in order. */
export function unfoldQueued(body: QueuedEvents): ChatEvent[] {
  if (body.type !== "messages.created") return [body];
  const { accountId, chatId } = body;
  return body.messages.map((message): MessageCreatedEvent => ({
    id: `${chatId}.${message.seq}`,
    type: "message.created",
    accountId,
    chatId,
    at: message.at,
    message,
  }));
}

/** What a room hands its outbox; the outbox adds the id. */
export type NewChatEvent = Without<ChatEvent, "id">;
/** Omit for each member of a union. */
export type Without<E, K extends PropertyKey> = E extends unknown ? Omit<E, K> : never;
