// The widget's words in every language it ships. The visitor's browser language picks one (an
// account language setting may come later); `data-lang` or Parley.setTexts override it.

export const en = {
  /** The language code, for the texts in form-texts.ts and file-texts.ts. */
  lang: "en",
  openChat: "Chat with us",
  closeChat: "Close chat",
  newMessages: "{n} new messages",
  windowLabel: "Chat",
  messages: "Messages",
  placeholder: "Type your message…",
  inputLabel: "Your message",
  send: "Send",
  endChat: "End chat",
  ended: "The chat has ended. Write again any time to start a new one.",
  typing: "{name} is typing…",
  seen: "Seen",
  sending: "Sending…",
  notDelivered: "Not delivered",
  reconnecting: "Connection lost, reconnecting…",
  unavailable: "The chat is not available right now.",
  joined: "{name} joined the chat",
  left: "{name} left the chat",
  closed: "{name} ended the chat",
  you: "You",
};
export type Texts = typeof en;

const de: Texts = {
  lang: "de",
  openChat: "Chatten Sie mit uns",
  closeChat: "Chat schließen",
  newMessages: "{n} neue Nachrichten",
  windowLabel: "Chat",
  messages: "Nachrichten",
  placeholder: "Ihre Nachricht…",
  inputLabel: "Ihre Nachricht",
  send: "Senden",
  endChat: "Chat beenden",
  ended: "Der Chat ist beendet. Schreiben Sie jederzeit wieder, um einen neuen zu beginnen.",
  typing: "{name} schreibt…",
  seen: "Gelesen",
  sending: "Wird gesendet…",
  notDelivered: "Nicht zugestellt",
  reconnecting: "Verbindung unterbrochen, verbinde neu…",
  unavailable: "Der Chat ist gerade nicht verfügbar.",
  joined: "{name} ist dem Chat beigetreten",
  left: "{name} hat den Chat verlassen",
  closed: "{name} hat den Chat beendet",
  you: "Sie",
};

export const languages: Record<string, Texts> = { en, de };

/** The first of the wanted languages (`de-AT` counts as `de`) that ships, else English. */
export function pickTexts(wanted: readonly string[]): Texts {
  for (const tag of wanted) {
    const texts = languages[tag.toLowerCase().split("-")[0]!];
    if (texts) return texts;
  }
  return en;
}

/** Fills `{name}`-style placeholders. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));
}
