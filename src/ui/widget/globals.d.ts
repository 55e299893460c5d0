/** The chat part's file name under /widget/, with its content hash; set by vite.widget.config.ts. */
declare const __PARLEY_CHAT_FILE__: string;
