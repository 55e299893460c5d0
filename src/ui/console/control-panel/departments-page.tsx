// The Departments page: add one, rename one in place, delete one. Departments route waiting chats
// to their operators and own department-level canned responses.
import { createSignal, For, Show, type Signal } from "solid-js";
import type { ApiError } from "../api.ts";
import { announce } from "../components/live-region.tsx";
import { admin, type Department } from "./admin-client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, errorsFor, Field, FormProblem, WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";

const byName = (a: Department, b: Department) => a.name.localeCompare(b.name);

export function DepartmentsPage() {
  const list = loadOnMount(async () => (await admin.departments.list()).sort(byName));
  const [name, setName] = createSignal("");
  const action = createAction();

  const replace = (change: (all: Department[]) => Department[]) => list.set(change(list.value() ?? []).sort(byName));

  async function create(event: SubmitEvent) {
    event.preventDefault();
    const created = await action.run(() => admin.departments.create({ name: name() }));
    if (!created) return;
    replace((all) => [...all, created.value]);
    setName("");
    announce(`Added the department ${created.value.name}.`);
  }

  return (
    <section class="cp-page" data-testid="cp-departments" aria-labelledby="cp-departments-heading">
      <h2 id="cp-departments-heading" tabIndex={-1}>
        Departments
      </h2>
      <form class="cp-card cp-inline-form" aria-label="New department" onSubmit={create}>
        <NameField
          label="New department"
          name={[name, setName]}
          problem={action.problem()}
          testid="cp-department-name"
        />
        <button type="submit" class="primary" data-testid="cp-department-save" disabled={action.busy()}>
          Add department
        </button>
        <FormProblem problem={action.problem()} fields={["name"]} />
      </form>
      <WhenLoaded value={list.value()} problem={list.problem()}>
        {(departments) => (
          <Show when={departments().length > 0} fallback={<p class="hint">No departments yet.</p>}>
            <ul class="cp-list">
              {/* By id, so a renamed row stays the same element and keeps the keyboard focus. */}
              <For each={departments().map((d) => d.id)}>
                {(id) => (
                  <Show when={departments().find((d) => d.id === id)}>
                    {(department) => (
                      <DepartmentRow
                        department={department()}
                        onSaved={(saved) => replace((all) => all.map((d) => (d.id === saved.id ? saved : d)))}
                        onDeleted={() => replace((all) => all.filter((d) => d.id !== id))}
                      />
                    )}
                  </Show>
                )}
              </For>
            </ul>
          </Show>
        )}
      </WhenLoaded>
    </section>
  );
}

/** A department's name, new or changed. */
function NameField(props: {
  label: string;
  name: Signal<string>;
  problem: ApiError | null;
  testid: string;
  ref?(input: HTMLInputElement): void;
}) {
  const [name, setName] = props.name;
  return (
    <Field label={props.label} errors={errorsFor(props.problem, "name")}>
      <input
        data-testid={props.testid}
        required
        maxLength={100}
        value={name()}
        onInput={(e) => setName(e.currentTarget.value)}
        ref={(input) => props.ref?.(input)}
      />
    </Field>
  );
}

function DepartmentRow(props: { department: Department; onSaved(department: Department): void; onDeleted(): void }) {
  const [editing, setEditing] = createSignal(false);
  const [name, setName] = createSignal(props.department.name);
  const action = createAction();
  let renameButton: HTMLButtonElement | undefined;

  const close = () => {
    setEditing(false);
    renameButton?.focus();
  };

  async function rename(event: SubmitEvent) {
    event.preventDefault();
    const saved = await action.run(() => admin.departments.update(props.department.id, { name: name() }));
    if (!saved) return;
    props.onSaved(saved.value);
    close();
  }

  async function remove() {
    const done = await action.run(() => admin.departments.remove(props.department.id));
    if (!done) return;
    announce(`Deleted the department ${props.department.name}.`);
    props.onDeleted();
  }

  return (
    <li class="cp-list-row" data-testid="cp-department-row" data-id={props.department.id}>
      <Show
        when={editing()}
        fallback={
          <>
            <span class="cp-list-name">{props.department.name}</span>
            <span class="cp-row-actions">
              <button
                type="button"
                ref={renameButton}
                data-testid="cp-department-rename"
                aria-label={`Rename ${props.department.name}`}
                onClick={() => {
                  setName(props.department.name);
                  action.clear();
                  setEditing(true);
                }}
              >
                Rename
              </button>
              <ConfirmButton
                label="Delete"
                question={`Delete ${props.department.name}?`}
                testid="cp-department-delete"
                disabled={action.busy()}
                onConfirm={() => void remove()}
              />
            </span>
          </>
        }
      >
        <form
          class="cp-inline-form"
          aria-label={`Rename ${props.department.name}`}
          onSubmit={rename}
          onKeyDown={(e) => e.key === "Escape" && close()}
        >
          <NameField
            label="Name"
            name={[name, setName]}
            problem={action.problem()}
            testid="cp-department-edit-name"
            ref={(input) => queueMicrotask(() => input.select())}
          />
          <button type="submit" class="primary" data-testid="cp-department-edit-save" disabled={action.busy()}>
            Save
          </button>
          <button type="button" onClick={close}>
            Cancel
          </button>
        </form>
      </Show>
      <FormProblem problem={action.problem()} fields={editing() ? ["name"] : []} />
    </li>
  );
}
