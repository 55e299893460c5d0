// A stored message as JSON, made once: the ack, the broadcast and the message's event all carry
// the same text, so serialising it three times would be paid on every message (npm run bench).
// Stored messages are never changed after the log returns them, so the cached text stays true.
import type { ChatMessage } from "../shared/protocol.ts";

const serialised = new WeakMap<ChatMessage, string>();

export function messageJson(message: ChatMessage): string {
  let json = serialised.get(message);
  if (json === undefined) serialised.set(message, (json = JSON.stringify(message)));
  return json;
}
