// The account's routing configuration, read from D1 (departments' modes and timers, operators'
// and the account's capacities). The Lobby keeps it in memory once read, and reads it again when
// the admin API says it changed (Lobby.routingChanged) and after every wake-up.
import { readSettings } from "../server/db/settings.ts";
import type { DepartmentRouting, RoutingConfig } from "./routing.ts";
import type { RoutingMode } from "../shared/lobby-protocol.ts";

export async function loadRoutingConfig(db: D1Database, accountId: string): Promise<RoutingConfig> {
  const [departments, operators, settings] = await Promise.all([
    db
      .prepare("SELECT id, routing_mode, ring_timeout_s, max_wait_s FROM departments WHERE account_id = ?")
      .bind(accountId)
      .all<{ id: string; routing_mode: RoutingMode; ring_timeout_s: number; max_wait_s: number }>(),
    db
      .prepare("SELECT id, max_chats FROM operators WHERE account_id = ? AND max_chats IS NOT NULL")
      .bind(accountId)
      .all<{ id: string; max_chats: number }>(),
    readSettings(db, accountId),
  ]);
  return {
    departments: new Map(
      departments.results.map((row): [string, DepartmentRouting] => [
        row.id,
        { mode: row.routing_mode, ringTimeoutMs: row.ring_timeout_s * 1000, maxWaitMs: row.max_wait_s * 1000 },
      ]),
    ),
    defaultCapacity: settings?.maxChatsPerOperator ?? null,
    capacities: new Map(operators.results.map((row) => [row.id, row.max_chats])),
  };
}
