// The Webhooks page: the account's endpoints, which Parley POSTs chat events to, signed with each
// endpoint's secret (docs/webhooks.md). Add one (every event unless fewer are ticked), see its
// secret once, change, pause, rotate or delete it, and read its delivery log with "Send again".
// Everything shown that a person typed (URL, description) goes in as text, never as HTML.
import { createSignal, Show } from "solid-js";
import { webhookEventTypes, type WebhookEventType } from "../../../shared/webhooks.ts";
import { announce } from "../components/live-region.tsx";
import { admin, type WebhookCreated, type WebhookEndpoint } from "./admin-client.ts";
import { createAction, errorsFor, Field, FormProblem, RowsById, WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";
import { OnceSecret } from "./once-secret.tsx";
import { WebhookEventCheckboxes } from "./webhook-events.tsx";
import { WebhookRow } from "./webhook-row.tsx";

export function WebhooksPage() {
  const list = loadOnMount(() => admin.webhooks.list());
  const [url, setUrl] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [events, setEvents] = createSignal<WebhookEventType[]>([...webhookEventTypes]);
  const [secret, setSecret] = createSignal<{ url: string; value: string } | null>(null);
  const action = createAction();
  const replace = (change: (all: WebhookEndpoint[]) => WebhookEndpoint[]) => list.set(change(list.value() ?? []));
  const showSecret = (made: WebhookCreated) => {
    setSecret({ url: made.endpoint.url, value: made.secret });
    announce("The signing secret is shown once: copy it now.");
  };

  async function create(event: SubmitEvent) {
    event.preventDefault();
    const made = await action.run(() =>
      admin.webhooks.create({ url: url(), description: description(), events: events() }),
    );
    if (!made) return;
    replace((all) => [...all, made.value.endpoint]);
    showSecret(made.value);
    setUrl("");
    setDescription("");
    setEvents([...webhookEventTypes]);
  }

  return (
    <section class="cp-page" data-testid="cp-webhooks" aria-labelledby="cp-webhooks-heading">
      <h2 id="cp-webhooks-heading" tabIndex={-1}>
        Webhooks
      </h2>
      <p class="hint">
        Parley sends the events you choose to your HTTPS endpoints as they happen, signed with the endpoint's secret,
        and tries again for 24 hours when an endpoint does not answer with 2xx. An endpoint that keeps failing for 24
        hours is disabled. Deliveries are kept in the log for 7 days.
      </p>
      <form class="cp-card" aria-label="New webhook endpoint" onSubmit={create}>
        <Field
          label="Endpoint URL"
          hint="An https:// address on the public internet."
          errors={errorsFor(action.problem(), "url")}
        >
          <input
            data-testid="cp-webhook-url"
            required
            inputMode="url"
            maxLength={2000}
            placeholder="https://example.com/parley-webhook"
            value={url()}
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
        </Field>
        <Field label="Description (optional)" errors={errorsFor(action.problem(), "description")}>
          <input
            data-testid="cp-webhook-description"
            maxLength={200}
            value={description()}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </Field>
        <WebhookEventCheckboxes chosen={events()} onChange={setEvents} errors={errorsFor(action.problem(), "events")} />
        <div class="cp-form-actions">
          <button type="submit" class="primary" data-testid="cp-webhook-save" disabled={action.busy()}>
            Add endpoint
          </button>
        </div>
        <FormProblem problem={action.problem()} fields={["url", "description", "events"]} />
      </form>
      <Show when={secret()}>
        {(shown) => (
          <OnceSecret
            label={`Signing secret for ${shown().url}`}
            value={shown().value}
            note="Copy it now and store it with your receiver: you will not see it again. It checks the Parley-Signature header of every delivery."
            testid="cp-webhook-secret"
            onDone={() => setSecret(null)}
          />
        )}
      </Show>
      <WhenLoaded value={list.value()} problem={list.problem()}>
        {(endpoints) => (
          <RowsById items={endpoints()} empty="No webhook endpoints yet." label="Webhook endpoints">
            {(endpoint) => (
              <WebhookRow
                endpoint={endpoint()}
                onSaved={(saved) => replace((all) => all.map((e) => (e.id === saved.id ? saved : e)))}
                onDeleted={() => replace((all) => all.filter((e) => e.id !== endpoint().id))}
                onSecret={showSecret}
              />
            )}
          </RowsById>
        )}
      </WhenLoaded>
    </section>
  );
}
