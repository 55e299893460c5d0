// The Reports page: a team's figures over a range of days (src/shared/reports.ts): totals, charts
// per day with their tables, ratings with the visitors' comments, the busiest hours, and the same
// as a CSV file. Owners and admins choose the department or operator; an operator sees the chats
// they answered (the server holds them to that). Loaded on first use, charting library included.
import { createResource, createSignal, For, Show } from "solid-js";
import type { Report } from "../../../shared/reports.ts";
import type { DepartmentSummary } from "../../../shared/protocol.ts";
import { ApiError, request } from "../api.ts";
import { session } from "../session.ts";
import { BackToChats } from "../history/history-page.tsx";
import { NamedChoice, type Named } from "../history/chat-facts.tsx";
import { admin } from "../control-panel/admin-client.ts";
import { DayChart } from "./day-chart.tsx";
import { HeatMap } from "./heat-map.tsx";
import "../styles/reports.css";

type Filters = { from: string; to: string; departmentId: string; operatorId: string };

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

function queryOf(filters: Filters, format: "json" | "csv"): string {
  const query = new URLSearchParams({ from: filters.from, to: filters.to, timeZone, format });
  if (filters.departmentId) query.set("departmentId", filters.departmentId);
  if (filters.operatorId) query.set("operatorId", filters.operatorId);
  return query.toString();
}

/** "1 min 5 s" from seconds; "–" for none. */
export function duration(seconds: number | null): string {
  if (seconds === null) return "–";
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

async function downloadCsv(filters: Filters) {
  // A plain link cannot carry the token: fetch it, then save what came.
  const response = await fetch(`/api/operator/reports?${queryOf(filters, "csv")}`, {
    headers: { Authorization: `Bearer ${session()?.token ?? ""}` },
  });
  if (!response.ok) throw new Error(`The server answered ${response.status}.`);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = `parley-report-${filters.from}-${filters.to}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

export default function ReportsPage(props: { isAdmin: boolean; departments: DepartmentSummary[] }) {
  // Every operator of the account, not only those online: an admin may ask after anyone's figures.
  const [operators] = createResource(
    () => props.isAdmin,
    () => admin.operators.list(),
  );
  const today = new Date();
  const [filters, setFilters] = createSignal<Filters>({
    from: isoDay(new Date(today.getTime() - 29 * 86_400_000)),
    to: isoDay(today),
    departmentId: "",
    operatorId: "",
  });
  const [csvProblem, setCsvProblem] = createSignal<string | null>(null);
  const [report] = createResource(filters, (chosen) =>
    request<Report>(`/api/operator/reports?${queryOf(chosen, "json")}`),
  );
  const problem = () => {
    const error = report.error as unknown;
    return error ? (error instanceof ApiError ? error.message : "The report could not be loaded.") : null;
  };
  function submit(event: SubmitEvent) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? "");
    setFilters({
      from: text("from"),
      to: text("to"),
      departmentId: text("departmentId"),
      operatorId: text("operatorId"),
    });
  }
  const choice = (name: "departmentId" | "operatorId", label: string, options: Named[]) => (
    <NamedChoice
      name={name}
      label={label}
      options={options}
      chosen={filters()[name]}
      anyLabel="All"
      testid={`report-${name}`}
    />
  );
  return (
    <section class="reports-page" aria-labelledby="reports-title">
      <div class="history-top">
        <h1 id="reports-title">Reports</h1>
        <BackToChats />
      </div>
      <form class="report-filters" onSubmit={submit} data-testid="report-filters">
        <label>
          From
          <input type="date" name="from" required value={filters().from} data-testid="report-from" />
        </label>
        <label>
          To
          <input type="date" name="to" required value={filters().to} data-testid="report-to" />
        </label>
        <Show when={props.isAdmin}>
          {choice("departmentId", "Department", props.departments)}
          {choice("operatorId", "Operator", operators.latest ?? [])}
        </Show>
        <button type="submit" data-testid="report-show">
          Show
        </button>
        <button
          type="button"
          data-testid="report-csv"
          onClick={() => {
            setCsvProblem(null);
            downloadCsv(filters()).catch((error: Error) =>
              setCsvProblem(`The CSV could not be made: ${error.message}`),
            );
          }}
        >
          Download CSV
        </button>
      </form>
      <p class="hint">
        {props.isAdmin ? "" : "Your own figures: the chats you answered first. "}Days are UTC days; a chat counts on the
        day it started. Figures follow the chats within seconds.
      </p>
      <Show when={problem() ?? csvProblem()}>
        {(text) => (
          <p class="notice" role="alert" data-testid="report-problem">
            {text()}
          </p>
        )}
      </Show>
      <Show when={report.loading && !report.latest}>
        <p class="hint">Loading…</p>
      </Show>
      <Show when={report.latest}>{(shown) => <ReportView report={shown()} />}</Show>
    </section>
  );
}

function ReportView(props: { report: Report }) {
  const totals = () => props.report.totals;
  const days = () => props.report.days.map((d) => d.day);
  const rated = () => totals().ratedGood + totals().ratedBad;
  const tile = (label: string, value: () => string, testId: string, detail?: () => string) => (
    <div class="report-tile" data-testid={testId}>
      <dt>{label}</dt>
      <dd>
        {value()}
        <Show when={detail?.()}>{(text) => <small>{text()}</small>}</Show>
      </dd>
    </div>
  );
  return (
    <>
      <dl class="report-tiles">
        {tile("Chats started", () => String(totals().started), "report-started")}
        {tile("Answered", () => String(totals().answered), "report-answered")}
        {tile("Missed", () => String(totals().missed), "report-missed")}
        {tile("Offline messages", () => String(totals().offline), "report-offline")}
        {tile(
          "First answer, median",
          () => duration(totals().firstAnswer.median),
          "report-first-answer",
          () => `90% within ${duration(totals().firstAnswer.p90)}`,
        )}
        {tile(
          "Chat duration, median",
          () => duration(totals().duration.median),
          "report-duration",
          () => `90% within ${duration(totals().duration.p90)}`,
        )}
        {tile(
          "Messages per chat",
          () => (totals().messagesPerChat === null ? "–" : String(totals().messagesPerChat)),
          "report-messages",
        )}
        {tile(
          "Rated good",
          () => (totals().goodShare === null ? "–" : `${Math.round(totals().goodShare! * 100)} %`),
          "report-good-share",
          () => `${totals().ratedGood} good, ${totals().ratedBad} bad of ${rated()} ratings`,
        )}
      </dl>
      <div class="report-charts">
        <DayChart
          title="Chats"
          testId="report-chart-chats"
          days={days()}
          unit="chats"
          series={[
            { label: "Started", color: "#2563eb", values: props.report.days.map((d) => d.started), bars: "whole" },
            { label: "Answered", color: "#16a34a", values: props.report.days.map((d) => d.answered) },
            { label: "Missed", color: "#dc2626", values: props.report.days.map((d) => d.missed) },
          ]}
        />
        <DayChart
          title="First answer, median"
          testId="report-chart-first-answer"
          days={days()}
          unit="seconds"
          series={[
            { label: "Median seconds", color: "#7c3aed", values: props.report.days.map((d) => d.firstAnswerMedian) },
          ]}
        />
        <DayChart
          title="Ratings"
          testId="report-chart-ratings"
          days={days()}
          unit="ratings"
          series={[
            { label: "Good", color: "#16a34a", values: props.report.days.map((d) => d.ratedGood), bars: "left" },
            { label: "Bad", color: "#dc2626", values: props.report.days.map((d) => d.ratedBad), bars: "right" },
          ]}
        />
      </div>
      <HeatMap cells={props.report.busiestHours} timeZone={props.report.timeZone} />
      <section class="report-comments" aria-labelledby="report-comments-title">
        <h2 id="report-comments-title">Rating comments</h2>
        <Show when={props.report.comments.length} fallback={<p class="hint">No comments in this range.</p>}>
          <ul data-testid="report-comments">
            <For each={props.report.comments}>
              {(comment) => (
                <li>
                  <span class={`report-rating ${comment.rating}`}>{comment.rating === "good" ? "Good" : "Bad"}</span>{" "}
                  <q>{comment.comment}</q>{" "}
                  <a class="hint" href={`#/history/${encodeURIComponent(comment.chatId)}`}>
                    {new Date(comment.at).toLocaleString()}
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>
    </>
  );
}
