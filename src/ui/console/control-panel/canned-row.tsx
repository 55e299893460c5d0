// One canned response in a list: its title, shortcut and text in its level's colour, with edit (in
// place), delete (confirmed) and, where the list has an order to change, up and down buttons.
// Used by the Control Panel and by an operator's own "My responses" page alike.
import { createSignal, Show } from "solid-js";
import type { CannedResponse } from "../../../shared/protocol.ts";
import { LEVEL_COLOURS } from "../components/canned-bar.tsx";
import { announce } from "../components/live-region.tsx";
import type { CannedChanges } from "./admin-client.ts";
import { CannedShortcutField, CannedTitleAndTextFields } from "./canned-fields.tsx";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, EditorActions, FormProblem, type Action } from "./forms.tsx";

const EDIT_FIELDS = ["title", "text", "shortcut"] as const;

/** After a form added `saved`: empty its title, text and shortcut (`clear`) for the next one, say
 * so, and start again at the title. The Control Panel's form and "My responses" alike. */
export function readyForNext(
  saved: CannedResponse,
  clear: readonly ((value: string) => void)[],
  titleInput: HTMLInputElement,
) {
  for (const set of clear) set("");
  announce(`Saved "${saved.title}".`);
  titleInput.focus();
}

export type Reorder = { canUp: boolean; canDown: boolean; move(delta: -1 | 1): Promise<unknown> };

export function CannedRow(props: {
  response: CannedResponse;
  save(changes: CannedChanges): Promise<unknown>;
  remove(): Promise<unknown>;
  /** Absent where the order is not the user's to change. */
  reorder?: Reorder;
}) {
  const [editing, setEditing] = createSignal(false);
  const action = createAction();
  let upButton: HTMLButtonElement | undefined;
  let downButton: HTMLButtonElement | undefined;
  let editButton: HTMLButtonElement | undefined;

  async function move(delta: -1 | 1) {
    const saved = action.run(() => props.reorder!.move(delta));
    // The list shows the new order at once, and moving the row's node can drop focus: keep the
    // keyboard user on the button they pressed, or on its twin once the row reached the end.
    const pressed = delta < 0 ? upButton : downButton;
    const other = delta < 0 ? downButton : upButton;
    const keepFocus = () => (pressed && !pressed.disabled ? pressed : other)?.focus();
    keepFocus();
    // The buttons' disabled state follows the new order on the next render: check again then.
    requestAnimationFrame(() => {
      if (!document.activeElement || document.activeElement === document.body || document.activeElement === pressed)
        keepFocus();
    });
    await saved;
    // The list may be re-rendered from the server's answer meanwhile; if that dropped the focus
    // (it went back to the page's body), put it back where the keyboard user left it.
    if (!document.activeElement || document.activeElement === document.body) keepFocus();
  }

  /** The up (-1) or down (1) button; each keeps its node in upButton or downButton for move(). */
  function MoveButton(button: { delta: -1 | 1; testid: string; disabled: boolean }) {
    const way = button.delta < 0 ? "up" : "down";
    return (
      <button
        type="button"
        ref={(el) => (button.delta < 0 ? (upButton = el) : (downButton = el))}
        data-testid={button.testid}
        disabled={button.disabled}
        aria-label={`Move "${props.response.title}" ${way}`}
        title={`Move ${way}`}
        onClick={() => void move(button.delta)}
      >
        {button.delta < 0 ? "↑" : "↓"}
      </button>
    );
  }

  return (
    <li
      class="cp-canned-row"
      data-testid="cp-canned-row"
      data-id={props.response.id}
      data-level={props.response.level}
      style={{ "--level-colour": LEVEL_COLOURS[props.response.level] }}
    >
      <Show
        when={editing()}
        fallback={
          <>
            <div class="cp-canned-body">
              <span class="cp-canned-title" data-testid="cp-canned-title-text">
                {props.response.title}
              </span>
              <Show when={props.response.shortcut}>
                <code class="cp-shortcut">/{props.response.shortcut}</code>
              </Show>
              <p class="cp-canned-text">{props.response.text}</p>
            </div>
            <div class="cp-row-actions">
              <Show when={props.reorder}>
                {(reorder) => (
                  <>
                    <MoveButton delta={-1} testid="cp-canned-up" disabled={!reorder().canUp} />
                    <MoveButton delta={1} testid="cp-canned-down" disabled={!reorder().canDown} />
                  </>
                )}
              </Show>
              <button
                type="button"
                ref={editButton}
                data-testid="cp-canned-edit"
                aria-label={`Edit "${props.response.title}"`}
                onClick={() => setEditing(true)}
              >
                Edit
              </button>
              <ConfirmButton
                label="Delete"
                question={`Delete "${props.response.title}"?`}
                testid="cp-canned-delete"
                onConfirm={() => void action.run(props.remove)}
              />
            </div>
            <FormProblem problem={action.problem()} />
          </>
        }
      >
        <EditForm
          response={props.response}
          action={action}
          save={props.save}
          close={() => {
            setEditing(false);
            editButton?.focus();
          }}
        />
      </Show>
    </li>
  );
}

function EditForm(props: {
  response: CannedResponse;
  action: Action;
  save(changes: CannedChanges): Promise<unknown>;
  close(): void;
}) {
  const [title, setTitle] = createSignal(props.response.title);
  const [text, setText] = createSignal(props.response.text);
  const [shortcut, setShortcut] = createSignal(props.response.shortcut ?? "");
  const problem = () => props.action.problem();
  props.action.clear();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const saved = await props.action.run(() =>
      props.save({ title: title(), text: text(), shortcut: shortcut().trim() || null }),
    );
    if (saved) props.close();
  }

  return (
    <form
      class="cp-canned-edit"
      aria-label={`Edit "${props.response.title}"`}
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && props.close()}
    >
      <CannedTitleAndTextFields
        title={[title, setTitle]}
        text={[text, setText]}
        problem={problem()}
        testid="cp-canned-edit"
        titleRef={(input) => queueMicrotask(() => input.focus())}
      />
      <CannedShortcutField
        shortcut={[shortcut, setShortcut]}
        problem={problem()}
        testid="cp-canned-edit"
        hint="Optional; typed as /shortcut in the message box."
      />
      <FormProblem problem={problem()} fields={EDIT_FIELDS} />
      <EditorActions
        busy={props.action.busy()}
        saveTestid="cp-canned-edit-save"
        cancelTestid="cp-canned-edit-cancel"
        onCancel={() => props.close()}
      />
    </form>
  );
}
