// The console's reconnecting socket: common/reconnecting-socket.ts with its status as a signal,
// and the URL built on this origin with the operator's current token.
import { createSignal, type Accessor } from "solid-js";
import { ReconnectingSocket as Socket, type SocketHandlers as CommonHandlers, type SocketStatus } from "../common/reconnecting-socket.ts";
import { socketTokenProtocols, socketUrl } from "./api.ts";

export type { SocketStatus };

export type SocketHandlers = Omit<CommonHandlers, "url" | "protocols" | "onStatus"> & {
  /** Path of the socket; the URL, with the current token, is rebuilt for every attempt. */
  path: string;
};

export class ReconnectingSocket {
  readonly status: Accessor<SocketStatus>;
  private readonly socket: Socket;

  constructor(handlers: SocketHandlers) {
    const [status, setStatus] = createSignal<SocketStatus>("connecting");
    this.status = status;
    this.socket = new Socket({ ...handlers, url: () => socketUrl(handlers.path), protocols: socketTokenProtocols, onStatus: setStatus });
  }

  /** Sends a frame if the socket is open; false means it was not sent. */
  send(frame: unknown): boolean {
    return this.socket.send(frame);
  }

  stop(): void {
    this.socket.stop();
  }
}
