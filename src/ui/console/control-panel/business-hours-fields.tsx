// A department's business hours in the Departments page: the edit form's "Open at all hours" or a
// schedule (a time zone, per weekday one opening interval or "closed", and closed dates), and the
// few words its list row says about them. The API takes up to 8 intervals a day; a day set with
// more than one (through the API) is shown as it is and kept untouched unless the admin replaces
// it with one interval or closes the day.
import { createSignal, createUniqueId, For, Show, type Signal } from "solid-js";
import type { BusinessHours, OpeningInterval, Weekday } from "../../../shared/business-hours.ts";
import type { ApiError } from "../api.ts";
import { errorsAt, Field } from "./forms.tsx";

const DAY_NAMES: Record<Weekday, string> = {
  mon: "Monday",
  tue: "Tuesday",
  wed: "Wednesday",
  thu: "Thursday",
  fri: "Friday",
  sat: "Saturday",
  sun: "Sunday",
};
/** Monday to Sunday. Taken from DAY_NAMES rather than imported from business-hours.ts: a value
 * imported from there, which the console's first bundle uses too, makes the bundler move Solid's
 * runtime into a chunk of its own, a kilobyte more before the console shows anything. */
const weekdays = Object.keys(DAY_NAMES) as Weekday[];
const short = (day: Weekday) => DAY_NAMES[day].slice(0, 3);

// ---- The list row's words ----------------------------------------------------------------

const span = (i: OpeningInterval) => `${i.from}–${i.to}`;

/** Days as their runs: Mon–Fri, Sat–Sun, or one by one (Mon, Wed). */
function dayRuns(days: Weekday[]): string {
  const runs: Weekday[][] = [];
  for (const day of days) {
    const run = runs.at(-1);
    if (run && weekdays.indexOf(run.at(-1)!) === weekdays.indexOf(day) - 1) run.push(day);
    else runs.push([day]);
  }
  return runs.map((run) => (run.length > 1 ? `${short(run[0]!)}–${short(run.at(-1)!)}` : short(run[0]!))).join(", ");
}

/** "open at all hours", or "open Mon–Fri 09:00–17:00; Sat 10:00–14:00 (Europe/Berlin) · 1 closed
 * date": the days with the same hours together. */
export function hoursSummary(hours: BusinessHours | null): string {
  if (!hours) return "open at all hours";
  const groups = new Map<string, Weekday[]>();
  for (const day of weekdays) {
    const intervals = hours.weekly[day] ?? [];
    if (intervals.length === 0) continue;
    const key = intervals.map(span).join(", ");
    groups.set(key, [...(groups.get(key) ?? []), day]);
  }
  const week = [...groups].map(([times, days]) => `${dayRuns(days)} ${times}`).join("; ");
  const dates = hours.closedDates.length;
  return (
    (week ? `open ${week}` : "closed all week") +
    ` (${hours.timeZone})` +
    (dates ? ` · ${dates} closed date${dates === 1 ? "" : "s"}` : "")
  );
}

// ---- The form's draft ----------------------------------------------------------------------

type DayDraft = {
  closed: boolean;
  /** The one interval, as the time inputs hold it (a day ending at midnight closes at 00:00). */
  from: string;
  to: string;
  /** More than one interval, set through the API: kept as they are until replaced. */
  several: OpeningInterval[] | null;
};

/** A time input cannot hold 24:00: a day that ends at midnight closes at 00:00 there, which as an
 * end is otherwise never valid (an interval ends after it starts). */
const toInput = (time: string) => (time === "24:00" ? "00:00" : time);
const fromInput = (time: string) => (time === "00:00" ? "24:00" : time);

function dayDraft(intervals: OpeningInterval[]): DayDraft {
  const [first, last] = [intervals[0], intervals.at(-1)];
  return {
    closed: intervals.length === 0,
    from: first?.from ?? "09:00",
    to: last ? toInput(last.to) : "17:00",
    several: intervals.length > 1 ? intervals : null,
  };
}

/** Where a department without hours starts when they are first set: weekdays 09:00–17:00. */
const WORKING_WEEK: BusinessHours["weekly"] = Object.fromEntries(
  weekdays.slice(0, 5).map((day) => [day, [{ from: "09:00", to: "17:00" }]]),
);

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

export type HoursDraft = ReturnType<typeof createHoursDraft>;

/** The form's copy of the stored hours, and the hours it stands for now (null: at all hours). */
export function createHoursDraft(stored: BusinessHours | null) {
  const weekly = stored?.weekly ?? WORKING_WEEK;
  const draft = {
    allHours: createSignal(stored === null),
    timeZone: createSignal(stored?.timeZone ?? browserZone()),
    days: Object.fromEntries(weekdays.map((day) => [day, createSignal(dayDraft(weekly[day] ?? []))])) as Record<
      Weekday,
      Signal<DayDraft>
    >,
    closedDates: createSignal([...(stored?.closedDates ?? [])].sort()),
  };
  const value = (): BusinessHours | null => {
    if (draft.allHours[0]()) return null;
    const week: BusinessHours["weekly"] = {};
    for (const day of weekdays) {
      const d = draft.days[day][0]();
      if (!d.closed) week[day] = d.several ?? [{ from: d.from, to: fromInput(d.to) }];
    }
    return { timeZone: draft.timeZone[0]().trim(), weekly: week, closedDates: draft.closedDates[0]() };
  };
  return { ...draft, value };
}

/** Whether two sets of hours mean the same (a day left out is a day with no interval). */
export function sameHours(a: BusinessHours | null, b: BusinessHours | null): boolean {
  const plain = (h: BusinessHours | null) =>
    h && JSON.stringify([h.timeZone, weekdays.map((day) => h.weekly[day] ?? []), [...h.closedDates].sort()]);
  return plain(a) === plain(b);
}

// ---- The fields ------------------------------------------------------------------------------

let zones: string[] | undefined;
/** The zones the browser knows, for the time zone's suggestions (none where it cannot say). */
const knownZones = () =>
  (zones ??= typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : []);

/** "Open at all hours", or the schedule under it. The API's messages are shown at the part they
 * are about: the time zone, a day, the closed dates; any other under the whole. */
export function BusinessHoursFields(props: { draft: HoursDraft; problem: ApiError | null }) {
  const id = createUniqueId();
  const [allHours, setAllHours] = props.draft.allHours;
  const [timeZone, setTimeZone] = props.draft.timeZone;
  const shownApart = ["timeZone", "closedDates", ...weekdays.map((day) => `weekly.${day}`)].map(
    (part) => `businessHours.${part}`,
  );
  const otherErrors = () =>
    (props.problem?.fields ?? []).flatMap(({ path, message }) =>
      (path === "businessHours" || path.startsWith("businessHours.")) &&
      !shownApart.some((part) => path === part || path.startsWith(`${part}.`))
        ? [message]
        : [],
    );
  return (
    <fieldset class="cp-hours" data-testid="cp-department-hours-fields">
      <legend>Business hours</legend>
      <label class="cp-check">
        <input
          type="checkbox"
          data-testid="cp-department-all-hours"
          aria-describedby={`${id}-all-hint`}
          checked={allHours()}
          onChange={(e) => setAllHours(e.currentTarget.checked)}
        />
        Open at all hours
      </label>
      <p class="hint" id={`${id}-all-hint`}>
        {allHours()
          ? "Chats are taken at any hour. Untick to set when; outside those hours the widget offers to leave a message."
          : "Outside these hours the widget offers to leave a message, and no new chat starts."}
      </p>
      <Show when={!allHours()}>
        <Field
          label="Time zone"
          hint="The hours are local times there, such as Europe/Berlin."
          class="cp-time-zone"
          errors={errorsAt(props.problem, "businessHours.timeZone")}
        >
          <input
            data-testid="cp-hours-time-zone"
            list={`${id}-zones`}
            autocomplete="off"
            spellcheck={false}
            value={timeZone()}
            onInput={(e) => setTimeZone(e.currentTarget.value)}
          />
        </Field>
        <datalist id={`${id}-zones`}>
          <For each={knownZones()}>{(zone) => <option value={zone} />}</For>
        </datalist>
        <div class="cp-week" role="group" aria-labelledby={`${id}-week`} aria-describedby={`${id}-week-hint`}>
          <span class="cp-week-label" id={`${id}-week`}>
            Opening hours
          </span>
          <p class="hint" id={`${id}-week-hint`}>
            One interval a day. A day open until midnight closes at 00:00 (12:00 AM).
          </p>
          <For each={weekdays}>
            {(day) => (
              <DayRow
                day={day}
                draft={props.draft.days[day]}
                errors={errorsAt(props.problem, `businessHours.weekly.${day}`)}
              />
            )}
          </For>
        </div>
        <ClosedDates dates={props.draft.closedDates} errors={errorsAt(props.problem, "businessHours.closedDates")} />
      </Show>
      <Show when={otherErrors().length > 0}>
        <p class="cp-field-error">
          <For each={otherErrors()}>{(line) => <span>{line}</span>}</For>
        </p>
      </Show>
    </fieldset>
  );
}

/** One weekday: closed, or open from one time to another (or as the API set it, several). */
function DayRow(props: { day: Weekday; draft: Signal<DayDraft>; errors: string[] }) {
  const id = createUniqueId();
  const [day, setDay] = props.draft;
  const edit = (change: Partial<DayDraft>) => setDay({ ...day(), ...change });
  const invalid = () => props.errors.length > 0;
  const testid = (what: string) => `cp-hours-${props.day}-${what}`;
  function TimeInput(input: { label: string; key: "from" | "to" }) {
    return (
      <label class="cp-time">
        {input.label}
        <input
          type="time"
          data-testid={testid(input.key)}
          value={day()[input.key]}
          aria-invalid={invalid() || undefined}
          aria-describedby={invalid() ? `${id}-error` : undefined}
          onInput={(e) => edit({ [input.key]: e.currentTarget.value })}
        />
      </label>
    );
  }
  return (
    <div class="cp-day" role="group" aria-labelledby={`${id}-name`} data-testid={`cp-hours-${props.day}`}>
      <span class="cp-day-name" id={`${id}-name`}>
        {DAY_NAMES[props.day]}
      </span>
      <label class="cp-check">
        <input
          type="checkbox"
          data-testid={testid("closed")}
          checked={day().closed}
          onChange={(e) => edit({ closed: e.currentTarget.checked })}
        />
        closed
      </label>
      <Show when={!day().closed}>
        <Show
          when={day().several}
          fallback={
            <>
              <TimeInput label="from" key="from" />
              <TimeInput label="to" key="to" />
            </>
          }
        >
          {(several) => (
            <>
              <span data-testid={testid("several")}>{several().map(span).join(", ")}</span>
              <button type="button" data-testid={testid("one-interval")} onClick={() => edit({ several: null })}>
                Make it one interval
              </button>
            </>
          )}
        </Show>
      </Show>
      <Show when={invalid()}>
        <p class="cp-field-error" id={`${id}-error`}>
          <For each={props.errors}>{(line) => <span>{line}</span>}</For>
        </p>
      </Show>
    </div>
  );
}

/** Whole days it is closed (holidays): a list, each with its remove button, and a date to add. */
function ClosedDates(props: { dates: Signal<string[]>; errors: string[] }) {
  const id = createUniqueId();
  const [dates, setDates] = props.dates;
  const [adding, setAdding] = createSignal("");
  const invalid = () => props.errors.length > 0;
  const add = () => {
    const date = adding();
    if (!date) return;
    if (!dates().includes(date)) setDates([...dates(), date].sort());
    setAdding("");
  };
  return (
    <div class="cp-closed-dates" role="group" aria-labelledby={`${id}-label`}>
      <span class="cp-week-label" id={`${id}-label`}>
        Closed dates
      </span>
      <Show when={dates().length > 0} fallback={<p class="hint">None: holidays and other days off go here.</p>}>
        <ul class="cp-dates">
          <For each={dates()}>
            {(date) => (
              <li data-testid="cp-hours-closed-date">
                {date}
                <button
                  type="button"
                  class="cp-remove"
                  data-testid="cp-hours-closed-date-remove"
                  aria-label={`Remove ${date}`}
                  onClick={() => setDates(dates().filter((d) => d !== date))}
                >
                  ×
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="cp-form-actions">
        <label class="cp-time">
          Add a date
          <input
            type="date"
            data-testid="cp-hours-closed-date-input"
            value={adding()}
            aria-invalid={invalid() || undefined}
            aria-describedby={invalid() ? `${id}-error` : undefined}
            onInput={(e) => setAdding(e.currentTarget.value)}
            // Enter adds the date rather than saving the whole form.
            onKeyDown={(e) => e.key === "Enter" && (e.preventDefault(), add())}
          />
        </label>
        <button type="button" data-testid="cp-hours-closed-date-add" disabled={!adding()} onClick={add}>
          Add
        </button>
      </div>
      <Show when={invalid()}>
        <p class="cp-field-error" id={`${id}-error`}>
          <For each={props.errors}>{(line) => <span>{line}</span>}</For>
        </p>
      </Show>
    </div>
  );
}
