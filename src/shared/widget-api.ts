// What the visitor widget reads before a chat exists: the public face of an account. Only fields
// that may be shown to anyone on a customer's site belong here (never allowedOrigins, rate limits,
// the transcript sender...). The file size limit is one: the widget tells it to every visitor
// whose file is too large.

/** The languages the widget ships texts for; "auto" lets each visitor's browser choose. */
export const widgetLanguages = ["auto", "en", "de"] as const;
export type WidgetLanguage = (typeof widgetLanguages)[number];

/** `GET /api/widget/config?account=ID` */
export type WidgetConfig = {
  displayName: string;
  /** #rgb or #rrggbb: the launcher and the window's header. */
  widgetColor: string;
  greeting: string;
  /** Shown above the "leave a message" form while no operator is online. */
  offlineMessage: string;
  /** Ask for name, email and department before the chat starts. */
  preChatForm: boolean;
  /** The account's widget language; "auto" follows the visitor's browser. */
  language: WidgetLanguage;
  /** `open`: within the department's business hours now (a closed one takes messages only). */
  departments: { id: string; name: string; open: boolean }[];
  /** The largest file a visitor may send, in bytes (the account's `fileSizeLimitBytes`): the widget
   * refuses a larger one before uploading and names the limit. */
  fileSizeLimitBytes: number;
  /** Only when the account's file storage has less left than `fileSizeLimitBytes`: the bytes left,
   * so the widget refuses a file that cannot be stored now before uploading it. Absent otherwise,
   * so the account's usage is not told to visitors while there is room. */
  storageLeftBytes?: number;
  /** Whether any operator who could take a chat without a department (or, with `?department=`,
   * a chat of that department) is online now. */
  online: boolean;
};
