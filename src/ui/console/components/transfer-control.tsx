// Hand the open chat on: pick a colleague or a department, then "Transfer" (you leave;
// a colleague gets the chat with its whole history, a department's operators find it waiting) or,
// for a colleague only, "Invite colleague" (they join, you stay).
import { createSignal, For, Show } from "solid-js";
import type { OperatorPresence } from "../../../shared/lobby-protocol.ts";
import type { DepartmentSummary } from "../../../shared/protocol.ts";
import { isOpenAt } from "../../../shared/business-hours.ts";
import type { ChatConnection } from "../chat-connection.ts";

/** Where a chat is handed: one colleague, or a department's queue. */
export type TransferTarget = { operatorId: string } | { departmentId: string };

/** The select's values: "operator:<id>" or "department:<id>", so the two id spaces never mix. */
function targetOf(value: string): TransferTarget | null {
  const [kind, ...rest] = value.split(":");
  const id = rest.join(":");
  if (!id) return null;
  if (kind === "operator") return { operatorId: id };
  if (kind === "department") return { departmentId: id };
  return null;
}

export function TransferControl(props: {
  chat: ChatConnection;
  colleagues: OperatorPresence[];
  departments: DepartmentSummary[];
  onTransfer(chat: ChatConnection, target: TransferTarget, stay: boolean): Promise<string | null>;
}) {
  const [value, setValue] = createSignal("");
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  const target = () => targetOf(value());
  const go = async (stay: boolean) => {
    const chosen = target();
    if (!chosen) return;
    setBusy(true);
    setError(await props.onTransfer(props.chat, chosen, stay));
    setBusy(false);
  };
  return (
    <Show when={props.chat.state.status !== "closed" && !props.chat.state.unreachable}>
      <div class="transfer-control" data-testid="transfer-control">
        <label>
          Hand over to{" "}
          <select data-testid="transfer-target" value={value()} onChange={(e) => setValue(e.currentTarget.value)}>
            <option value="">Choose…</option>
            <Show when={props.colleagues.length > 0}>
              <optgroup label="Colleague">
                <For each={props.colleagues}>
                  {(op) => (
                    <option
                      value={`operator:${op.id}`}
                    >{`${op.name}${op.connected && op.status === "online" ? "" : " (away)"}`}</option>
                  )}
                </For>
              </optgroup>
            </Show>
            <Show when={props.departments.length > 0}>
              <optgroup label="Department">
                <For each={props.departments}>
                  {(dep) => (
                    <option value={`department:${dep.id}`}>
                      {isOpenAt(dep.businessHours, Date.now()) ? dep.name : `${dep.name} (closed now)`}
                    </option>
                  )}
                </For>
              </optgroup>
            </Show>
          </select>
        </label>{" "}
        <button
          type="button"
          data-testid="transfer-button"
          disabled={!target() || busy()}
          onClick={() => void go(false)}
        >
          Transfer
        </button>{" "}
        <button
          type="button"
          data-testid="invite-colleague"
          disabled={!target() || !("operatorId" in target()!) || busy()}
          title="Only a colleague can be invited; a department can only be transferred to."
          onClick={() => void go(true)}
        >
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
