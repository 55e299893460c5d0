// How often one widget presence socket may change what operators see of its visitor. Every
// `page` frame is kept (the socket's attachment always holds the latest page), but only a few a
// second are passed on to the consoles; the rest are merged into one trailing notice sent when
// the bucket allows, so a console always ends on the visitor's true last page while a flooding
// socket costs the operators a bounded number of notices. The widget itself sends at most one
// frame per navigation, chat change or 2-second URL check, far below the limit.
import { TokenBucket } from "./token-bucket.ts";

/** Page notices passed on at once per socket, then PAGE_NOTICES_PER_SECOND on average. */
export const PAGE_NOTICE_BURST = 5;
export const PAGE_NOTICES_PER_SECOND = 1;
/** A held frame is answered with one `rate_limited` error per socket per this interval, not one
 * per frame (answering every frame would make the flood twice as loud). */
export const PAGE_WARNING_EVERY_MS = 10_000;
/** A second with more frames than this is a flooding second (10× the sustained limit)... */
export const FLOOD_FRAMES_PER_SECOND = 10 * PAGE_NOTICES_PER_SECOND;
/** ...and a socket flooding for this many consecutive seconds is closed (FLOODING_CLOSE_CODE). */
export const FLOOD_CLOSE_AFTER_S = 10;

export type PageVerdict =
  /** Pass the change on now. */
  | { kind: "now" }
  /** Keep it; a trailing notice goes out in `afterMs`. `warn`: answer with `rate_limited` now. */
  | { kind: "later"; afterMs: number; warn: boolean }
  /** The socket has flooded for FLOOD_CLOSE_AFTER_S seconds: close it. */
  | { kind: "close" };

/** One presence socket's limit, in the memory of the object holding the socket (like every token
 * bucket here it resets if the object is evicted, which a flood never lets happen). */
export class PageLimit {
  private readonly bucket = new TokenBucket(PAGE_NOTICE_BURST, PAGE_NOTICES_PER_SECOND);
  private warnedAt = -Infinity;
  private second = 0;
  private framesThisSecond = 0;
  /** Flooding seconds in a row, up to the one before `second`. */
  private floodedSeconds = 0;
  /** A change is kept that operators have not been told yet. */
  dirty = false;
  trailing: ReturnType<typeof setTimeout> | null = null;

  offer(now = Date.now()): PageVerdict {
    const second = Math.floor(now / 1000);
    if (second !== this.second) {
      const flooded = this.framesThisSecond > FLOOD_FRAMES_PER_SECOND && second === this.second + 1;
      this.floodedSeconds = flooded ? this.floodedSeconds + 1 : 0;
      this.second = second;
      this.framesThisSecond = 0;
    }
    this.framesThisSecond += 1;
    if (this.framesThisSecond > FLOOD_FRAMES_PER_SECOND && this.floodedSeconds + 1 >= FLOOD_CLOSE_AFTER_S)
      return { kind: "close" };
    const afterMs = this.bucket.take(now);
    if (afterMs === 0) {
      this.dirty = false;
      return { kind: "now" };
    }
    this.dirty = true;
    const warn = now - this.warnedAt >= PAGE_WARNING_EVERY_MS;
    if (warn) this.warnedAt = now;
    return { kind: "later", afterMs, warn };
  }

  /** The trailing notice is due: 0 if it may go now (a token is taken), else ms to wait more. */
  due(now = Date.now()): number {
    const afterMs = this.bucket.take(now);
    if (afterMs === 0) this.dirty = false;
    return afterMs;
  }

  stop(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = null;
    this.dirty = false;
  }
}
