// One webhook endpoint in the list: where it sends, what, whether it is enabled (and if Parley
// disabled it, why), with its actions: edit, enable or disable, rotate the secret, the delivery
// log, delete (after a confirm).
import { createSignal, Show } from "solid-js";
import type { WebhookEventType } from "../../../shared/webhooks.ts";
import { announce } from "../components/live-region.tsx";
import { messageTime } from "../format.ts";
import { admin, type WebhookCreated, type WebhookEndpoint } from "./admin-client.ts";
import { ConfirmButton } from "./confirm-button.tsx";
import { createAction, EditorActions, errorsFor, Field, FormProblem } from "./forms.tsx";
import { WebhookDeliveries } from "./webhook-deliveries.tsx";
import { eventNames, WebhookEventCheckboxes } from "./webhook-events.tsx";

export function WebhookRow(props: {
  endpoint: WebhookEndpoint;
  onSaved(endpoint: WebhookEndpoint): void;
  onDeleted(): void;
  onSecret(made: WebhookCreated): void;
}) {
  const [editing, setEditing] = createSignal(false);
  const [showLog, setShowLog] = createSignal(false);
  const [url, setUrl] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [events, setEvents] = createSignal<WebhookEventType[]>([]);
  const action = createAction();
  const name = () => props.endpoint.description || props.endpoint.url;

  async function save(event: SubmitEvent) {
    event.preventDefault();
    const saved = await action.run(() =>
      admin.webhooks.update(props.endpoint.id, { url: url(), description: description(), events: events() }),
    );
    if (!saved) return;
    props.onSaved(saved.value);
    setEditing(false);
    announce(`Saved the endpoint ${saved.value.url}.`);
  }

  async function setEnabled(enabled: boolean) {
    const saved = await action.run(() => admin.webhooks.update(props.endpoint.id, { enabled }));
    if (!saved) return;
    props.onSaved(saved.value);
    announce(`${enabled ? "Enabled" : "Disabled"} the endpoint ${saved.value.url}.`);
  }

  async function rotate() {
    const made = await action.run(() => admin.webhooks.rotateSecret(props.endpoint.id));
    if (!made) return;
    props.onSaved(made.value.endpoint);
    props.onSecret(made.value);
  }

  async function remove() {
    const done = await action.run(() => admin.webhooks.remove(props.endpoint.id));
    if (!done) return;
    announce(`Deleted the endpoint ${props.endpoint.url}.`);
    props.onDeleted();
  }

  return (
    <li class="cp-list-row" data-testid="cp-webhook-row" data-id={props.endpoint.id}>
      <span class="cp-operator-summary">
        <code class="cp-list-name" data-testid="cp-webhook-row-url">
          {props.endpoint.url}
        </code>
        <Show when={props.endpoint.description}>
          <span>{props.endpoint.description}</span>
        </Show>
        <span class="cp-muted">{eventNames(props.endpoint.events)}</span>
        <Show
          when={props.endpoint.enabled}
          fallback={
            <span class="cp-badge warn" data-testid="cp-webhook-status">
              Disabled{props.endpoint.disabledReason ? `: ${props.endpoint.disabledReason}` : ""}
            </span>
          }
        >
          <span class="cp-badge" data-testid="cp-webhook-status">
            {props.endpoint.failingSince === null
              ? "Enabled"
              : `Enabled, failing since ${messageTime(props.endpoint.failingSince)}`}
          </span>
        </Show>
      </span>
      <span class="cp-row-actions">
        <button
          type="button"
          data-testid="cp-webhook-log"
          aria-expanded={showLog()}
          aria-label={`Deliveries of ${name()}`}
          onClick={() => setShowLog(!showLog())}
        >
          Deliveries
        </button>
        <button
          type="button"
          data-testid="cp-webhook-edit"
          aria-label={`Edit ${name()}`}
          onClick={() => {
            action.clear();
            setUrl(props.endpoint.url);
            setDescription(props.endpoint.description);
            setEvents([...props.endpoint.events]);
            setEditing(true);
          }}
        >
          Edit
        </button>
        <button
          type="button"
          data-testid="cp-webhook-toggle"
          disabled={action.busy()}
          onClick={() => void setEnabled(!props.endpoint.enabled)}
        >
          {props.endpoint.enabled ? "Disable" : "Enable"}
        </button>
        <ConfirmButton
          label="Rotate secret"
          question="Make a new secret? The old one keeps signing too for 24 hours."
          testid="cp-webhook-rotate"
          disabled={action.busy()}
          onConfirm={() => void rotate()}
        />
        <ConfirmButton
          label="Delete"
          question={`Delete the endpoint ${props.endpoint.url}? It gets nothing more, and its log goes.`}
          testid="cp-webhook-delete"
          disabled={action.busy()}
          onConfirm={() => void remove()}
        />
      </span>
      <Show when={editing()}>
        <form
          class="cp-row-form"
          aria-label={`Edit ${name()}`}
          onSubmit={save}
          onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
        >
          <Field label="Endpoint URL" errors={errorsFor(action.problem(), "url")}>
            <input
              data-testid="cp-webhook-edit-url"
              required
              maxLength={2000}
              value={url()}
              onInput={(e) => setUrl(e.currentTarget.value)}
            />
          </Field>
          <Field label="Description (optional)" errors={errorsFor(action.problem(), "description")}>
            <input maxLength={200} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} />
          </Field>
          <WebhookEventCheckboxes
            chosen={events()}
            onChange={setEvents}
            errors={errorsFor(action.problem(), "events")}
          />
          <FormProblem problem={action.problem()} fields={["url", "description", "events"]} />
          <EditorActions busy={action.busy()} saveTestid="cp-webhook-edit-save" onCancel={() => setEditing(false)} />
        </form>
      </Show>
      <Show when={!editing()}>
        <FormProblem problem={action.problem()} />
      </Show>
      <Show when={showLog()}>
        <WebhookDeliveries endpointId={props.endpoint.id} enabled={props.endpoint.enabled} />
      </Show>
    </li>
  );
}
