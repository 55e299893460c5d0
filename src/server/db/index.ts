import { drizzle } from "drizzle-orm/d1";

/** A drizzle handle on the D1 binding; cheap to create, so made per use. */
export function database(db: D1Database) {
  return drizzle(db);
}

/** Whether a failed write broke a UNIQUE constraint (D1 reports it in the message, which drizzle
 * wraps in an error of its own with the original as `cause`). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}
