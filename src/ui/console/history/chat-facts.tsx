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
