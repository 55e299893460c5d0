// The webhook event types as a group of checkboxes, with names people use; the list itself is the
// one the API and the delivery consumer use (shared/webhooks.ts).
import { For, Show } from "solid-js";
import { webhookEventTypes, type WebhookEventType } from "../../../shared/webhooks.ts";

export const EVENT_LABELS: Record<WebhookEventType, string> = {
  "chat.started": "Chat started",
  "message.visitor": "Visitor message",
  "message.operator": "Operator message",
  "chat.closed": "Chat closed",
  "chat.rated": "Chat rated",
  "chat.transferred": "Chat transferred",
  "offline.message": "Offline message",
  "chat.missed": "Missed chat",
};

export function eventNames(events: readonly WebhookEventType[]): string {
  return events.length === webhookEventTypes.length ? "All events" : events.map((e) => EVENT_LABELS[e]).join(", ");
}

export function WebhookEventCheckboxes(props: {
  chosen: readonly WebhookEventType[];
  onChange(events: WebhookEventType[]): void;
  errors?: string[];
}) {
  const toggle = (type: WebhookEventType, on: boolean) =>
    props.onChange(webhookEventTypes.filter((t) => (t === type ? on : props.chosen.includes(t))));
  return (
    <fieldset
      class="cp-checkboxes"
      data-testid="cp-webhook-events"
      aria-invalid={(props.errors?.length ?? 0) > 0 || undefined}
    >
      <legend>Events</legend>
      <For each={webhookEventTypes}>
        {(type) => (
          <label>
            <input
              type="checkbox"
              value={type}
              checked={props.chosen.includes(type)}
              onChange={(e) => toggle(type, e.currentTarget.checked)}
            />
            {EVENT_LABELS[type]}
          </label>
        )}
      </For>
      <Show when={props.errors?.length}>
        <p class="cp-field-error">{props.errors!.join(" ")}</p>
      </Show>
    </fieldset>
  );
}
