// Unanswered reassignment (docs/routing.md): in a department that has it on, a chat under way whose
// visitor has written and got no operator answer for `after_ms` is offered to another operator,
// with the whole history (they join this same room). The room keeps the clock in memory once read
// and writes it only when it starts (the visitor's first unanswered message), stops (an operator
// answers) or fires, so a busy chat pays nothing per message for it.
//
// The setting is the department's when the chat starts or is transferred to it: a later change
// applies to chats from then on. The room's alarm fires it.

export const UNANSWERED_SCHEMA = `
CREATE TABLE IF NOT EXISTS unanswered (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  after_ms INTEGER, since INTEGER, passed_on INTEGER NOT NULL DEFAULT 0
);`;

export type UnansweredState = {
  /** Null: the department does not reassign. */
  after_ms: number | null;
  /** When the visitor's oldest unanswered message came, if one is unanswered. */
  since: number | null;
  /** 1 while the chat is offered to another operator for this silence. */
  passed_on: number;
};

const OFF: UnansweredState = { after_ms: null, since: null, passed_on: 0 };

/** The department's `reassign_after_s` from D1 (null: off, or no department). */
export async function readReassignAfterMs(db: D1Database, departmentId: string | null): Promise<number | null> {
  if (departmentId === null) return null;
  const row = await db
    .prepare("SELECT reassign_after_s FROM departments WHERE id = ?")
    .bind(departmentId)
    .first<{ reassign_after_s: number | null }>();
  return row?.reassign_after_s == null ? null : row.reassign_after_s * 1000;
}

export class UnansweredClock {
  private state: UnansweredState | undefined;

  constructor(private readonly sql: SqlStorage) {}

  private read(): UnansweredState {
    this.state ??=
      this.sql.exec<UnansweredState>("SELECT after_ms, since, passed_on FROM unanswered").toArray()[0] ?? OFF;
    return this.state;
  }

  private write(next: UnansweredState): void {
    this.sql.exec(
      `INSERT INTO unanswered (singleton, after_ms, since, passed_on) VALUES (1, ?, ?, ?)
       ON CONFLICT (singleton) DO UPDATE SET after_ms = excluded.after_ms, since = excluded.since, passed_on = excluded.passed_on`,
      next.after_ms,
      next.since,
      next.passed_on,
    );
    this.state = next;
  }

  /** The chat (re)entered a department: its setting from now on, and no clock running. */
  configure(afterMs: number | null): void {
    this.write({ after_ms: afterMs, since: null, passed_on: 0 });
  }

  /** The visitor wrote. Returns when the clock runs out if this started it (for the alarm). */
  visitorWrote(now: number): number | undefined {
    const state = this.read();
    if (state.after_ms === null || state.since !== null) return undefined;
    this.write({ ...state, since: now });
    return now + state.after_ms;
  }

  /** An operator answered (or took the chat over): the clock stops. Returns whether the chat was
   * offered to another operator for this silence, so the room can take that offer back. */
  answered(): boolean {
    const state = this.read();
    if (state.since === null && !state.passed_on) return false;
    this.write({ ...state, since: null, passed_on: 0 });
    return state.passed_on === 1;
  }

  /** When the clock runs out, if it runs and has not fired yet. */
  dueAt(): number | null {
    const state = this.read();
    return state.after_ms !== null && state.since !== null && !state.passed_on ? state.since + state.after_ms : null;
  }

  /** The clock ran out: the chat is being offered on. */
  firing(): void {
    this.write({ ...this.read(), passed_on: 1 });
  }

  /** Forgets what is in memory (a rolled-back transaction). */
  forget(): void {
    this.state = undefined;
  }
}
