// Sends a transcript through the EMAIL binding in the form the deployment is set up for
// (wrangler.toml [vars] EMAIL_MODE):
// - "mime": the classic send_email binding, `send(new EmailMessage(from, to, rawMime))`. Cloudflare
//   delivers it only to verified destination addresses of the account, so in production it suits
//   sending to your own team, not to visitors. `wrangler dev` and the tests use it: it writes each
//   email to an .eml file.
// - "service": Cloudflare Email Service, `send({ from, to, subject, text, html, replyTo, headers })`,
//   to any address once the sender domain is onboarded. What production needs (docs/deploy.md).
import { EmailMessage } from "cloudflare:email";
import { transcriptMime } from "./mime.ts";
import type { TranscriptEmail } from "./transcript.ts";

const emailModes = ["mime", "service"] as const;
type EmailMode = (typeof emailModes)[number];

function emailModeOf(env: Env): EmailMode {
  const mode = env.EMAIL_MODE;
  // A typo must not fall back to the classic binding quietly: it would only ever reach verified addresses.
  if (!(emailModes as readonly string[]).includes(mode))
    throw new Error(`EMAIL_MODE must be "mime" or "service", not ${JSON.stringify(mode)}`);
  return mode as EmailMode;
}

export async function sendEmail(env: Env, email: TranscriptEmail): Promise<void> {
  if (emailModeOf(env) === "service") {
    await env.EMAIL.send({
      from: email.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      ...(email.replyTo ? { replyTo: email.replyTo } : {}),
      headers: email.headers,
    });
    return;
  }
  await env.EMAIL.send(new EmailMessage(email.from.email, email.to, transcriptMime(email)));
}
