// How a browser hands its token to a WebSocket upgrade without putting it in the URL (URLs end up
// in logs): `new WebSocket(url, socketProtocols(token))`. The server answers with the first
// subprotocol of SOCKET_PROTOCOLS that the client offered; the token rides in the last entry,
// which it never echoes. Part of the protocol (protocol.ts re-exports it), kept apart so the widget
// imports these few lines and nothing more.

/** parley.v2: acks are short (`{type, cid, seq, at}`, docs/protocol.md). */
export const SOCKET_PROTOCOL = "parley.v2";
/** parley.v1: every ack carries the whole stored message. Still answered, so a widget or console
 * loaded before v2 was deployed, or an integration written for v1, keeps working; our clients offer
 * it second, which is what a server of before v2 answers. */
export const SOCKET_PROTOCOL_V1 = "parley.v1";
/** In the order the server prefers them. */
export const SOCKET_PROTOCOLS = [SOCKET_PROTOCOL, SOCKET_PROTOCOL_V1] as const;
export type SocketProtocol = (typeof SOCKET_PROTOCOLS)[number];
export const SOCKET_TOKEN_PREFIX = "parley.token.";

export function socketProtocols(token: string): string[] {
  return [...SOCKET_PROTOCOLS, SOCKET_TOKEN_PREFIX + token];
}
