// Operator passwords: PBKDF2-SHA256 through WebCrypto, so the same code runs in the Worker and in
// the Node seed script. Stored as "pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>".
// 100,000 iterations is the most the Workers runtime allows for PBKDF2.
const ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const encoder = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, ITERATIONS);
  return `pbkdf2-sha256$${ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

/** Compares in constant time so the time taken says nothing about how much of the hash matched. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split("$");
  if (scheme !== "pbkdf2-sha256" || !iterations || !salt || !hash) return false;
  const actual = await derive(password, fromBase64(salt), Number(iterations));
  return equalBytes(actual, fromBase64(hash));
}

/** A well-formed hash of no real password: checked when an email is unknown, so that a wrong
 * email takes as long to refuse as a wrong password. It is also the stored hash of an invited
 * operator who has not chosen a password yet: no password derives to it, so they cannot sign in,
 * and sign-in takes as long for them as for anyone. */
export const UNUSABLE_PASSWORD_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/** False for an invited operator who has not chosen a password yet. */
export function hasPassword(stored: string): boolean {
  return stored !== UNUSABLE_PASSWORD_HASH;
}
