// The chat's transcript rate limit, in the ChatRoom's own SQLite storage so that neither a
// restart nor an eviction resets it: at most TRANSCRIPTS_PER_HOUR sends in any sliding hour.
import { TRANSCRIPTS_PER_HOUR } from "../shared/protocol.ts";

const TRANSCRIPT_WINDOW_MS = 60 * 60 * 1000;

export const TRANSCRIPT_SLOTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS transcript_sends (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL);`;

export type SlotResult =
  { ok: true; slot: number; remaining: number } | { ok: false; code: "rate_limited"; retryAfterMs: number };

/** Takes a slot if the last hour has one free. Runs without an await, so two requests to the same
 * room cannot both take the last slot. */
export function takeTranscriptSlot(sql: SqlStorage, now: number): SlotResult {
  sql.exec("DELETE FROM transcript_sends WHERE at <= ?", now - TRANSCRIPT_WINDOW_MS);
  const recent = sql.exec<{ at: number }>("SELECT at FROM transcript_sends ORDER BY at").toArray();
  if (recent.length >= TRANSCRIPTS_PER_HOUR) {
    // The oldest send in the window frees its slot an hour after it was made.
    return { ok: false, code: "rate_limited", retryAfterMs: recent[0]!.at + TRANSCRIPT_WINDOW_MS - now };
  }
  const { id } = sql.exec<{ id: number }>("INSERT INTO transcript_sends (at) VALUES (?) RETURNING id", now).one();
  return { ok: true, slot: id, remaining: TRANSCRIPTS_PER_HOUR - recent.length - 1 };
}

/** Gives a slot back: the email could not be sent, so it should not count. */
export function releaseTranscriptSlot(sql: SqlStorage, slot: number): void {
  sql.exec("DELETE FROM transcript_sends WHERE id = ?", slot);
}
