// HS256 JWTs (session tokens, sign-up invitations, file links) through Hono's JWT utilities, which
// the Worker carries anyway: jose did the same job for 7 KiB gzip of the Worker's 100 KiB budget.
//
// Two things are done here rather than left to the library: the key is imported once as an HMAC
// CryptoKey (Hono would read a secret string containing "PRIVATE" as a PEM key), and the expiry is
// checked only after the signature, so that only a genuine token is ever "expired".
import { sign, verify } from "hono/utils/jwt/jwt";
import { ISSUER, signingKey } from "./signing.ts";

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string | undefined): Promise<CryptoKey> {
  const bytes = signingKey(secret);
  const cached = keys.get(secret!);
  if (cached) return cached;
  const key = crypto.subtle.importKey("raw", bytes, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
  keys.set(secret!, key);
  return key;
}

export type JwtClaims = Record<string, unknown> & { sub?: string; aud?: string; exp: number };

/** Signs `claims` (with `exp` in seconds) as an HS256 JWT issued by Parley, stamped now. */
export async function signJwt(claims: JwtClaims, secret: string | undefined): Promise<string> {
  return sign({ ...claims, iss: ISSUER, iat: Math.floor(Date.now() / 1000) }, await hmacKey(secret), "HS256");
}

export type JwtResult =
  { ok: true; payload: Record<string, unknown> & { exp: number } } | { ok: false; expired: boolean };

/** Verifies an HS256 JWT issued by Parley (for `audience`, when given): signature first, then the
 * claims. A token without an expiry is refused. */
export async function verifyJwt(token: string, secret: string | undefined, audience?: string): Promise<JwtResult> {
  let payload: Record<string, unknown>;
  try {
    // exp is checked below, after the signature: Hono checks it before.
    payload = await verify(token, await hmacKey(secret), {
      alg: "HS256",
      iss: ISSUER,
      exp: false,
      // Tokens signed on another edge machine may carry an iat a moment ahead of this clock.
      iat: false,
      ...(audience ? { aud: audience } : {}),
    });
  } catch (error) {
    if (error instanceof Error && error.name.startsWith("Jwt")) return { ok: false, expired: false };
    throw error;
  }
  if (audience === undefined && payload.aud !== undefined) return { ok: false, expired: false };
  const exp = payload.exp;
  if (typeof exp !== "number" || !Number.isFinite(exp)) return { ok: false, expired: false };
  if (exp <= Math.floor(Date.now() / 1000)) return { ok: false, expired: true };
  return { ok: true, payload: { ...payload, exp } };
}
