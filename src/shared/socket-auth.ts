// How a browser hands its token to a WebSocket upgrade without putting it in the URL (URLs end up
// in logs): `new WebSocket(url, socketProtocols(token))`. The server answers with SOCKET_PROTOCOL;
// the token rides in the second entry, which it never echoes. Part of the protocol (protocol.ts
// re-exports it), kept apart so the widget imports these few lines and nothing more.
export const SOCKET_PROTOCOL = "parley.v1";
export const SOCKET_TOKEN_PREFIX = "parley.token.";

export function socketProtocols(token: string): string[] {
  return [SOCKET_PROTOCOL, SOCKET_TOKEN_PREFIX + token];
}
