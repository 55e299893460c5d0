// The visitor's chat as kept in localStorage, namespaced by account, so it survives navigating
// and reloading on the same site: the token, the messages held (and so the last seq for the
// next hello) and the outbox of messages not yet acknowledged, each with its cid.
import { readJson, removeKey, writeJson } from "../../common/local-store.ts";
import type { ChatMessage, VisitorSessionResponse } from "../../../shared/protocol.ts";
import { savedChatKey } from "../contract.ts";

type Pending = { cid: string; text: string; failed?: boolean };

export type SavedChat = {
  session: VisitorSessionResponse | null;
  messages: ChatMessage[];
  outbox: Pending[];
  /** Whether the window was open, so a reload opens it again. */
  open: boolean;
  /** The chat has ended; the next message starts a new one. */
  ended: boolean;
  /** The visitor has rated the ended chat. */
  rated: boolean;
};

/** Older messages than this are dropped from storage (never from the server's log). */
const KEEP_MESSAGES = 200;

export function loadChat(account: string): SavedChat {
  const saved = readJson<Partial<SavedChat>>(savedChatKey(account));
  const expired = !saved?.session || saved.session.expiresAt < Date.now();
  return {
    session: expired ? null : saved!.session!,
    messages: !expired && Array.isArray(saved?.messages) ? saved.messages : [],
    outbox: Array.isArray(saved?.outbox) ? saved.outbox.filter((p) => !p.failed) : [],
    open: saved?.open === true,
    ended: saved?.ended === true,
    rated: saved?.rated === true,
  };
}

export function storeChat(account: string, chat: SavedChat): void {
  // Nothing worth keeping: leave no trace on the visitor's machine.
  if (!chat.session && !chat.outbox.length && !chat.messages.length) return removeKey(savedChatKey(account));
  writeJson(savedChatKey(account), { ...chat, messages: chat.messages.slice(-KEEP_MESSAGES) });
}
