// An endpoint's delivery log, newest first (the last 7 days): when, which event, where it stands,
// the receiver's answer, how long it took and how many attempts, with "Send again" for each.
import { For, Show } from "solid-js";
import type { WebhookDeliveryStatus } from "../../../shared/webhooks.ts";
import { announce } from "../components/live-region.tsx";
import { messageTime } from "../format.ts";
import { admin, type WebhookDelivery } from "./admin-client.ts";
import { createAction, FormProblem, WhenLoaded } from "./forms.tsx";
import { loadOnMount } from "./list-loader.ts";
import { EVENT_LABELS } from "./webhook-events.tsx";

const STATUS_LABELS: Record<WebhookDeliveryStatus, string> = {
  pending: "Waiting",
  retrying: "Retrying",
  delivered: "Delivered",
  failed: "Failed",
};

export function WebhookDeliveries(props: { endpointId: string; enabled: boolean }) {
  const log = loadOnMount(() => admin.webhooks.deliveries(props.endpointId));
  const action = createAction();

  async function resend(delivery: WebhookDelivery) {
    const sent = await action.run(() => admin.webhooks.resend(props.endpointId, delivery.id));
    if (!sent) return;
    log.set((log.value() ?? []).map((d) => (d.id === sent.value.id ? sent.value : d)));
    announce(`Sending the ${EVENT_LABELS[delivery.eventType]} event again.`);
  }

  return (
    <div class="cp-row-form" data-testid="cp-webhook-deliveries">
      <div class="cp-form-actions">
        <button type="button" data-testid="cp-webhook-log-refresh" onClick={() => void log.reload()}>
          Refresh
        </button>
      </div>
      <FormProblem problem={action.problem()} />
      <WhenLoaded value={log.value()} problem={log.problem()}>
        {(deliveries) => (
          <Show when={deliveries().length > 0} fallback={<p class="hint">No deliveries in the last 7 days.</p>}>
            <table class="cp-table">
              <caption class="visually-hidden">Deliveries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Event</th>
                  <th scope="col">Status</th>
                  <th scope="col">Answer</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">
                    <span class="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                <For each={deliveries()}>
                  {(delivery) => (
                    <tr data-testid="cp-webhook-delivery" data-status={delivery.status}>
                      <td>{messageTime(delivery.createdAt)}</td>
                      <td>{EVENT_LABELS[delivery.eventType]}</td>
                      <td>{STATUS_LABELS[delivery.status]}</td>
                      <td title={delivery.lastError ?? undefined}>
                        {delivery.responseStatus === null
                          ? (delivery.lastError ?? "—")
                          : `HTTP ${delivery.responseStatus}`}
                      </td>
                      <td>{delivery.durationMs === null ? "—" : `${delivery.durationMs} ms`}</td>
                      <td data-testid="cp-webhook-delivery-attempts">{delivery.attempts}</td>
                      <td>
                        <button
                          type="button"
                          data-testid="cp-webhook-resend"
                          disabled={action.busy() || !props.enabled}
                          onClick={() => void resend(delivery)}
                        >
                          Send again
                        </button>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </WhenLoaded>
    </div>
  );
}
