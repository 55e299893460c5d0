// One line of what a past chat was: when, where, how it ended, how the visitor rated it, its tags.
import { For, Show } from "solid-js";
import type { HistoryChat } from "../../../shared/history.ts";
import type { DepartmentSummary } from "../../../shared/protocol.ts";
import { chatStatusLabels, fullTime } from "../format.ts";

export type Named = { id: string; name: string };

export function ChatFacts(props: { chat: HistoryChat; departments: DepartmentSummary[]; tags: Named[] }) {
  const department = () => props.departments.find((d) => d.id === props.chat.departmentId)?.name;
  const tagNames = () =>
    props.chat.tagIds.map((id) => props.tags.find((tag) => tag.id === id)?.name).filter((name) => name !== undefined);
  return (
    <span class="chat-facts">
      <time dateTime={new Date(props.chat.createdAt).toISOString()}>{fullTime(props.chat.createdAt)}</time>
      <Show when={props.chat.visitorEmail}>
        <span>{props.chat.visitorEmail}</span>
      </Show>
      <Show when={department()}>
        <span>{department()}</span>
      </Show>
      <span data-testid="history-status">{chatStatusLabels[props.chat.status]}</span>
      <Show when={props.chat.offline}>
        <span>Offline message</span>
      </Show>
      <Show when={props.chat.rating}>
        {(rating) => (
          <span class={`rating ${rating()}`} data-testid="history-rating">
            {rating() === "good" ? "👍 Rated good" : "👎 Rated bad"}
          </span>
        )}
      </Show>
      <For each={tagNames()}>{(name) => <span class="tag-chip">{name}</span>}</For>
    </span>
  );
}

/** A filter's select: "Any" (or `anyLabel`) and each of `options`, with `chosen` selected. */
export function NamedChoice(props: {
  name: string;
  label: string;
  options: Named[];
  chosen: string | undefined;
  anyLabel?: string;
  testid?: string;
}) {
  return (
    <label>
      {props.label}
      <select name={props.name} data-testid={props.testid}>
        <option value="">{props.anyLabel ?? "Any"}</option>
        <For each={props.options}>
          {(option) => (
            <option value={option.id} selected={option.id === props.chosen}>
              {option.name}
            </option>
          )}
        </For>
      </select>
    </label>
  );
}
