// A chat's messages as the console and the widget hold them: sorted by seq, each seq once.
// Replays, HTTP pages and live frames can overlap; merging through here keeps duplicates out.
import type { ChatMessage } from "../../shared/protocol.ts";

export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current as ChatMessage[];
  const last = current.at(-1)?.seq ?? 0;
  // The common case, a live message after everything held, needs no sorting.
  if (incoming.every((m, i) => m.seq > last && (i === 0 || m.seq > incoming[i - 1]!.seq)))
    return [...current, ...incoming];
  const bySeq = new Map<number, ChatMessage>();
  for (const m of current) bySeq.set(m.seq, m);
  for (const m of incoming) if (!bySeq.has(m.seq)) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** Text and file messages by anyone but `me` after `readSeq`: what the unread badge counts. */
export function countUnread(messages: readonly ChatMessage[], me: string, readSeq: number): number {
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && messages[i]!.seq > readSeq; i--) {
    const m = messages[i]!;
    if (m.kind !== "system" && m.author.id !== me) count++;
  }
  return count;
}

/** The newest of my messages the other side has read (up to `theirReadSeq`): where "Seen" goes. */
export function lastReadOwnMessage(messages: readonly ChatMessage[], me: string, theirReadSeq: number): number | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.seq <= theirReadSeq && m.kind !== "system" && m.author.id === me) return m.seq;
  }
  return null;
}
