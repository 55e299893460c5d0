// Bench-only Worker entry (bench/wrangler.bench.toml). It serves the real Parley app unchanged and
// adds one baseline: BareBroadcast, the least a chat room on Durable Objects can do (relay each
// frame to the other sockets; no storage, no auth, no validation). `npm run bench` measures both
// on the same runtime so Parley's figures can be read as ratios to it. Never deployed: the
// production entry is src/worker/index.ts, which knows nothing of this file.
import { DurableObject } from "cloudflare:workers";
import { app } from "../src/worker/index.ts";

export { ChatRoom, Lobby } from "../src/worker/index.ts";

type BenchEnv = Env & { BARE_BROADCAST: DurableObjectNamespace<BareBroadcast> };

export class BareBroadcast extends DurableObject<BenchEnv> {
  override async fetch(): Promise<Response> {
    const pair = new WebSocketPair();
    // Hibernation API, like ChatRoom, so both pay the same runtime path per frame.
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  override async webSocketMessage(ws: WebSocket, data: string | ArrayBuffer): Promise<void> {
    for (const socket of this.ctx.getWebSockets()) {
      if (socket === ws) continue;
      try {
        socket.send(data);
      } catch {
        // A peer closing mid-broadcast is not the sender's problem.
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // Already closed.
    }
  }
}

const BARE_PATH = /^\/bench\/bare\/([^/]+)$/;

export default {
  fetch(request: Request, env: BenchEnv, ctx: ExecutionContext): Response | Promise<Response> {
    const match = BARE_PATH.exec(new URL(request.url).pathname);
    if (match && request.method === "GET") {
      if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket")
        return new Response("Expected a WebSocket upgrade", { status: 426 });
      return env.BARE_BROADCAST.get(env.BARE_BROADCAST.idFromName(decodeURIComponent(match[1]!))).fetch(request);
    }
    return app.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<BenchEnv>;
