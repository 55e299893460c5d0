// How times, durations and a chat's status read in the console, in the operator's own locale.
import type { ChatStatus } from "../../shared/protocol.ts";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  day: "numeric",
  month: "short",
  hour: "2-digit",
  minute: "2-digit",
});
const full = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "medium" });

/** "14:02" today, "12 Nov, 14:02" on another day: the day matters only when it is not today. */
export function messageTime(at: number): string {
  const sameDay = new Date(at).toDateString() === new Date().toDateString();
  return (sameDay ? clock : dayAndClock).format(at);
}

export function fullTime(at: number): string {
  return full.format(at);
}

/** "just now", "3 min", "1 h 5 min": how long someone has been waiting. */
export function waitedFor(since: number, now: number): string {
  const minutes = Math.floor(Math.max(0, now - since) / 60_000);
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** How a chat's status reads in lists of chats (History, a visitor's earlier chats). */
export const chatStatusLabels: Record<ChatStatus, string> = {
  waiting: "Waiting",
  active: "Active",
  closed: "Ended",
  missed: "Missed",
};
