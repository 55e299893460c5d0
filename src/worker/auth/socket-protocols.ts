// The server's side of socketProtocols (src/shared/socket-auth.ts): what an upgrade offers.

/** The subprotocols an upgrade request offers. */
export function offeredProtocols(request: Request): string[] {
  return (
    request.headers
      .get("Sec-WebSocket-Protocol")
      ?.split(",")
      .map((p) => p.trim()) ?? []
  );
}
