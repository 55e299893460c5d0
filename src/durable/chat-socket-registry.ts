// Which chats each operator has opened a socket to lately, kept by the account's Lobby, so that
// when an operator loses the right to their sockets (deactivated, password reset, signed out),
// every room holding one can be told: not only the chats they are in now, but also closed chats
// and colleagues' chats they opened to read. A socket cannot outlive its token (the room closes
// it then), so entries older than an operator token's life are of no use and are dropped.
export const CHAT_SOCKET_REGISTRY_SCHEMA = `
CREATE TABLE IF NOT EXISTS chat_sockets (
  operator_id TEXT NOT NULL, chat_id TEXT NOT NULL, opened_at INTEGER NOT NULL,
  PRIMARY KEY (operator_id, chat_id)
);`;

export function noteChatSocket(sql: SqlStorage, operatorId: string, chatId: string, now: number): void {
  sql.exec(
    "INSERT INTO chat_sockets (operator_id, chat_id, opened_at) VALUES (?, ?, ?) ON CONFLICT (operator_id, chat_id) DO UPDATE SET opened_at = excluded.opened_at",
    operatorId,
    chatId,
    now,
  );
}

/** The chats where this operator may still hold a socket opened within `lifetimeMs`. */
export function chatSocketsOf(sql: SqlStorage, operatorId: string, now: number, lifetimeMs: number): string[] {
  sql.exec("DELETE FROM chat_sockets WHERE opened_at < ?", now - lifetimeMs);
  return sql
    .exec<{ chat_id: string }>("SELECT chat_id FROM chat_sockets WHERE operator_id = ?", operatorId)
    .toArray()
    .map((row) => row.chat_id);
}
