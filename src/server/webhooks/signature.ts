// The Parley-Signature header of a webhook delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
// "<t>.<body>">`, keyed with the endpoint's secret (the whole `whsec_…` string, UTF-8), with one
// more `v1=` per secret still in force after a rotation. docs/webhooks.md shows how to verify it.
const encoder = new TextEncoder();

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(text)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

export async function signatureHeader(secrets: string[], unixSeconds: number, body: string): Promise<string> {
  const macs = await Promise.all(secrets.map((secret) => hmacHex(secret, `${unixSeconds}.${body}`)));
  return [`t=${unixSeconds}`, ...macs.map((mac) => `v1=${mac}`)].join(",");
}
