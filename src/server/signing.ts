// The key every Parley JWT is signed with (session tokens, invitations, file links), from the
// AUTH_SECRET binding, and the issuer they all name.
export const ISSUER = "parley";

export function signingKey(secret: string | undefined): Uint8Array {
  // A short secret makes HS256 guessable; refuse to run with one rather than issue weak tokens.
  if (!secret || secret.length < 32) throw new Error("AUTH_SECRET must be set to at least 32 characters");
  return new TextEncoder().encode(secret);
}
