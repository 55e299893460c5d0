// Rows bound to one statement as a JSON array (json_each): D1 takes a bound value of at most 2 MB,
// and a queue batch of runs can bring thousands of rows, so they go in chunks. A chunk holds at
// most MAX_CHUNK_CHARS characters as `sizeOf` counts them (the variable texts, with room for the
// rest); each character is at most six bytes in the JSON (a control character's escape).
const MAX_CHUNK_CHARS = 300_000;

/** `rows` in order, cut into as few chunks as fit; none for no rows. */
function jsonChunks<Row>(rows: readonly Row[], sizeOf: (row: Row) => number): Row[][] {
  const chunks: Row[][] = [];
  let chars = Infinity;
  for (const row of rows) {
    const size = sizeOf(row);
    if (chars + size > MAX_CHUNK_CHARS) [chunks[chunks.length], chars] = [[], 0];
    chunks.at(-1)!.push(row);
    chars += size;
  }
  return chunks;
}

/** The statements that run `sql` over `rows`, its `?1` bound to each chunk as a JSON array: as few
 * as fit D1's limit on a bound value, most often one; none for no rows. */
export function jsonRowStatements<Row>(
  db: D1Database,
  sql: string,
  rows: readonly Row[],
  sizeOf: (row: Row) => number,
): D1PreparedStatement[] {
  const statement = db.prepare(sql);
  return jsonChunks(rows, sizeOf).map((chunk) => statement.bind(JSON.stringify(chunk)));
}
