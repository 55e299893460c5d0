// The Departments page: add one; change one in place (its name, how its waiting chats find an
// operator: everyone at once, or ringing for one at a time, how long they may wait, when a chat
// whose visitor got no answer is passed on, and its business hours); delete one. Departments
// route waiting chats to their operators and own department-level canned responses.
import { createSignal, For, Show, type Signal } from "solid-js";
import type { RoutingMode } from "../../../shared/lobby-protocol.ts";
import type { ApiError } from "../api.ts";
import { announce } from "../components/live-region.tsx";
import {
  admin,
  MAX_REASSIGN,
  MAX_RING_S,
  MAX_WAIT_S,
  MIN_REASSIGN,
  MIN_RING_S,
  MIN_WAIT_S,
  type Department,
  type DepartmentChanges,
} from "./admin-client.ts";
import { BusinessHoursFields, createHoursDraft, hoursSummary, sameHours } from "./business-hours-fields.tsx";
import { ConfirmButton } from "./confirm-button.tsx";
import {
  createAction,
  EditorActions,
  errorsFor,
  Field,
  FormProblem,
  numberOf,
  RowsById,
  WhenLoaded,
  type Action,
} from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";

export const ROUTING_LABELS: Record<RoutingMode, string> = {
  everyone: "Everyone sees it (first to accept)",
  round_robin: "Round robin",
  least_busy: "Least busy",
};
const ROUTING_HINTS: Record<RoutingMode, string> = {
  everyone: "Every online operator of the department sees a waiting chat; the first to accept it gets it.",
  round_robin:
    "A waiting chat rings for one operator at a time, in turn: whoever was offered a chat longest ago. If everyone passes, anyone may take it.",
  least_busy:
    "A waiting chat rings for one operator at a time: whoever has the fewest chats. If everyone passes, anyone may take it.",
};

/** 90 → "1 min 30 s", 600 → "10 min", 86400 → "24 h". */
function duration(seconds: number): string {
  const parts = [
    [Math.floor(seconds / 3600), "h"],
    [Math.floor((seconds % 3600) / 60), "min"],
    [seconds % 60, "s"],
  ] as const;
  return (
    parts
      .filter(([n]) => n > 0)
      .map(([n, unit]) => `${n} ${unit}`)
      .join(" ") || "0 s"
  );
}

/** How long a chat rings (in the modes that ring), may wait and may go unanswered, in a few words. */
const routingTiming = (d: Department) =>
  `${d.routingMode === "everyone" ? "" : `rings ${duration(d.ringTimeoutSeconds)} each · `}waits up to ${duration(d.maxWaitSeconds)}` +
  (d.reassignAfterSeconds === null ? "" : ` · passes on unanswered chats after ${duration(d.reassignAfterSeconds)}`);

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
          <RowsById items={departments()} empty="No departments yet.">
            {(department) => (
              <DepartmentRow
                department={department()}
                onSaved={(saved) => replace((all) => all.map((d) => (d.id === saved.id ? saved : d)))}
                onDeleted={() => replace((all) => all.filter((d) => d.id !== department().id))}
              />
            )}
          </RowsById>
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
  const action = createAction();
  let editButton: HTMLButtonElement | undefined;
  const department = () => props.department;

  const close = () => {
    setEditing(false);
    editButton?.focus();
  };

  async function remove() {
    const done = await action.run(() => admin.departments.remove(department().id));
    if (!done) return;
    announce(`Deleted the department ${department().name}.`);
    props.onDeleted();
  }

  return (
    <li class="cp-list-row" data-testid="cp-department-row" data-id={department().id}>
      <Show
        when={editing()}
        fallback={
          <>
            <span class="cp-department-summary">
              <span class="cp-list-name">{department().name}</span>
              <span class="cp-badge" data-testid="cp-department-mode">
                {ROUTING_LABELS[department().routingMode]}
              </span>
              <span class="cp-muted" data-testid="cp-department-timing">
                {routingTiming(department())}
              </span>
              <span class="cp-muted" data-testid="cp-department-hours">
                {hoursSummary(department().businessHours)}
              </span>
            </span>
            <span class="cp-row-actions">
              <button
                type="button"
                ref={editButton}
                data-testid="cp-department-edit"
                aria-label={`Edit ${department().name}`}
                onClick={() => {
                  action.clear();
                  setEditing(true);
                }}
              >
                Edit
              </button>
              <ConfirmButton
                label="Delete"
                question={`Delete ${department().name}?`}
                testid="cp-department-delete"
                disabled={action.busy()}
                onConfirm={() => void remove()}
              />
            </span>
          </>
        }
      >
        <EditForm
          department={department()}
          action={action}
          onSaved={(saved) => (props.onSaved(saved), close())}
          onCancel={close}
        />
      </Show>
      <Show when={!editing()}>
        <FormProblem problem={action.problem()} />
      </Show>
    </li>
  );
}

const EDIT_FIELDS = [
  "name",
  "routingMode",
  "ringTimeoutSeconds",
  "maxWaitSeconds",
  "reassignAfterSeconds",
  "businessHours",
] as const;

/** A department's name, how its chats find an operator, and its hours. Only what changed is sent. */
function EditForm(props: {
  department: Department;
  action: Action;
  onSaved(department: Department): void;
  onCancel(): void;
}) {
  const [name, setName] = createSignal(props.department.name);
  const [mode, setMode] = createSignal<RoutingMode>(props.department.routingMode);
  const [ringTimeout, setRingTimeout] = createSignal(String(props.department.ringTimeoutSeconds));
  const [maxWait, setMaxWait] = createSignal(String(props.department.maxWaitSeconds));
  const [reassign, setReassign] = createSignal(String(props.department.reassignAfterSeconds ?? ""));
  const hours = createHoursDraft(props.department.businessHours);
  const problem = () => props.action.problem();
  const rings = () => mode() !== "everyone";

  async function submit(event: SubmitEvent) {
    event.preventDefault();
    const stored = props.department;
    const changes: DepartmentChanges = {};
    if (name() !== stored.name) changes.name = name();
    if (mode() !== stored.routingMode) changes.routingMode = mode();
    // The ring time is only shown, and so only sent, for the modes that ring. A number left empty
    // is sent as null, for the API to say at the field what it needs.
    const ring = numberOf(ringTimeout());
    if (rings() && ring !== stored.ringTimeoutSeconds) changes.ringTimeoutSeconds = ring as number;
    const wait = numberOf(maxWait());
    if (wait !== stored.maxWaitSeconds) changes.maxWaitSeconds = wait as number;
    // Empty is off (null).
    const passOn = numberOf(reassign());
    if (passOn !== stored.reassignAfterSeconds) changes.reassignAfterSeconds = passOn;
    const open = hours.value();
    if (!sameHours(open, stored.businessHours)) changes.businessHours = open;
    if (Object.keys(changes).length === 0) return props.onCancel();
    const saved = await props.action.run(() => admin.departments.update(stored.id, changes));
    if (!saved) return;
    announce(`Saved the department ${saved.value.name}.`);
    props.onSaved(saved.value);
  }

  return (
    <form
      class="cp-row-form"
      aria-label={`Edit ${props.department.name}`}
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && props.onCancel()}
    >
      <div class="cp-row">
        <NameField
          label="Name"
          name={[name, setName]}
          problem={problem()}
          testid="cp-department-edit-name"
          ref={(input) => queueMicrotask(() => input.select())}
        />
        <Field label="Routing" hint={ROUTING_HINTS[mode()]} errors={errorsFor(problem(), "routingMode")}>
          <select
            data-testid="cp-department-routing-mode"
            value={mode()}
            onChange={(e) => setMode(e.currentTarget.value as RoutingMode)}
          >
            <For each={Object.keys(ROUTING_LABELS) as RoutingMode[]}>
              {(m) => <option value={m}>{ROUTING_LABELS[m]}</option>}
            </For>
          </select>
        </Field>
      </div>
      <div class="cp-row">
        <Show when={rings()}>
          <SecondsField
            label="Ring time (seconds)"
            hint={`How long a chat rings for one operator before it moves on to the next: ${MIN_RING_S} to ${MAX_RING_S} seconds.`}
            value={[ringTimeout, setRingTimeout]}
            errors={errorsFor(problem(), "ringTimeoutSeconds")}
            testid="cp-department-ring-timeout"
          />
        </Show>
        <SecondsField
          label="Longest wait (seconds)"
          hint={`A chat nobody takes by then is missed, and its visitor is asked for their email: ${MIN_WAIT_S} to ${MAX_WAIT_S.toLocaleString("en")} seconds (${duration(MAX_WAIT_S)}).`}
          value={[maxWait, setMaxWait]}
          errors={errorsFor(problem(), "maxWaitSeconds")}
          testid="cp-department-max-wait"
        />
        <SecondsField
          label="Pass on unanswered chats after (seconds)"
          hint={`When a visitor in a chat under way has had no answer for this long, the chat is offered to another operator of the department, who joins it. Empty: never. ${MIN_REASSIGN} to ${MAX_REASSIGN.toLocaleString("en")} seconds.`}
          placeholder="Off"
          value={[reassign, setReassign]}
          errors={errorsFor(problem(), "reassignAfterSeconds")}
          testid="cp-department-reassign"
        />
      </div>
      <BusinessHoursFields draft={hours} problem={problem()} />
      <FormProblem problem={problem()} fields={EDIT_FIELDS} />
      <EditorActions
        busy={props.action.busy()}
        saveTestid="cp-department-edit-save"
        onCancel={() => props.onCancel()}
      />
    </form>
  );
}

/** A whole number of seconds; what it comes to in minutes or hours is said under it as it is typed. */
function SecondsField(props: {
  label: string;
  hint: string;
  placeholder?: string;
  value: Signal<string>;
  errors: string[];
  testid: string;
}) {
  const [value, setValue] = props.value;
  const spelled = () => {
    const seconds = numberOf(value());
    return seconds !== null && Number.isInteger(seconds) && seconds >= 60 ? ` That is ${duration(seconds)}.` : "";
  };
  return (
    <Field label={props.label} hint={props.hint + spelled()} errors={props.errors}>
      <input
        type="number"
        inputMode="numeric"
        data-testid={props.testid}
        placeholder={props.placeholder}
        value={value()}
        onInput={(e) => setValue(e.currentTarget.value)}
      />
    </Field>
  );
}
