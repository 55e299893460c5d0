// Getting the operator's attention for news they are not looking at: a short beep, a flashing
// title and, if they allowed it, a desktop notification. The title also carries the unread total.
import { createSignal } from "solid-js";

const APP_TITLE = "Parley";
const FLASH_INTERVAL_MS = 1_000;
/** When the page is in view but the news is in another tab, a few flashes are enough. */
const FLASH_IN_VIEW_MS = 6_000;

export function pageInView(): boolean {
  return document.visibilityState === "visible" && document.hasFocus();
}

// ---- Sound -----------------------------------------------------------------------------------

let audio: AudioContext | undefined;
let lastBeepAt = 0;
/** Thirty visitors writing at once make one chime, not thirty stacked into a screech. */
const BEEP_GAP_MS = 1_000;

/** Browsers only let audio start after a user gesture; the first click or key unlocks it. */
function unlockAudio(): void {
  try {
    audio ??= new AudioContext();
    if (audio.state === "suspended") void audio.resume();
  } catch {
    // No WebAudio: the console stays silent.
  }
}
window.addEventListener("pointerdown", unlockAudio, { once: true });
window.addEventListener("keydown", unlockAudio, { once: true });

/** A soft two-tone chime synthesised on the spot, so there is no sound file to load. */
function beep(): void {
  unlockAudio();
  if (!audio || audio.state !== "running" || Date.now() - lastBeepAt < BEEP_GAP_MS) return;
  lastBeepAt = Date.now();
  const start = audio.currentTime;
  for (const [offset, frequency] of [
    [0, 880],
    [0.12, 1320],
  ] as const) {
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = frequency;
    volume.gain.setValueAtTime(0.0001, start + offset);
    volume.gain.exponentialRampToValueAtTime(0.15, start + offset + 0.01);
    volume.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.15);
    tone.connect(volume).connect(audio.destination);
    tone.start(start + offset);
    tone.stop(start + offset + 0.16);
  }
}

// ---- Title -----------------------------------------------------------------------------------

let baseTitle = APP_TITLE;
let flashText: string | null = null;
let flashShown = false;
let flashTimer: ReturnType<typeof setInterval> | undefined;
let flashStopTimer: ReturnType<typeof setTimeout> | undefined;

function renderTitle(): void {
  document.title = flashShown && flashText ? flashText : baseTitle;
}

/** "(3) Parley" while there are unread messages, "Parley" otherwise. */
export function setUnreadTitle(unread: number): void {
  baseTitle = unread > 0 ? `(${unread}) ${APP_TITLE}` : APP_TITLE;
  renderTitle();
}

function flashTitle(text: string): void {
  flashText = text;
  flashShown = true;
  renderTitle();
  clearInterval(flashTimer);
  flashTimer = setInterval(() => {
    flashShown = !flashShown;
    renderTitle();
  }, FLASH_INTERVAL_MS);
  clearTimeout(flashStopTimer);
  if (pageInView()) flashStopTimer = setTimeout(stopFlashing, FLASH_IN_VIEW_MS);
}

function stopFlashing(): void {
  clearInterval(flashTimer);
  clearTimeout(flashStopTimer);
  flashTimer = undefined;
  flashText = null;
  flashShown = false;
  renderTitle();
}
// Coming back to the page is what the flashing asked for.
window.addEventListener("focus", stopFlashing);
document.addEventListener("visibilitychange", () => {
  if (pageInView()) stopFlashing();
});

// ---- Desktop notifications -------------------------------------------------------------------

const desktopSupported = "Notification" in window;
const [permission, setPermission] = createSignal<NotificationPermission | "unsupported">(
  desktopSupported ? Notification.permission : "unsupported",
);
export const notificationPermission = permission;

/** Asked only from a button: browsers (and operators) dislike a prompt on page load. */
export async function requestNotificationPermission(): Promise<void> {
  if (!desktopSupported) return;
  setPermission(await Notification.requestPermission());
}

function notifyDesktop(title: string, body: string, tag: string, onClick: () => void): void {
  if (permission() !== "granted" || pageInView()) return;
  try {
    const note = new Notification(title, { body, tag });
    note.onclick = () => {
      window.focus();
      onClick();
      note.close();
    };
  } catch {
    // Some platforms allow Notification only from a service worker; beep and title still work.
  }
}

/** Beep, flash and notify at once: the one call for "something needs the operator". */
export function alertOperator(news: { title: string; body: string; tag: string; onClick: () => void }): void {
  beep();
  flashTitle(news.title);
  notifyDesktop(news.title, news.body, news.tag, news.onClick);
}
