// Files in chats end to end in the Workers runtime: the real Worker streams into the real R2
// binding, the real ChatRoom records the message, links are signed with the real secret. What is
// asserted is what participants see (messages, answers, downloads) and what R2 holds afterwards.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type {
  ChatMessage,
  FileLinkResponse,
  FileUploadResponse,
  HistoryPage,
  VisitorSessionResponse,
} from "../src/shared/protocol.ts";
import { signedFileUrl } from "../src/server/file-links.ts";
import {
  admin,
  call,
  expectJson,
  expectProblem,
  join,
  login,
  operatorJoins,
  seedAccount,
  startChat,
  type SeededAccount,
} from "./helpers.ts";

// ---- Sample files --------------------------------------------------------------------------
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
/** A real 1x1 PNG. */
const PNG = fromBase64(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
);
const PDF = new TextEncoder().encode(
  "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
);
const TEXT = new TextEncoder().encode("Order 1234: two chairs, one table.\nDanke schön!\n");
/** The start of a Windows executable ("MZ" header), padded. */
const EXE = Uint8Array.from([
  0x4d,
  0x5a,
  0x90,
  0x00,
  0x03,
  0x00,
  0x00,
  0x00,
  0x04,
  0x00,
  0x00,
  0x00,
  0xff,
  0xff,
  ...new Array(200).fill(0x41),
]);

let account: SeededAccount;
let other: SeededAccount;
let ann: string;
let bob: string;
let otherOwner: string;

beforeAll(async () => {
  account = await seedAccount("files");
  other = await seedAccount("files2");
  ann = (await login(account.emails.ann)).token;
  bob = (await login(account.emails.bob)).token;
  otherOwner = (await login(other.emails.owner)).token;
});

type UploadOptions = { token?: string; cid?: string; body?: BodyInit; headers?: Record<string, string> };

function upload(chatId: string, name: string, bytes: Uint8Array, options: UploadOptions = {}): Promise<Response> {
  const query = new URLSearchParams({ name, cid: options.cid ?? crypto.randomUUID() });
  return call(`/api/chats/${chatId}/files?${query}`, {
    method: "POST",
    body: options.body ?? bytes,
    ...(options.token ? { token: options.token } : {}),
    headers: options.headers ?? {},
  });
}

async function uploaded(
  chatId: string,
  name: string,
  bytes: Uint8Array,
  token: string,
  cid?: string,
): Promise<ChatMessage> {
  const res = await upload(chatId, name, bytes, { token, ...(cid ? { cid } : {}) });
  return (await expectJson<FileUploadResponse>(res, 201)).message;
}

/** Keys R2 holds for a chat. */
async function storedKeys(accountId: string, chatId: string): Promise<string[]> {
  return (await env.FILES.list({ prefix: `${accountId}/${chatId}/` })).objects.map((o) => o.key);
}

async function history(chatId: string, token: string): Promise<ChatMessage[]> {
  return (await expectJson<HistoryPage>(await call(`/api/chats/${chatId}/messages`, { token }), 200)).messages;
}

async function linkTo(chatId: string, fileId: string, token: string): Promise<FileLinkResponse> {
  return expectJson<FileLinkResponse>(await call(`/api/chats/${chatId}/files/${fileId}/link`, { token }), 200);
}

/** A chat with its visitor and Ann (an operator) connected. */
async function chatWithAnn() {
  const chat = await startChat(account.id);
  const visitor = (await join(chat.chatId, chat.token)).client;
  const operator = await operatorJoins(chat.chatId, ann);
  await visitor.next("msg"); // Ann joined
  return { chat, visitor, operator };
}

/** A body that streams `chunks`, then either ends or fails; `pulls` counts the chunks read. */
function streamOf(
  chunks: Uint8Array[],
  end: "close" | "error" = "close",
  beforeChunk?: (index: number) => Promise<void>,
) {
  const state = { pulls: 0 };
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      state.pulls++;
      await beforeChunk?.(i);
      if (i < chunks.length) return controller.enqueue(chunks[i++]!);
      if (end === "close") controller.close();
      else controller.error(new Error("the sender went away"));
    },
  });
  return { body, state };
}

describe("sending files", () => {
  it("stores a PNG, a PDF and a text file, shows each to the other side live and in history", async () => {
    const { chat, visitor, operator } = await chatWithAnn();

    const png = await uploaded(chat.chatId, "photo.png", PNG, chat.token, "up-1");
    expect(png).toMatchObject({
      kind: "file",
      cid: "up-1",
      event: null,
      author: { kind: "visitor", id: chat.visitorId },
      text: "photo.png",
    });
    expect(png.file).toMatchObject({ name: "photo.png", size: PNG.byteLength, type: "image/png" });
    expect((await operator.next("msg")).message).toEqual(png);
    // The sender's own sockets get it too: the upload did not go over them.
    expect((await visitor.next("msg")).message).toEqual(png);

    const pdf = await uploaded(chat.chatId, "offer.pdf", PDF, ann);
    expect(pdf).toMatchObject({
      kind: "file",
      author: { kind: "operator", name: "Ann" },
      file: { name: "offer.pdf", type: "application/pdf", size: PDF.byteLength },
    });
    expect((await visitor.next("msg")).message).toEqual(pdf);

    expect((await operator.next("msg")).message).toEqual(pdf);

    const text = await uploaded(chat.chatId, "order.txt", TEXT, chat.token);
    expect(text.file).toMatchObject({ name: "order.txt", type: "text/plain", size: TEXT.byteLength });
    expect((await operator.next("msg")).message).toEqual(text);

    const log = await history(chat.chatId, ann);
    expect(log.map((m) => [m.kind, m.text])).toEqual([
      ["system", "Ann joined the chat"],
      ["file", "photo.png"],
      ["file", "offer.pdf"],
      ["file", "order.txt"],
    ]);
    expect(log[1]).toEqual(png);
    // Text messages carry no file.
    expect(log[0]!.file).toBeUndefined();
    // The bytes are in R2 under the account and chat, exactly as sent.
    expect((await storedKeys(account.id, chat.chatId)).sort()).toEqual(
      [png, pdf, text].map((m) => `${account.id}/${chat.chatId}/${m.file!.id}`).sort(),
    );
    const object = await env.FILES.get(`${account.id}/${chat.chatId}/${png.file!.id}`);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(PNG);
  });

  it("replays file messages to a client that reconnects with since, also after hibernation", async () => {
    const { chat, operator } = await chatWithAnn();
    const sent = await uploaded(chat.chatId, "photo.png", PNG, chat.token);
    await operator.next("msg");
    await evictDurableObject(env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chat.chatId)), { webSockets: "hibernate" });
    const again = await join(chat.chatId, chat.token, 1);
    expect((await again.client.next("msg")).message).toEqual(sent);
  });

  it("answers a retried upload (same cid) with the original message and keeps one copy", async () => {
    const { chat } = await chatWithAnn();
    const first = await uploaded(chat.chatId, "photo.png", PNG, chat.token, "retry-me");
    const retry = await upload(chat.chatId, "photo.png", PNG, { token: chat.token, cid: "retry-me" });
    expect((await expectJson<FileUploadResponse>(retry, 200)).message).toEqual(first);
    expect(await storedKeys(account.id, chat.chatId)).toHaveLength(1);
    expect((await history(chat.chatId, ann)).filter((m) => m.kind === "file")).toHaveLength(1);
  });

  it("gives a known format without an extension its extension", async () => {
    const { chat } = await chatWithAnn();
    expect((await uploaded(chat.chatId, "screenshot", PNG, chat.token)).file!.name).toBe("screenshot.png");
  });
});

describe("file names", () => {
  const cases: [string, string][] = [
    ["../../etc/passwd.txt", "passwd.txt"],
    ["C:\\Users\\vera\\Desktop\\order.txt", "order.txt"],
    ["/absolute/path/to/notes.txt", "notes.txt"],
    ["bad\u0000na\u0007me\r\n.txt", "badname .txt"],
    ["tab\there.txt", "tab here.txt"],
    ["invoice\u202Etxt.exe", "invoicetxt.exe"],
    ["\u2066isolated\u2069 and\u200F marked.txt", "isolated and marked.txt"],
    ["...", "file"],
    ["..", "file"],
    ["  .hidden.txt  ", "hidden.txt"],
    ["<img src=x onerror=alert(1)>.txt", "<img src=x onerror=alert(1)>.txt"],
    [`${"a".repeat(500)}.txt`, `${"a".repeat(196)}.txt`],
  ];

  it.each(cases)("keeps %j as %j", async (given, kept) => {
    const { chat } = await chatWithAnn();
    const res = await upload(chat.chatId, given, TEXT, { token: chat.token });
    if (kept.endsWith(".exe")) {
      // Text named .exe: refused, since .exe is a binary format (the bidi trick is gone either way).
      const problem = await expectProblem(res, 415, "file_type_mismatch");
      expect(problem.detail).not.toContain("\u202E");
      return;
    }
    const message = (await expectJson<FileUploadResponse>(res, 201)).message;
    expect(message.file!.name).toBe(kept);
    expect(message.text).toBe(kept);
    expect(Array.from(kept).length).toBeLessThanOrEqual(200);
  });

  it("refuses an upload without a name", async () => {
    const { chat } = await chatWithAnn();
    await expectProblem(await upload(chat.chatId, "", TEXT, { token: chat.token }), 422, "validation_failed");
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
  });
});

describe("refused uploads leave nothing behind", () => {
  it("refuses a file over the account's size limit with 413 before reading its body", async () => {
    const limited = await seedAccount("filelimit");
    await expectJson(
      await admin("/settings", limited.apiKey, { method: "PATCH", json: { fileSizeLimitBytes: 1000 } }),
      200,
    );
    const chat = await startChat(limited.id);
    const chunks = Array.from({ length: 64 }, () => new Uint8Array(16 * 1024).fill(0x61));
    const { body, state } = streamOf(chunks);
    const res = await upload(chat.chatId, "big.txt", new Uint8Array(), {
      token: chat.token,
      body,
      headers: { "Content-Length": String(64 * 16 * 1024) },
    });
    const problem = await expectProblem(res, 413, "too_large");
    expect(problem.detail).toBe("Files may be at most 1000 bytes; this one is 1 MB.");
    console.log("pulls", state.pulls);
    expect(state.pulls).toBeLessThan(8);
    // At the limit is fine.
    await expectJson(await upload(chat.chatId, "ok.txt", new Uint8Array(1000).fill(0x61), { token: chat.token }), 201);
    expect(await storedKeys(limited.id, chat.chatId)).toHaveLength(1);
  });

  it("cuts off a body longer than its Content-Length", async () => {
    const { chat } = await chatWithAnn();
    const { body } = streamOf([TEXT, new Uint8Array(5000).fill(0x61)]);
    await expectProblem(
      await upload(chat.chatId, "liar.txt", TEXT, {
        token: chat.token,
        body,
        headers: { "Content-Length": String(TEXT.byteLength) },
      }),
      400,
      "upload_incomplete",
    );
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
  });

  it("stores nothing when the body ends early or the sender goes away mid-upload", async () => {
    const { chat } = await chatWithAnn();
    const short = streamOf([new Uint8Array(6000).fill(0x61)]);
    await expectProblem(
      await upload(chat.chatId, "short.txt", TEXT, {
        token: chat.token,
        body: short.body,
        headers: { "Content-Length": "9000" },
      }),
      400,
      "upload_incomplete",
    );
    const gone = streamOf([new Uint8Array(5000).fill(0x61), new Uint8Array(5000).fill(0x62)], "error");
    await expectProblem(
      await upload(chat.chatId, "gone.txt", TEXT, {
        token: chat.token,
        body: gone.body,
        headers: { "Content-Length": "20000" },
      }),
      400,
      "upload_incomplete",
    );
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
    expect((await history(chat.chatId, ann)).filter((m) => m.kind === "file")).toEqual([]);
  });

  it("refuses a type the account does not allow with 415", async () => {
    const { chat } = await chatWithAnn();
    const problem = await expectProblem(
      await upload(chat.chatId, "setup.exe", EXE, { token: chat.token }),
      415,
      "file_type_not_allowed",
    );
    expect(problem.detail).toContain("application/x-msdownload");
    // Bytes nobody recognises and that are not text either.
    await expectProblem(
      await upload(chat.chatId, "blob", Uint8Array.from([0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]), { token: chat.token }),
      415,
      "file_type_not_allowed",
    );
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
  });

  it("refuses a file whose content disagrees with its name's extension", async () => {
    const { chat } = await chatWithAnn();
    const renamedExe = await expectProblem(
      await upload(chat.chatId, "cute-cat.png", EXE, { token: chat.token }),
      415,
      "file_type_mismatch",
    );
    expect(renamedExe.detail).toContain("EXE");
    await expectProblem(
      await upload(chat.chatId, "contract.pdf", PNG, { token: chat.token }),
      415,
      "file_type_mismatch",
    );
    await expectProblem(await upload(chat.chatId, "photo.png", TEXT, { token: chat.token }), 415, "file_type_mismatch");
    // The same family is fine: a JPEG may be .jpeg, a PNG .PNG.
    await expectJson(await upload(chat.chatId, "PHOTO.PNG", PNG, { token: chat.token }), 201);
    expect(await storedKeys(account.id, chat.chatId)).toHaveLength(1);
  });

  it("refuses plain text that stops being text after the sampled start", async () => {
    const { chat } = await chatWithAnn();
    const bytes = new Uint8Array(9000).fill(0x61);
    bytes[7000] = 0;
    await expectProblem(
      await upload(chat.chatId, "notes.txt", bytes, { token: chat.token }),
      415,
      "file_type_not_allowed",
    );
    const broken = new Uint8Array(9000).fill(0x61);
    broken[8000] = 0xc3; // a lone UTF-8 lead byte
    await expectProblem(
      await upload(chat.chatId, "notes.txt", broken, { token: chat.token }),
      415,
      "file_type_not_allowed",
    );
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
  });

  it("needs a Content-Length and a non-empty file", async () => {
    const { chat } = await chatWithAnn();
    const { body } = streamOf([TEXT]);
    await expectProblem(await upload(chat.chatId, "a.txt", TEXT, { token: chat.token, body }), 411, "length_required");
    await expectProblem(await upload(chat.chatId, "a.txt", new Uint8Array(), { token: chat.token }), 422, "file_empty");
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
  });

  it("drops the stored bytes when the chat ends while the file is on its way", async () => {
    const { chat, visitor } = await chatWithAnn();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reachedSecond!: () => void;
    const atSecond = new Promise<void>((resolve) => (reachedSecond = resolve));
    // The runtime reads a chunk or two ahead of the Worker, so the pause comes well after the start.
    const chunks = Array.from({ length: 20 }, () => new Uint8Array(16 * 1024).fill(0x61));
    const { body } = streamOf(chunks, "close", async (index) => {
      if (index === 10) (reachedSecond(), await released);
    });
    const pending = upload(chat.chatId, "slow.txt", TEXT, {
      token: chat.token,
      body,
      headers: { "Content-Length": String(20 * 16 * 1024) },
    });
    await atSecond; // the upload was admitted and is streaming into R2
    visitor.send({ type: "close" });
    await visitor.next("msg");
    release();
    await expectProblem(await pending, 409, "chat_closed");
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
    expect((await history(chat.chatId, ann)).filter((m) => m.kind === "file")).toEqual([]);
  });

  it("refuses a file in a chat that has ended", async () => {
    const { chat, visitor } = await chatWithAnn();
    visitor.send({ type: "close" });
    await visitor.next("msg");
    await expectProblem(await upload(chat.chatId, "late.png", PNG, { token: chat.token }), 409, "chat_closed");
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
  });
});

describe("who may send and fetch", () => {
  it("takes files only from the chat's visitor and the operators in it", async () => {
    const { chat } = await chatWithAnn();
    const another: VisitorSessionResponse = await startChat(account.id);
    // Bob is an operator of the account but not in this chat.
    await expectProblem(await upload(chat.chatId, "a.png", PNG, { token: bob }), 403, "forbidden");
    await expectProblem(await upload(chat.chatId, "a.png", PNG, { token: another.token }), 403, "forbidden");
    await expectProblem(await upload(chat.chatId, "a.png", PNG, { token: otherOwner }), 403, "forbidden");
    await expectProblem(await upload(chat.chatId, "a.png", PNG, { token: account.apiKey }), 403, "forbidden");
    await expectProblem(await upload(chat.chatId, "a.png", PNG), 401, "token_missing");
    await expectProblem(await upload("c_nonexistent", "a.png", PNG, { token: ann }), 404, "not_found");
    expect(await storedKeys(account.id, chat.chatId)).toEqual([]);
  });

  it("takes a visitor's file only from the account's allowed sites, like the visitor's socket", async () => {
    const guarded = await seedAccount("fileorigins");
    await expectJson(
      await admin("/settings", guarded.apiKey, { method: "PATCH", json: { allowedOrigins: ["https://shop.example"] } }),
      200,
    );
    const chat = await startChat(guarded.id);
    await expectProblem(
      await upload(chat.chatId, "a.png", PNG, { token: chat.token, headers: { Origin: "https://evil.example" } }),
      403,
      "forbidden",
    );
    expect(await storedKeys(guarded.id, chat.chatId)).toEqual([]);
    await expectJson(
      await upload(chat.chatId, "a.png", PNG, { token: chat.token, headers: { Origin: "https://shop.example" } }),
      201,
    );
  });

  it("hands links to whoever may read the chat, and only for its own files", async () => {
    const { chat } = await chatWithAnn();
    const mine = await uploaded(chat.chatId, "photo.png", PNG, chat.token);
    const elsewhere = await chatWithAnn();
    const theirs = await uploaded(elsewhere.chat.chatId, "offer.pdf", PDF, elsewhere.chat.token);

    for (const token of [chat.token, ann, bob, account.apiKey]) await linkTo(chat.chatId, mine.file!.id, token);
    await expectProblem(
      await call(`/api/chats/${chat.chatId}/files/${mine.file!.id}/link`, { token: elsewhere.chat.token }),
      403,
      "forbidden",
    );
    await expectProblem(
      await call(`/api/chats/${chat.chatId}/files/${mine.file!.id}/link`, { token: otherOwner }),
      403,
      "forbidden",
    );
    // Another chat's file id through this chat: this chat has no such file.
    await expectProblem(
      await call(`/api/chats/${chat.chatId}/files/${theirs.file!.id}/link`, { token: chat.token }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(`/api/chats/${chat.chatId}/files/..%2F..%2Fx/link`, { token: chat.token }),
      404,
      "not_found",
    );
  });
});

describe("signed links and downloads", () => {
  it("serves the file through its link with safe headers", async () => {
    const { chat } = await chatWithAnn();
    const png = await uploaded(chat.chatId, "photo.png", PNG, chat.token);
    const pdf = await uploaded(chat.chatId, "Angebot für Vera.pdf", PDF, ann);
    const text = await uploaded(chat.chatId, 'say "hi".txt', TEXT, ann);

    const link = await linkTo(chat.chatId, png.file!.id, chat.token);
    expect(link.expiresAt).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(link.expiresAt).toBeLessThanOrEqual(Date.now() + 60 * 60_000);
    const image = await call(new URL(link.url).pathname + new URL(link.url).search);
    expect(image.status).toBe(200);
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(PNG);
    expect(Object.fromEntries(image.headers)).toMatchObject({
      "content-type": "image/png",
      "content-length": String(PNG.byteLength),
      "content-disposition": `inline; filename="photo.png"; filename*=UTF-8''photo.png`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "default-src 'none'; sandbox",
    });
    expect(image.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);

    const pdfLink = await linkTo(chat.chatId, pdf.file!.id, chat.token);
    const document = await call(new URL(pdfLink.url).pathname + new URL(pdfLink.url).search);
    expect(new Uint8Array(await document.arrayBuffer())).toEqual(PDF);
    expect(document.headers.get("content-type")).toBe("application/pdf");
    expect(document.headers.get("content-disposition")).toBe(
      `attachment; filename="Angebot f_r Vera.pdf"; filename*=UTF-8''Angebot%20f%C3%BCr%20Vera.pdf`,
    );

    const textLink = await linkTo(chat.chatId, text.file!.id, chat.token);
    const plain = await call(new URL(textLink.url).pathname + new URL(textLink.url).search);
    expect(await plain.text()).toBe(new TextDecoder().decode(TEXT));
    expect(plain.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(plain.headers.get("content-disposition")).toBe(
      `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`,
    );
  });

  it("refuses expired, altered and forged links", async () => {
    const { chat } = await chatWithAnn();
    const png = await uploaded(chat.chatId, "photo.png", PNG, chat.token);
    const elsewhere = await chatWithAnn();
    const theirs = await uploaded(elsewhere.chat.chatId, "other.png", PNG, elsewhere.chat.token);
    const ref = { accountId: account.id, chatId: chat.chatId, fileId: png.file!.id };
    const fetchUrl = (url: string) => call(new URL(url).pathname + new URL(url).search);

    const expired = await signedFileUrl(env, "https://parley.test", ref, -1000);
    await expectProblem(await fetchUrl(expired.url), 410, "link_expired");

    const good = new URL((await signedFileUrl(env, "https://parley.test", ref, 60_000)).url);
    expect((await fetchUrl(good.toString())).status).toBe(200);
    // The same signature on another chat's path, another file's, another account's: refused.
    for (const [from, to] of [
      [chat.chatId, elsewhere.chat.chatId],
      [png.file!.id, theirs.file!.id],
      [account.id, other.id],
    ] as const) {
      const altered = new URL(good);
      altered.pathname = good.pathname.replace(from, to);
      await expectProblem(await fetchUrl(altered.toString()), 403, "link_invalid");
    }
    const tampered = new URL(good);
    const sig = good.searchParams.get("sig")!;
    tampered.searchParams.set("sig", sig.slice(0, -2) + (sig.endsWith("AA") ? "BB" : "AA"));
    await expectProblem(await fetchUrl(tampered.toString()), 403, "link_invalid");
    const unsigned = new URL(good);
    unsigned.search = "";
    await expectProblem(await fetchUrl(unsigned.toString()), 403, "link_invalid");
    // A session token is no link: it is signed with the same secret, for another purpose.
    const withSession = new URL(good);
    withSession.searchParams.set("sig", chat.token);
    await expectProblem(await fetchUrl(withSession.toString()), 403, "link_invalid");
  });

  it("answers a byte range (206) for seeking and resuming, and 416 past the end", async () => {
    const { chat } = await chatWithAnn();
    const text = await uploaded(chat.chatId, "notes.txt", TEXT, chat.token);
    const link = new URL((await linkTo(chat.chatId, text.file!.id, chat.token)).url);
    const get = (headers: Record<string, string>) => call(link.pathname + link.search, { headers });
    const size = TEXT.length;
    const body = new TextDecoder().decode(TEXT);

    const whole = await get({});
    expect(whole.status).toBe(200);
    expect(whole.headers.get("accept-ranges")).toBe("bytes");
    expect(await whole.text()).toBe(body);
    for (const [range, from, to] of [
      ["bytes=0-3", 0, 3],
      ["bytes=2-", 2, size - 1],
      ["bytes=-3", size - 3, size - 1],
      ["bytes=1-1000000", 1, size - 1],
    ] as const) {
      const part = await get({ Range: range });
      expect(part.status, range).toBe(206);
      expect(part.headers.get("content-range"), range).toBe(`bytes ${from}-${to}/${size}`);
      expect(part.headers.get("content-length"), range).toBe(String(to - from + 1));
      expect(new Uint8Array(await part.arrayBuffer()), range).toEqual(TEXT.slice(from, to + 1));
    }
    const past = await get({ Range: `bytes=${size}-` });
    expect(past.headers.get("content-range")).toBe(`bytes */${size}`);
    await expectProblem(past, 416, "range_not_satisfiable");
    // Several ranges, or another unit: the whole file, as the RFC allows.
    for (const range of ["bytes=0-1,3-4", "lines=1-2", "bytes=5-2"]) {
      const full = await get({ Range: range });
      expect(full.status, range).toBe(200);
      expect(await full.text(), range).toBe(body);
    }
  });

  it("answers 304 to a browser whose copy is current, and the file when it is not", async () => {
    const { chat } = await chatWithAnn();
    const png = await uploaded(chat.chatId, "photo.png", PNG, chat.token);
    const link = new URL((await linkTo(chat.chatId, png.file!.id, chat.token)).url);
    const get = (headers: Record<string, string>) => call(link.pathname + link.search, { headers });
    const first = await get({});
    const etag = first.headers.get("etag")!;
    const modified = first.headers.get("last-modified")!;
    expect(etag).toMatch(/^"[^"]+"$/);
    await first.arrayBuffer();

    const current = await get({ "If-None-Match": etag });
    expect(current.status).toBe(304);
    expect(current.headers.get("etag")).toBe(etag);
    expect(await current.text()).toBe("");
    expect((await get({ "If-Modified-Since": modified })).status).toBe(304);
    const stale = await get({ "If-None-Match": '"something-else"' });
    expect(stale.status).toBe(200);
    expect(new Uint8Array(await stale.arrayBuffer())).toEqual(PNG);
    // A failed If-Match is no reason for a 304: the file comes whole.
    const ifMatch = await get({ "If-Match": '"something-else"' });
    expect(ifMatch.status).toBe(200);
    await ifMatch.arrayBuffer();
  });

  it("mints long-lived links for transcripts", async () => {
    const { chat } = await chatWithAnn();
    const png = await uploaded(chat.chatId, "photo.png", PNG, chat.token);
    const week = 7 * 24 * 60 * 60_000;
    const link = await signedFileUrl(
      env,
      "https://chat.example",
      { accountId: account.id, chatId: chat.chatId, fileId: png.file!.id },
      week,
    );
    expect(link.url).toMatch(
      new RegExp(`^https://chat\\.example/api/files/${account.id}/${chat.chatId}/${png.file!.id}\\?sig=`),
    );
    expect(link.expiresAt).toBeGreaterThan(Date.now() + week - 2000);
    const res = await call(new URL(link.url).pathname + new URL(link.url).search);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("private, max-age=86400");
    await res.arrayBuffer();
  });
});

describe("rooms from before files", () => {
  it("gains the file column on its next wake-up and keeps its messages", async () => {
    const { chat, visitor } = await chatWithAnn();
    visitor.send({ type: "message", cid: "old", text: "written before files existed" });
    await visitor.next("ack");
    visitor.close();
    const stub = env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(chat.chatId));
    // Make it a room of the old shape: no file column.
    await runInDurableObject(stub, (_room, state) => {
      state.storage.sql.exec("ALTER TABLE messages DROP COLUMN file");
    });
    await evictDurableObject(stub);
    const png = await uploaded(chat.chatId, "photo.png", PNG, chat.token);
    expect((await history(chat.chatId, ann)).map((m) => [m.kind, m.text, m.file?.id])).toEqual([
      ["system", "Ann joined the chat", undefined],
      ["text", "written before files existed", undefined],
      ["file", "photo.png", png.file!.id],
    ]);
  });
});
