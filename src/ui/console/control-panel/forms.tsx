// Form plumbing shared by the Control Panel's pages: running a request with a busy flag and its
// problem kept for display, a labelled field whose API errors are linked to it through
// aria-describedby, the problem summary shown next to a form, and what a page shows while its
// data loads.
import {
  children,
  createEffect,
  createRenderEffect,
  createSignal,
  createUniqueId,
  For,
  on,
  Show,
  type Accessor,
  type JSX,
} from "solid-js";
import { ApiError } from "../api.ts";

export type Action = {
  busy(): boolean;
  problem(): ApiError | null;
  /** Runs one request: its answer wrapped (a 204 answers `{ value: undefined }`), or null after
   * a failure, whose problem is kept for showing instead of being thrown. */
  run<T>(request: () => Promise<T>): Promise<{ value: T } | null>;
  clear(): void;
};

export function createAction(): Action {
  const [busy, setBusy] = createSignal(false);
  const [problem, setProblem] = createSignal<ApiError | null>(null);
  return {
    busy,
    problem,
    clear: () => setProblem(null),
    async run(request) {
      setBusy(true);
      setProblem(null);
      try {
        return { value: await request() };
      } catch (error) {
        setProblem(
          error instanceof ApiError
            ? error
            : new ApiError(0, "internal", error instanceof Error ? error.message : String(error)),
        );
        return null;
      } finally {
        setBusy(false);
      }
    },
  };
}

/** The API names each field an answer is about (`fields`: a path like `title` or
 * `allowedOrigins.2`, and a message in words); an entry of a list field is said by its number.
 * Deeper parts (`businessHours.weekly.mon.0`) are the form's to show where they belong
 * (errorsAt). */
function issues(problem: ApiError | null): { field: string; message: string }[] {
  return (problem?.fields ?? []).map(({ path, message }) => {
    const [field, index] = path.split(".");
    return {
      field: field!,
      message: index === undefined || !/^\d+$/.test(index) ? message : `Entry ${Number(index) + 1}: ${message}`,
    };
  });
}

/** The issues of the last answer about one field. */
export function errorsFor(problem: ApiError | null, field: string): string[] {
  return issues(problem).flatMap((issue) => (issue.field === field ? [issue.message] : []));
}

/** The messages of the last answer about `path` or anything under it, word for word: for a part
 * of a nested field that one control shows (`businessHours.weekly.mon` has those about
 * `businessHours.weekly.mon.0` and `businessHours.weekly.mon.0.from` too). */
export function errorsAt(problem: ApiError | null, path: string): string[] {
  return (problem?.fields ?? []).flatMap((f) => (f.path === path || f.path.startsWith(`${path}.`) ? [f.message] : []));
}

/** Issues not about any of `fields`, so nothing the API said goes unshown. */
function otherErrors(problem: ApiError, fields: readonly string[]): string[] {
  return issues(problem)
    .filter((issue) => !fields.includes(issue.field))
    .map((issue) => issue.message);
}

/** What went wrong with the last submit. When the form shows the API's messages at their
 * fields, this says so (one message is repeated here) and takes the keyboard focus to the first
 * field marked invalid, which scrolls it into view and has a screen reader read its message;
 * otherwise the detail and any issue no field shows. An alert, so it is heard at once. */
export function FormProblem(props: {
  problem: ApiError | null;
  fields?: readonly string[];
  id?: string;
  testid?: string;
}) {
  const atFields = (problem: ApiError) => issues(problem).filter((issue) => (props.fields ?? []).includes(issue.field));
  const headline = (problem: ApiError) => {
    const shown = atFields(problem);
    if (shown.length === 0) return problem.message;
    return shown.length === 1
      ? `Not saved: ${shown[0]!.message}`
      : `Not saved: ${shown.length} fields need a change; each says what at the field.`;
  };
  let box: HTMLDivElement | undefined;
  createEffect(
    on(
      () => props.problem,
      (problem) => {
        if (!problem || atFields(problem).length === 0) return;
        // After the fields have marked themselves (their render effects run first).
        requestAnimationFrame(() => box?.closest("form")?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      },
    ),
  );
  return (
    <Show when={props.problem}>
      {(problem) => (
        <div class="cp-problem" role="alert" id={props.id} data-testid={props.testid ?? "cp-problem"} ref={box}>
          <p>{headline(problem())}</p>
          <Show when={otherErrors(problem(), props.fields ?? []).length > 0}>
            <ul>
              <For each={otherErrors(problem(), props.fields ?? [])}>{(line) => <li>{line}</li>}</For>
            </ul>
          </Show>
        </div>
      )}
    </Show>
  );
}

/** A number input's value as the API takes it: the number typed, or null when it is empty (an
 * optional number left unset; a required one is refused by the API, saying what it needs). Ranges
 * are the API's to check, not the input's min and max: its messages say them in words, at the
 * field, where the browser's own bubble would vanish. */
export function numberOf(text: string): number | null {
  return text.trim() === "" ? null : Number(text);
}

/** A label, the control (the child input, select or textarea, or the first one inside it), an
 * optional hint and the API's errors about this field. Field gives the control its id and links
 * hint and errors to it with aria-describedby itself, instead of callers spreading attributes:
 * JSX spread would add 2 kB of Solid's runtime to the console's main bundle. */
export function Field(props: {
  label: string;
  hint?: string;
  errors?: string[];
  class?: string;
  children: JSX.Element;
}) {
  const id = createUniqueId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasErrors = () => (props.errors?.length ?? 0) > 0;
  const resolved = children(() => props.children);
  createRenderEffect(() => {
    const first = resolved.toArray()[0];
    if (!(first instanceof HTMLElement)) return;
    const control = first.matches("input, select, textarea")
      ? first
      : first.querySelector<HTMLElement>("input, select, textarea");
    if (!control) return;
    control.id = id;
    const describedBy = [props.hint ? hintId : "", hasErrors() ? errorId : ""].filter(Boolean).join(" ");
    if (describedBy) control.setAttribute("aria-describedby", describedBy);
    else control.removeAttribute("aria-describedby");
    if (hasErrors()) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  });
  return (
    <div class={`cp-field ${props.class ?? ""}`}>
      <label for={id}>{props.label}</label>
      {resolved()}
      <Show when={props.hint}>
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      </Show>
      <Show when={hasErrors()}>
        {/* One line per issue: a list entry can have more than one. */}
        <p class="cp-field-error" id={errorId}>
          <For each={props.errors}>{(line) => <span>{line}</span>}</For>
        </p>
      </Show>
    </div>
  );
}

/** What a page loaded from the API (`value`; empty until it is there): why the load failed, or
 * "Loading…" until the first answer, then `children` with the value. */
export function WhenLoaded<T>(props: {
  value: T | undefined;
  problem: ApiError | null;
  children: (value: Accessor<NonNullable<T>>) => JSX.Element;
}) {
  return (
    <>
      <FormProblem problem={props.problem} testid="cp-load-problem" />
      <Show
        when={props.value}
        fallback={
          <Show when={!props.problem}>
            <p class="hint">Loading…</p>
          </Show>
        }
      >
        {(value) => props.children(value)}
      </Show>
    </>
  );
}

/** A Control Panel list whose rows are kept by id, so a renamed row stays the same element and
 * keeps the keyboard focus; `empty` says what shows when there are none. */
export function RowsById<T extends { id: string }>(props: {
  items: readonly T[];
  empty: string;
  label?: string;
  /** Given the row's item as an accessor: it follows the item when it changes (a rename). */
  children: (item: Accessor<T>) => JSX.Element;
}) {
  return (
    <Show when={props.items.length > 0} fallback={<p class="hint">{props.empty}</p>}>
      <ul class="cp-list" aria-label={props.label}>
        <For each={props.items.map((item) => item.id)}>
          {(id) => <Show when={props.items.find((item) => item.id === id)}>{(item) => props.children(item)}</Show>}
        </For>
      </ul>
    </Show>
  );
}

/** An editor's Save and Cancel row: Save submits the form (busy while the action runs), Cancel
 * closes it without saving. */
export function EditorActions(props: {
  busy: boolean;
  saveTestid: string;
  cancelTestid?: string;
  saveLabel?: string;
  onCancel(): void;
}) {
  return (
    <div class="cp-form-actions">
      <button type="submit" class="primary" data-testid={props.saveTestid} disabled={props.busy}>
        {props.saveLabel ?? "Save"}
      </button>
      <button type="button" data-testid={props.cancelTestid} onClick={() => props.onCancel()}>
        Cancel
      </button>
    </div>
  );
}
