// Small marks on a chat, shown in its tab, its header and the waiting list: the visitor's rating
// (live, as the room announces it) and "offline message" for messages left while nobody was online.
import { Show } from "solid-js";
import type { ChatRating } from "../../../shared/protocol.ts";

export function RatingMark(props: { rating: ChatRating | null; withComment?: boolean }) {
  return (
    <Show when={props.rating}>
      {(r) => (
        <span
          class={`rating-mark ${r().rating}`}
          data-testid="chat-rating"
          data-rating={r().rating}
          title={r().comment ?? undefined}
        >
          <span aria-hidden="true">{r().rating === "good" ? "👍" : "👎"}</span>
          <span class={props.withComment ? "" : "visually-hidden"}>
            {" "}
            Rated {r().rating}
            <Show when={props.withComment && r().comment}>: “{r().comment}”</Show>
          </span>
        </span>
      )}
    </Show>
  );
}

export function OfflineMark(props: { offline?: boolean; email?: string | null }) {
  return (
    <Show when={props.offline}>
      <span class="offline-mark" data-testid="offline-mark">
        Offline message
        <Show when={props.email}>
          {" "}
          ·{" "}
          <a href={`mailto:${props.email}`} data-testid="offline-email">
            {props.email}
          </a>
        </Show>
      </span>
    </Show>
  );
}
