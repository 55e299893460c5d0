// The console's sockets (a chat's, the lobby's): common/reconnecting-socket.ts with its status
// as a signal, and the URL built on this origin with the operator's current token.
import { createSignal, type Accessor } from "solid-js";
import { ReconnectingSocket, type SocketHandlers, type SocketStatus } from "../common/reconnecting-socket.ts";
import { socketTokenProtocols, socketUrl } from "./api.ts";

export type { SocketStatus };

type OperatorSocketHandlers = Omit<SocketHandlers, "url" | "protocols" | "onStatus"> & {
  /** Path of the socket; the URL, with the current token, is rebuilt for every attempt. */
  path: string;
};

export class OperatorSocket {
  readonly status: Accessor<SocketStatus>;
  private readonly socket: ReconnectingSocket;

  constructor(handlers: OperatorSocketHandlers) {
    const [status, setStatus] = createSignal<SocketStatus>("connecting");
    this.status = status;
    this.socket = new ReconnectingSocket({
      ...handlers,
      url: () => socketUrl(handlers.path),
      protocols: socketTokenProtocols,
      onStatus: setStatus,
    });
  }

  /** Sends a frame if the socket is open; false means it was not sent. */
  send(frame: unknown): boolean {
    return this.socket.send(frame);
  }

  stop(): void {
    this.socket.stop();
  }
}
