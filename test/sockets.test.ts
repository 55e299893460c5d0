// The shared socket mechanics (src/durable/sockets.ts), on stand-in sockets: what is sent to
// whom, serialised once, and that a socket gone away is skipped rather than thrown over.
import { describe, expect, it } from "vitest";
import { attach, attachmentOf, broadcast, closeQuietly, sendQuietly } from "../src/durable/sockets.ts";

type Stand = WebSocket & { sent: string[]; closed: [number, string][] };

function socket(attachment: unknown, gone = false): Stand {
  let stored = attachment;
  const fake = {
    sent: [] as string[],
    closed: [] as [number, string][],
    deserializeAttachment: () => stored,
    serializeAttachment: (value: unknown) => void (stored = value),
    send(data: string) {
      if (gone) throw new TypeError("Can't call WebSocket send() after close().");
      fake.sent.push(data);
    },
    close(code: number, reason: string) {
      if (gone) throw new TypeError("WebSocket already closed.");
      fake.closed.push([code, reason]);
    },
  };
  return fake as unknown as Stand;
}

describe("sockets", () => {
  it("reads back what was attached, with its type", () => {
    const ws = socket({ id: "a" });
    expect(attachmentOf<{ id: string }>(ws).id).toBe("a");
    attach<{ id: string; ready: boolean }>(ws, { id: "a", ready: true });
    expect(attachmentOf<{ ready: boolean }>(ws).ready).toBe(true);
  });

  it("sends frames serialised and data as it is, and skips a socket gone away", () => {
    const ws = socket(null);
    sendQuietly(ws, { type: "pong" });
    sendQuietly(ws, "raw");
    expect(ws.sent).toEqual(['{"type":"pong"}', "raw"]);
    expect(() => sendQuietly(socket(null, true), { type: "pong" })).not.toThrow();
  });

  it("closes, and leaves a socket already closed be", () => {
    const ws = socket(null);
    closeQuietly(ws, 1000, "bye");
    expect(ws.closed).toEqual([[1000, "bye"]]);
    expect(() => closeQuietly(socket(null, true), 1001, "no heartbeat")).not.toThrow();
  });

  it("broadcasts one serialisation to every socket but the one excepted and those filtered out", () => {
    const [a, b, c, gone] = [
      socket({ id: "a" }),
      socket({ id: "b" }),
      socket({ id: "c" }),
      socket({ id: "gone" }, true),
    ];
    const frames: [string, string][] = [];
    broadcast<{ id: string }>(
      [a, b, c, gone],
      { type: "x" },
      {
        except: a,
        to: (them) => them.id !== "c",
        send: (ws, data) => {
          frames.push([attachmentOf<{ id: string }>(ws).id, data]);
          sendQuietly(ws, data);
        },
      },
    );
    expect(frames).toEqual([
      ["b", '{"type":"x"}'],
      ["gone", '{"type":"x"}'],
    ]);
    expect(b.sent).toEqual(['{"type":"x"}']);
    expect([a.sent, c.sent]).toEqual([[], []]);
    // Without options: everyone.
    broadcast([a, c], { type: "y" });
    expect([a.sent, c.sent]).toEqual([['{"type":"y"}'], ['{"type":"y"}']]);
  });
});
