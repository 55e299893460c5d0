// Form plumbing shared by the Control Panel's pages: running a request with a busy flag and its
// problem kept for display, a labelled field whose API errors are linked to it through
// aria-describedby, and the problem summary shown next to a form.
import { children, createRenderEffect, createSignal, createUniqueId, For, Show, type JSX } from "solid-js";
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
        setProblem(error instanceof ApiError ? error : new ApiError(0, "internal", error instanceof Error ? error.message : String(error)));
        return null;
      } finally {
        setBusy(false);
      }
    },
  };
}

/** The API reports validation issues as "path: message", the path like `title` or
 * `allowedOrigins.2`; this splits one into the field it is about and a message worded for the
 * person filling the form in. */
function parseIssue(line: string): { field: string | null; message: string } {
  const match = /^([\w.]+): (.*)$/s.exec(line);
  if (!match) return { field: null, message: line };
  const [field, ...rest] = match[1]!.split(".");
  const index = rest.find((part) => /^\d+$/.test(part));
  return { field: field!, message: index === undefined ? match[2]! : `Entry ${Number(index) + 1}: ${match[2]}` };
}

/** The issues of the last answer about one field. */
export function errorsFor(problem: ApiError | null, field: string): string[] {
  return (problem?.errors ?? []).map(parseIssue).flatMap((issue) => (issue.field === field ? [issue.message] : []));
}

/** Issues not about any of `fields`, so nothing the API said goes unshown. */
function otherErrors(problem: ApiError, fields: readonly string[]): string[] {
  return problem.errors.filter((line) => !fields.includes(parseIssue(line).field ?? ""));
}

/** What went wrong with the last submit: the detail and any issue no field shows. An alert, so
 * a screen reader hears it at once; `id` lets the form point at it. */
export function FormProblem(props: { problem: ApiError | null; fields?: readonly string[]; id?: string; testid?: string }) {
  return (
    <Show when={props.problem}>
      {(problem) => (
        <div class="cp-problem" role="alert" id={props.id} data-testid={props.testid ?? "cp-problem"}>
          <p>{problem().message}</p>
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

/** A label, the control (the child input, select or textarea, or the first one inside it), an
 * optional hint and the API's errors about this field. Field gives the control its id and links
 * hint and errors to it with aria-describedby itself, instead of callers spreading attributes:
 * JSX spread would add 2 kB of Solid's runtime to the console's main bundle. */
export function Field(props: { label: string; hint?: string; errors?: string[]; class?: string; children: JSX.Element }) {
  const id = createUniqueId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasErrors = () => (props.errors?.length ?? 0) > 0;
  const resolved = children(() => props.children);
  createRenderEffect(() => {
    const first = resolved.toArray()[0];
    if (!(first instanceof HTMLElement)) return;
    const control = first.matches("input, select, textarea") ? first : first.querySelector<HTMLElement>("input, select, textarea");
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
