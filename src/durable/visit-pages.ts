// The pages each live visitor has opened, for the console's context panel (the "pages of this
// visit"). A presence socket's attachment holds only the page it is on, and each page view is a
// socket of its own, so the pages already left are kept here, in the SQLite of the Lobby object
// (or visitor shard) holding the visitor: one row per page opened, the newest MAX_VISIT_PAGES per
// visitor, dropped a day after they were opened.
import type { Visit, VisitPage } from "../shared/visitor-context.ts";

/** Most pages of one visitor kept and listed. */
const MAX_VISIT_PAGES = 50;
const KEEP_MS = 24 * 60 * 60 * 1000;
/** A visit's start is the visitor's clock turned into server time by each socket's own latency, so
 * it moves a little from socket to socket; a page this much before it still belongs to the visit. */
const START_SLACK_MS = 5_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS visit_pages (
  id INTEGER PRIMARY KEY, visitor_id TEXT NOT NULL, url TEXT NOT NULL, title TEXT NOT NULL, at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS visit_pages_visitor ON visit_pages (visitor_id, id);
CREATE INDEX IF NOT EXISTS visit_pages_at ON visit_pages (at);`;

export class VisitPages {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(SCHEMA);
  }

  /** A page view (opened at `page.at`) of the visit begun at `visitStart`. Told again (the title
   * changed, a chat started) it is still one row, and so is the same page right after (a reload,
   * a second tab on it); the oldest rows beyond the visitor's limit go. */
  opened(visitorId: string, page: VisitPage, visitStart: number): void {
    const known = this.sql
      .exec(
        `SELECT 1 FROM visit_pages WHERE visitor_id = ?1 AND url = ?2 AND (at = ?3 OR
          (at >= ?4 AND id = (SELECT max(id) FROM visit_pages WHERE visitor_id = ?1)))`,
        visitorId,
        page.url,
        page.at,
        visitStart - START_SLACK_MS,
      )
      .toArray().length;
    if (known) return;
    this.sql.exec(
      "INSERT INTO visit_pages (visitor_id, url, title, at) VALUES (?, ?, ?, ?)",
      visitorId,
      page.url,
      page.title,
      page.at,
    );
    this.sql.exec(
      `DELETE FROM visit_pages WHERE visitor_id = ? AND id <=
        (SELECT id FROM visit_pages WHERE visitor_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`,
      visitorId,
      visitorId,
      MAX_VISIT_PAGES,
    );
  }

  /** The visit begun at `startedAt` with its pages, newest first. */
  visit(visitorId: string, startedAt: number): Visit {
    const pages = this.sql
      .exec<VisitPage>(
        "SELECT url, title, at FROM visit_pages WHERE visitor_id = ? AND at >= ? ORDER BY id DESC LIMIT ?",
        visitorId,
        startedAt - START_SLACK_MS,
        MAX_VISIT_PAGES,
      )
      .toArray();
    return { startedAt, pages };
  }

  /** Drops pages opened over a day ago (the alarm's sweep). */
  sweep(now: number): void {
    this.sql.exec("DELETE FROM visit_pages WHERE at < ?", now - KEEP_MS);
  }

  /** Erasure: every page the visitor opened. */
  forget(visitorId: string): void {
    this.sql.exec("DELETE FROM visit_pages WHERE visitor_id = ?", visitorId);
  }
}
