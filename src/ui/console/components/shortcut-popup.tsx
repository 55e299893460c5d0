// The small list offered while typing "/shortcut" in the message box. The textarea keeps focus
// (arrow keys, Enter and Tab are handled there); this only shows the choices and takes clicks.
import { For } from "solid-js";
import type { CannedResponse } from "../../../shared/protocol.ts";
import { LEVEL_COLOURS } from "./canned-bar.tsx";

export const SHORTCUT_LIST_ID = "shortcut-suggestions";
export const suggestionId = (index: number) => `shortcut-suggestion-${index}`;

export function ShortcutPopup(props: {
  matches: readonly CannedResponse[];
  selected: number;
  onPick(response: CannedResponse): void;
}) {
  return (
    <ul id={SHORTCUT_LIST_ID} class="shortcut-popup" role="listbox" aria-label="Canned responses matching the shortcut">
      <For each={props.matches}>
        {(response, index) => (
          <li
            id={suggestionId(index())}
            role="option"
            aria-selected={index() === props.selected}
            data-testid="shortcut-suggestion"
            data-level={response.level}
            // mousedown, not click: a click would first blur the textarea and lose the caret.
            onMouseDown={(e) => {
              e.preventDefault();
              props.onPick(response);
            }}
          >
            <span class="shortcut" style={{ color: LEVEL_COLOURS[response.level] }}>
              /{response.shortcut}
            </span>
            <span class="title">{response.title}</span>
            <span class="preview">{response.text}</span>
          </li>
        )}
      </For>
    </ul>
  );
}
