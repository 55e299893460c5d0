// Hand the open chat on (issue 5): pick a colleague, then "Transfer" (you leave, they get the
// chat with its whole history) or "Invite colleague" (they join, you stay). Departments can be
// transferred to over the API (POST /api/operator/chats/:chatId/transfer {departmentId}).
import { createSignal, For, Show } from "solid-js";
import type { OperatorPresence } from "../../../shared/lobby-protocol.ts";
import type { ChatConnection } from "../chat-connection.ts";

export function TransferControl(props: { chat: ChatConnection; colleagues: OperatorPresence[]; onTransfer(chat: ChatConnection, operatorId: string, stay: boolean): Promise<string | null> }) {
  const [target, setTarget] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const go = async (stay: boolean) => {
    if (!target()) return;
    setBusy(true);
    setError(await props.onTransfer(props.chat, target(), stay));
    setBusy(false);
  };
  return (
    <Show when={props.chat.state.status !== "closed" && !props.chat.state.unreachable}>
      <div class="transfer-control" data-testid="transfer-control">
        <label>
          Colleague{" "}
          <select data-testid="transfer-target" value={target()} onChange={(e) => setTarget(e.currentTarget.value)}>
            <option value="">Choose…</option>
            <For each={props.colleagues}>{(op) => <option value={op.id}>{`${op.name}${op.connected && op.status === "online" ? "" : " (away)"}`}</option>}</For>
          </select>
        </label>{" "}
        <button type="button" data-testid="transfer-button" disabled={!target() || busy()} onClick={() => void go(false)}>
          Transfer
        </button>{" "}
        <button type="button" data-testid="invite-colleague" disabled={!target() || busy()} onClick={() => void go(true)}>
          Invite colleague
        </button>
        <Show when={error()}>
          <span class="notice" role="alert">
            {error()}
          </span>
        </Show>
      </div>
    </Show>
  );
}
