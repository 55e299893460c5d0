import { drizzle } from "drizzle-orm/d1";

/** A drizzle handle on the D1 binding; cheap to create, so made per use. */
export function database(db: D1Database) {
  return drizzle(db);
}
