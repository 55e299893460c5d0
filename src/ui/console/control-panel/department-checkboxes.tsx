// The departments an operator belongs to, as a group of checkboxes: an operator is usually in one
// or two of a handful, which a multi-select would make fiddly to set by mouse or keyboard.
import { For, Show } from "solid-js";
import type { Department } from "./admin-client.ts";

export function DepartmentCheckboxes(props: {
  departments: readonly Department[];
  chosen: readonly string[];
  onChange(ids: string[]): void;
  errors?: string[];
  testid: string;
}) {
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.chosen, id] : props.chosen.filter((c) => c !== id));
  return (
    <fieldset
      class="cp-checkboxes"
      data-testid={props.testid}
      aria-invalid={(props.errors?.length ?? 0) > 0 || undefined}
    >
      <legend>Departments</legend>
      <Show
        when={props.departments.length > 0}
        fallback={<p class="hint">No departments yet: the operator takes chats of the whole account.</p>}
      >
        <For each={props.departments}>
          {(department) => (
            <label>
              <input
                type="checkbox"
                value={department.id}
                checked={props.chosen.includes(department.id)}
                onChange={(e) => toggle(department.id, e.currentTarget.checked)}
              />
              {department.name}
            </label>
          )}
        </For>
      </Show>
      <Show when={props.errors?.length}>
        <p class="cp-field-error">{props.errors!.join(" ")}</p>
      </Show>
    </fieldset>
  );
}
