// The Worker: a thin Hono app that authenticates, validates and routes to the right object or
// binding. No chat state lives here. Paths outside /api and /ws are static assets (wrangler.toml);
// the widget's scripts pass through here on their way out, for their CORS and cache headers.
// Email comes in through the email() handler: replies to chat transcripts (email/inbound.ts).
// Chat events come in through the queue() handler, for the search index and webhooks (events.ts);
// so do webhook deliveries, from their own queue (server/webhooks/deliver.ts).
import { Hono } from "hono/tiny";
import { problemResponse } from "../server/problems.ts";
import { toProblemResponse } from "./http.ts";
import type { AppEnv } from "./app-env.ts";
import { adminRoutes, signUpInvitationRoutes } from "./routes/admin/index.ts";
import { cannedRoutes } from "./routes/canned.ts";
import { chatPageRoutes } from "./routes/chat-page.ts";
import { chatHistoryRoutes } from "./routes/chat-history.ts";
import { chatTagRoutes } from "./routes/chat-tags.ts";
import { receiveEmail } from "./email/inbound.ts";
import { consumeEvents } from "./events.ts";
import { deliverWebhooks } from "../server/webhooks/deliver.ts";
import type { WebhookJob } from "../server/webhooks/fan-out.ts";
import { transcriptRoutes } from "./routes/transcripts.ts";
import { downloadRoutes, fileRoutes } from "./routes/files.ts";
import { operatorRoutes } from "./routes/operator.ts";
import { operatorStorageRoutes } from "./routes/storage.ts";
import { queueRoutes } from "./routes/queue.ts";
import { continueByEmailRoutes } from "./routes/continue-by-email.ts";
import { offlineMessageRoutes } from "./routes/offline-messages.ts";
import { socketRoutes } from "./routes/sockets.ts";
import { handoverRoutes } from "./routes/handover.ts";
import { historyRoutes } from "./routes/history.ts";
import { reportRoutes } from "./routes/reports.ts";
import { visitorContextRoutes } from "./routes/visitor-context.ts";
import { visitorPresenceRoutes } from "./routes/visitor-presence.ts";
import { visitorRoutes } from "./routes/visitor.ts";
import { widgetAssetRoutes } from "./routes/widget-assets.ts";
import { widgetRoutes } from "./routes/widget.ts";
import { widgetCors } from "./origin-policy.ts";
import { apiSecurityHeaders } from "./security-headers.ts";

export { ChatRoom } from "../durable/chat-room.ts";
export { Lobby } from "../durable/lobby.ts";

export const app = new Hono<AppEnv>()
  .use("/api/*", apiSecurityHeaders)
  .get("/api/health", (c) => c.json({ ok: true, service: "parley" }))
  // The widget calls these from customers' sites; /api/chats too, for its token check.
  .use("/api/visitor/*", widgetCors)
  .use("/api/widget/*", widgetCors)
  .use("/api/chats/*", widgetCors)
  .route("/api/visitor/offline-messages", offlineMessageRoutes)
  .route("/api/visitor", visitorRoutes)
  .route("/api/widget", widgetRoutes)
  .route("/api/operator", operatorRoutes)
  .route("/api/operator/canned-responses", cannedRoutes)
  .route("/api/operator/invitations", signUpInvitationRoutes)
  .route("/api/operator", handoverRoutes)
  .route("/api/operator", historyRoutes)
  .route("/api/operator", reportRoutes)
  .route("/api/operator", chatTagRoutes)
  .route("/api/operator", visitorContextRoutes)
  .route("/api/operator", operatorStorageRoutes)
  .route("/api/chats", chatHistoryRoutes)
  .route("/api/chats", transcriptRoutes)
  .route("/api/chats", fileRoutes)
  .route("/api/chats", queueRoutes)
  .route("/api/chats", continueByEmailRoutes)
  .route("/api/files", downloadRoutes)
  .route("/api/admin/v1", adminRoutes)
  .route("/ws/visitors", visitorPresenceRoutes)
  .route("/ws", socketRoutes)
  .route("/", widgetAssetRoutes)
  .route("/", chatPageRoutes)
  .notFound(() => problemResponse(404, "not_found", "No such route."))
  .onError((error) => toProblemResponse(error));

export default {
  fetch: app.fetch,
  email: receiveEmail,
  queue: (batch, env) =>
    batch.queue === "parley-webhooks"
      ? deliverWebhooks(batch as MessageBatch<WebhookJob>, env)
      : consumeEvents(batch, env),
} satisfies ExportedHandler<Env>;
