// The widget's words for the pre-chat form, "leave a message", waiting for an operator, the rating
// and the transcript, in English and German, next to texts.ts. They are used only by the chat part's forms (chat/chat-forms.ts), a
// file of its own loaded when needed, so they stay out of widget.js, which every page view loads.
// Parley.setTexts overrides them like the others.
export const formEn = {
  yourName: "Your name",
  yourEmail: "Your email",
  department: "Department",
  anyDepartment: "Any department",
  departmentClosed: "{name} (closed now: leave a message)",
  preChatIntro: "Before we start, tell us who you are.",
  preChatStart: "Start chat",
  offlineLeave: "Leave a message",
  continueByEmail: "Leave your email and we will answer your chat by email. Anything to add?",
  offlineText: "Your message",
  offlineSend: "Send message",
  offlineSent: "Thank you! We have your message and will answer by email.",
  offlineFailed: "The message could not be sent. Please try again.",
  emailInvalid: "Please enter a valid email address.",
  required: "Please fill in this field.",
  rateQuestion: "How was this chat?",
  rateGood: "Good",
  rateBad: "Bad",
  rateComment: "Comment (optional)",
  rateSubmit: "Send rating",
  rateThanks: "Thank you for your feedback!",
  rateFailed: "The rating could not be sent. Please try again.",
  transcriptAsk: "Email me this transcript",
  transcriptSend: "Send",
  transcriptSent: "We have sent the transcript to {email}.",
  transcriptFailed: "The transcript could not be sent. Please try again.",
  transcriptTooMany: "This transcript has been sent too often for now. Please try again later.",
  waitingForOperator: "Waiting for an operator…",
  queuePlace: "You are number {n} in the queue.",
  queueMissed: "Sorry, no operator could take your chat. Leave a message and we will answer by email.",
};
export type FormTexts = typeof formEn;

const formDe: FormTexts = {
  yourName: "Ihr Name",
  yourEmail: "Ihre E-Mail-Adresse",
  department: "Abteilung",
  anyDepartment: "Beliebige Abteilung",
  departmentClosed: "{name} (gerade geschlossen: Nachricht hinterlassen)",
  preChatIntro: "Bevor es losgeht: Wer sind Sie?",
  preChatStart: "Chat starten",
  offlineLeave: "Nachricht hinterlassen",
  continueByEmail:
    "Hinterlassen Sie Ihre E-Mail-Adresse, dann antworten wir auf Ihren Chat per E-Mail. Möchten Sie noch etwas ergänzen?",
  offlineText: "Ihre Nachricht",
  offlineSend: "Nachricht senden",
  offlineSent: "Vielen Dank! Wir haben Ihre Nachricht erhalten und antworten per E-Mail.",
  offlineFailed: "Die Nachricht konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.",
  emailInvalid: "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
  required: "Bitte füllen Sie dieses Feld aus.",
  rateQuestion: "Wie war dieser Chat?",
  rateGood: "Gut",
  rateBad: "Schlecht",
  rateComment: "Kommentar (optional)",
  rateSubmit: "Bewertung senden",
  rateThanks: "Vielen Dank für Ihre Rückmeldung!",
  rateFailed: "Die Bewertung konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.",
  transcriptAsk: "Diesen Chatverlauf per E-Mail erhalten",
  transcriptSend: "Senden",
  transcriptSent: "Wir haben den Chatverlauf an {email} gesendet.",
  transcriptFailed: "Der Chatverlauf konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.",
  transcriptTooMany: "Der Chatverlauf wurde vorerst zu oft gesendet. Bitte versuchen Sie es später noch einmal.",
  waitingForOperator: "Warten auf einen Mitarbeiter…",
  queuePlace: "Sie sind Nummer {n} in der Warteschlange.",
  queueMissed:
    "Leider konnte kein Mitarbeiter Ihren Chat annehmen. Hinterlassen Sie eine Nachricht, wir antworten per E-Mail.",
};

export const formTexts: Record<string, FormTexts> = { en: formEn, de: formDe };
