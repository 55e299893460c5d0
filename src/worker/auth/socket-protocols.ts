// The server's side of socketProtocols (src/shared/socket-auth.ts): what an upgrade offers.
import { SOCKET_PROTOCOLS, type SocketProtocol } from "../../shared/socket-auth.ts";

/** The subprotocols an upgrade request offers. */
export function offeredProtocols(request: Request): string[] {
  return (
    request.headers
      .get("Sec-WebSocket-Protocol")
      ?.split(",")
      .map((p) => p.trim()) ?? []
  );
}

/** The subprotocol the server answers with: the first of SOCKET_PROTOCOLS the client offered, or
 * none when it offered none of them (a client that sends its token in a header or the query). */
export function chosenProtocol(request: Request): SocketProtocol | undefined {
  const offered = offeredProtocols(request);
  return SOCKET_PROTOCOLS.find((protocol) => offered.includes(protocol));
}
