// The canned responses bar, as in the manual: a drop-down list coloured by level, a button that
// inserts the chosen response, and the "lightning" button that inserts it again in one click.
// Choosing from the list inserts at once as well.
import { For } from "solid-js";
import type { CannedLevel, CannedResponse } from "../../../shared/protocol.ts";

export const LEVEL_COLOURS: Record<CannedLevel, string> = {
  company: "#c62828",
  department: "#2e7d32",
  operator: "#0d2c6b",
};
const LEVEL_NAMES: Record<CannedLevel, string> = { company: "Company", department: "Department", operator: "Personal" };

function optionLabel(response: CannedResponse): string {
  const shortcut = response.shortcut ? `  /${response.shortcut}` : "";
  return `${response.title} · ${LEVEL_NAMES[response.level]}${shortcut}`;
}

export function CannedBar(props: {
  responses: readonly CannedResponse[];
  chosenId: string;
  onChoose(id: string): void;
  onInsert(text: string): void;
  disabled: boolean;
}) {
  const chosen = () => props.responses.find((r) => r.id === props.chosenId);
  const insertChosen = () => {
    const response = chosen();
    if (response) props.onInsert(response.text);
  };

  return (
    <div class="canned-bar" role="group" aria-label="Canned responses">
      <label class="visually-hidden" for="canned-select">
        Canned response
      </label>
      <select
        id="canned-select"
        data-testid="canned-select"
        value={props.chosenId}
        disabled={props.disabled || props.responses.length === 0}
        style={{ color: chosen() ? LEVEL_COLOURS[chosen()!.level] : undefined }}
        onChange={(e) => {
          props.onChoose(e.currentTarget.value);
          insertChosen();
        }}
      >
        <option value="">{props.responses.length ? "Canned responses…" : "No canned responses"}</option>
        <For each={props.responses}>
          {(response) => (
            <option
              value={response.id}
              data-testid="canned-option"
              data-level={response.level}
              style={{ color: LEVEL_COLOURS[response.level] }}
            >
              {optionLabel(response)}
            </option>
          )}
        </For>
      </select>
      <button type="button" data-testid="canned-insert" disabled={props.disabled || !chosen()} onClick={insertChosen}>
        Insert
      </button>
      <button
        type="button"
        class="lightning"
        data-testid="canned-lightning"
        disabled={props.disabled || !chosen()}
        onClick={insertChosen}
        aria-label={chosen() ? `Insert "${chosen()!.title}" again` : "Insert the chosen response again"}
        title={chosen() ? `Insert "${chosen()!.title}" again` : "Choose a canned response first"}
      >
        ⚡
      </button>
    </div>
  );
}
