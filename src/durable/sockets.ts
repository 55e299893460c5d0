// The socket mechanics both objects share: accepting a hibernatable socket with its tags and
// attachment, reading that attachment back with its type, and sending or closing without caring
// whether the peer is still there. A socket may go away between `getWebSockets()` and a send or
// close (the runtime then throws); nothing here depends on such a socket, so the throw is dropped.

/** Accepts `server` for hibernation under `tags`, storing `attachment` with it (kept through
 * hibernation; at most 2 KB serialised). Returns the server end, to send on before answering, and
 * the 101 response that hands the client end to the caller. */
export function acceptTagged<T>(
  ctx: DurableObjectState,
  tags: string[],
  attachment: T,
): { server: WebSocket; response: Response } {
  const pair = new WebSocketPair();
  const [client, server] = [pair[0], pair[1]];
  ctx.acceptWebSocket(server, tags);
  attach(server, attachment);
  return { server, response: new Response(null, { status: 101, webSocket: client }) };
}

/** What `attach` stored on this socket. The type is the caller's word: each object stores one
 * shape (or a union it tells apart with a guard), and reads it back with the same `T`. */
export function attachmentOf<T>(ws: WebSocket): T {
  return ws.deserializeAttachment() as T;
}

/** Stores `value` on the socket, replacing what it held. */
export function attach<T>(ws: WebSocket, value: T): void {
  ws.serializeAttachment(value);
}

/** Sends a frame (serialised here) or data already serialised; a socket gone meanwhile is skipped. */
export function sendQuietly(ws: WebSocket, data: string | object): void {
  try {
    ws.send(typeof data === "string" ? data : JSON.stringify(data));
  } catch {
    // Gone between listing and sending.
  }
}

/** Closes the socket; one already closed (or closing by the runtime's automatic reply) is left be. */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already gone.
  }
}

export type BroadcastOptions<T> = {
  /** The socket that caused the frame, which has it already. */
  except?: WebSocket;
  /** Only sockets whose attachment passes (every socket without it). */
  to?: (attachment: T, ws: WebSocket) => boolean;
  /** How to send the serialised frame to one socket (sendQuietly without it). */
  send?: (ws: WebSocket, data: string) => void;
};

/** Sends one frame to many sockets, serialised once. */
export function broadcast<T>(sockets: Iterable<WebSocket>, frame: object, options: BroadcastOptions<T> = {}): void {
  const { except, to, send = sendQuietly } = options;
  const data = JSON.stringify(frame);
  for (const ws of sockets) {
    if (ws === except) continue;
    if (to && !to(attachmentOf<T>(ws), ws)) continue;
    send(ws, data);
  }
}
