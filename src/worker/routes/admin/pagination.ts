// Cursor pagination over a table's `id`, shared by every list of the admin API. Ids are
// prefix + ULID, so ordering by id is ordering by creation; the cursor is the last id of a page,
// and the next page is what sorts after it. Nothing is skipped or repeated when rows are added
// or removed between pages, unlike with offsets.
import { asc, desc, gt, lt, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Page } from "../../../shared/admin-api.ts";

const DEFAULT_PAGE_SIZE = 50;

type PageParams = { cursor?: string | undefined; limit?: number | undefined };

/** One page's window: add `where` to the query's conditions, order by `orderBy`, take `limit`
 * rows, and turn them into the answer with `page`. `newestFirst` pages by id descending. */
export function pageWindow(id: SQLiteColumn, params: PageParams, newestFirst = false) {
  const size = params.limit ?? DEFAULT_PAGE_SIZE;
  return {
    where: params.cursor === undefined ? undefined : newestFirst ? lt(id, params.cursor) : gt(id, params.cursor),
    orderBy: (newestFirst ? desc(id) : asc(id)) as SQL,
    // One row more than the page holds tells whether another page follows.
    limit: size + 1,
    page<Row extends { id: string }, Item>(rows: Row[], toItem: (row: Row) => Item): Page<Item> {
      const more = rows.length > size;
      const shown = more ? rows.slice(0, size) : rows;
      return { items: shown.map(toItem), nextCursor: more ? shown[shown.length - 1]!.id : null };
    },
  };
}
