// The form that adds a canned response: its level, the department or operator it belongs to (for
// those levels), title, text and an optional shortcut. Level and owner stay as they were after a
// save, since an admin usually adds several responses for the same group in a row.
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { cannedLevels, type CannedLevel, type CannedResponse } from "../../../shared/protocol.ts";
import { LEVEL_COLOURS } from "../components/canned-bar.tsx";
import { admin, type Department, type NewCanned, type Operator } from "./admin-client.ts";
import { CannedShortcutField, CannedTitleAndTextFields } from "./canned-fields.tsx";
import { LEVEL_LABELS } from "./canned-groups.ts";
import { readyForNext } from "./canned-row.tsx";
import { createAction, errorsFor, Field, FormProblem } from "./forms.tsx";

const FIELDS = ["level", "ownerId", "title", "text", "shortcut"] as const;

export function CannedForm(props: {
  departments: readonly Department[];
  operators: readonly Operator[];
  onCreated(response: CannedResponse): void;
}) {
  const [level, setLevel] = createSignal<CannedLevel>("company");
  const [ownerId, setOwnerId] = createSignal("");
  const [title, setTitle] = createSignal("");
  const [text, setText] = createSignal("");
  const [shortcut, setShortcut] = createSignal("");
  const action = createAction();
  let titleInput!: HTMLInputElement;

  const owners = (): readonly { id: string; name: string }[] =>
    level() === "department"
      ? props.departments
      : level() === "operator"
        ? props.operators.filter((o) => o.active)
        : [];
  // A new level has other owners: preselect its first, so "Save" right away does something sensible.
  createEffect(on(level, () => setOwnerId(owners()[0]?.id ?? "")));
  const problem = () => action.problem();

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const body: NewCanned = { level: level(), title: title(), text: text(), shortcut: shortcut().trim() || null };
    if (level() !== "company") body.ownerId = ownerId();
    const created = await action.run(() => admin.canned.create(body));
    if (!created) return;
    props.onCreated(created.value);
    readyForNext(created.value, [setTitle, setText, setShortcut], titleInput);
  }

  return (
    <form
      class="cp-card cp-canned-form"
      aria-labelledby="cp-canned-form-title"
      onSubmit={submit}
      style={{ "--level-colour": LEVEL_COLOURS[level()] }}
    >
      <h3 id="cp-canned-form-title">New canned response</h3>
      <div class="cp-row">
        <Field label="Level" errors={errorsFor(problem(), "level")}>
          <select
            data-testid="cp-canned-level"
            class="cp-level-select"
            value={level()}
            onChange={(e) => setLevel(e.currentTarget.value as CannedLevel)}
          >
            <For each={cannedLevels}>{(l) => <option value={l}>{LEVEL_LABELS[l]}</option>}</For>
          </select>
        </Field>
        <Show when={level() !== "company"}>
          <Field label={level() === "department" ? "Department" : "Operator"} errors={errorsFor(problem(), "ownerId")}>
            <select
              data-testid="cp-canned-owner"
              required
              value={ownerId()}
              onChange={(e) => setOwnerId(e.currentTarget.value)}
            >
              <Show when={owners().length === 0}>
                <option value="">{level() === "department" ? "No departments yet" : "No operators"}</option>
              </Show>
              <For each={owners()}>{(owner) => <option value={owner.id}>{owner.name}</option>}</For>
            </select>
          </Field>
        </Show>
        <CannedShortcutField shortcut={[shortcut, setShortcut]} problem={problem()} testid="cp-canned" />
      </div>
      <CannedTitleAndTextFields
        title={[title, setTitle]}
        text={[text, setText]}
        problem={problem()}
        testid="cp-canned"
        titleRef={(input) => (titleInput = input)}
      />
      <FormProblem problem={problem()} fields={FIELDS} testid="cp-canned-problem" />
      <div class="cp-form-actions">
        <button
          type="submit"
          class="primary"
          data-testid="cp-canned-save"
          disabled={action.busy() || (level() !== "company" && !ownerId())}
        >
          Add response
        </button>
      </div>
    </form>
  );
}
