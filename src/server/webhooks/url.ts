// What a webhook endpoint's URL may be: https, no credentials, and a host on the public internet
// (not this machine, not a private or link-local network), so Parley cannot be made to post into
// a network it happens to reach. WEBHOOK_ALLOW_LOCAL "true" (local development and the e2e tests
// only) also lets http: and this machine's loopback through. The URL parser has already turned
// every spelling of an IPv4 address (decimal, hex, short forms) into a dotted quad.
import { fieldProblem } from "../problems.ts";

function refuse(code: "webhook_url_invalid" | "webhook_url_not_https" | "webhook_url_private", message: string): never {
  throw fieldProblem(422, code, "url", message);
}

const LOOPBACK = /^(localhost|.+\.localhost)\.?$|^(127\.[\d.]+|\[::1\])$/;
/** Private, link-local, shared (100.64/10), unspecified, multicast and reserved IPv4; unspecified,
 * unique local, link-local and IPv4-mapped IPv6; names only a local network knows. */
const PRIVATE =
  /^(0|10|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])|169\.254|172\.(1[6-9]|2\d|3[01])|192\.168|22[4-9]|2[3-5]\d)\.[\d.]+$|^\[(::\]|f[cd]|fe[89ab]|::ffff:)|\.(local|internal)\.?$/;

/** The URL as it will be called; throws the refusal (422, `fields` naming `url`) if it may not be. */
export function checkWebhookUrl(input: string, allowLocal: boolean): string {
  if (!URL.canParse(input)) refuse("webhook_url_invalid", "Enter a whole URL, like https://example.com/hook.");
  const url = new URL(input);
  const host = url.hostname;
  if (url.protocol !== "https:" && !(allowLocal && url.protocol === "http:"))
    refuse("webhook_url_not_https", "The URL must start with https://.");
  if (url.username || url.password) refuse("webhook_url_invalid", "The URL may not hold a user name or password.");
  if ((!allowLocal && LOOPBACK.test(host)) || PRIVATE.test(host))
    refuse("webhook_url_private", "The URL must be on the public internet, not a local or private address.");
  return url.href;
}
