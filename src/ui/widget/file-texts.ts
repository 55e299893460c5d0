// The widget's words for files, in English and German, next to texts.ts and form-texts.ts. Only
// the chat's file part (chat/files.ts, a file of its own loaded when a file is sent or shown)
// uses them, so they cost widget.js and the chat part nothing. Parley.setTexts overrides them.
export const fileEn = {
  download: "Download",
  sendingFile: "Sending {name}…",
  cancel: "Cancel",
  dismiss: "OK",
  fileTooLarge: "This file is too large to send.",
  /** With the account's limit, e.g. "10 MB". */
  fileOverLimit: "This file is larger than the {limit} limit.",
  fileTypeNotAllowed: "Files of this type cannot be sent here.",
  fileTypeMismatch: "The file's name does not match its content.",
  fileChatEnded: "The chat has ended.",
  /** The account's file storage has no room for it (its quota). */
  fileNoRoom: "This file cannot be sent now: there is no room for it.",
  fileFailed: "The file could not be sent. Please try again.",
};
export type FileTexts = typeof fileEn;

const fileDe: FileTexts = {
  download: "Herunterladen",
  sendingFile: "{name} wird gesendet…",
  cancel: "Abbrechen",
  dismiss: "OK",
  fileTooLarge: "Diese Datei ist zu groß zum Senden.",
  fileOverLimit: "Diese Datei ist größer als die erlaubten {limit}.",
  fileTypeNotAllowed: "Dateien dieser Art können hier nicht gesendet werden.",
  fileTypeMismatch: "Der Name der Datei passt nicht zu ihrem Inhalt.",
  fileChatEnded: "Der Chat ist beendet.",
  fileNoRoom: "Diese Datei kann gerade nicht gesendet werden: Es ist kein Platz dafür frei.",
  fileFailed: "Die Datei konnte nicht gesendet werden. Bitte versuchen Sie es noch einmal.",
};

export const fileTexts: Record<string, FileTexts> = { en: fileEn, de: fileDe };
