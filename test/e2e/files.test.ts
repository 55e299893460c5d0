// Files both ways in real browsers against a real `wrangler dev`: an operator in the console and a
// visitor in the widget on the demo site pick files with the file chooser (setInputFiles), and
// each sees the other's file as a preview or a card with a working download link. Refusals are
// shown in words; a cancelled upload leaves no message.
import { readFileSync } from "node:fs";
import { crc32, deflateSync } from "node:zlib";
import PostalMime from "postal-mime";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { HistoryPage } from "../../src/shared/protocol.ts";
import { ALICE, accept, byTestId, chatTab, eventually, goOnline, messages, screenshot, signIn } from "./browser.ts";
import { browserSuite } from "./suite.ts";

const suite = browserSuite();
const sentEmails = () => suite.server.sentEmails();

/** A real PNG of a colour gradient, so the previews have something to show. */
function gradientPng(width: number, height: number): Buffer {
  const stride = width * 3 + 1; // a filter byte (0, none), then RGB per pixel
  const pixels = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++)
      pixels.set(
        [40 + Math.round((x / width) * 180), 90 + Math.round((y / height) * 120), 200],
        y * stride + 1 + x * 3,
      );
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const framing = Buffer.alloc(8);
    framing.writeUInt32BE(data.length, 0);
    framing.writeUInt32BE(crc32(body), 4);
    return Buffer.concat([framing.subarray(0, 4), body, framing.subarray(4)]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2], 8); // 8 bits per channel, truecolour
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

const PNG = gradientPng(240, 150);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const EXE = Buffer.concat([Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), Buffer.alloc(300, 0x41)]);

const widget = (scope: Page | Locator, id: string) => scope.locator(`[data-testid="${id}"]`);
const fileCards = (page: Page) => byTestId(byTestId(page, "history-area"), "file-card");

/** A visitor on the demo site who opened the chat and wrote, and Alice, who took the chat. */
async function chatOnDemoSite() {
  // Alice is online first, so the widget opens on the chat (nobody online, the offline form
  // would open and take the focus instead).
  const { page: operator } = await suite.open();
  await signIn(operator, ALICE);
  await goOnline(operator);
  const { page: visitor } = await suite.open(`${suite.server.origin}/demo/`);
  await widget(visitor, "parley-launcher").click();
  await widget(visitor, "parley-input").fill("Hello, can I send you a photo?");
  await widget(visitor, "parley-send").click();
  await widget(visitor, "parley-message").and(visitor.locator("[data-seq]")).first().waitFor();
  const chatId = await visitor.evaluate(
    () =>
      (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
        ?.chatId,
  );
  expect(chatId).toMatch(/^c_/);
  await accept(operator, chatId!);
  await chatTab(operator, chatId!).click();
  await messages(operator).filter({ hasText: "send you a photo" }).waitFor();
  return { visitor, operator, chatId: chatId! };
}

/** Whether an <img> has loaded real pixels. */
const loadedImage = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluateAll((imgs) =>
      imgs.map(
        (img) =>
          (img as unknown as { complete: boolean }).complete &&
          (img as unknown as { naturalWidth: number }).naturalWidth > 0,
      ),
    );

async function fileMessagesInLog(chatId: string, token: string): Promise<string[]> {
  const res = await fetch(`${suite.server.origin}/api/chats/${chatId}/messages`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return ((await res.json()) as HistoryPage).messages.filter((m) => m.kind === "file").map((m) => m.text);
}

/** The signed-in operator's token, as the console keeps it (src/ui/console/storage.ts). */
async function operatorToken(page: Page): Promise<string> {
  return page.evaluate(() => (JSON.parse(localStorage.getItem("parley.session") ?? "{}") as { token: string }).token);
}

/** The link a download anchor points at, once the page has fetched it. */
async function downloadHref(anchor: Locator): Promise<string> {
  await eventually(() => anchor.getAttribute("href")).toMatch(/\/api\/files\//);
  return new URL((await anchor.getAttribute("href"))!, suite.server.origin).toString();
}

describe("files between the console and the widget", () => {
  it("delivers the operator's image and PDF to the visitor on the demo site, with previews and working downloads", async () => {
    const { visitor, operator, chatId } = await chatOnDemoSite();

    await byTestId(operator, "file-input").setInputFiles([
      { name: "shop-front.png", mimeType: "image/png", buffer: PNG },
      { name: "Preisliste <2026>.pdf", mimeType: "application/pdf", buffer: PDF },
    ]);
    // The console shows both in its history: the image as a preview, the PDF as a card.
    await eventually(() => fileCards(operator).count()).toBe(2);
    await eventually(() => loadedImage(operator, '[data-testid="history-area"] [data-testid="file-preview"]')).toEqual([
      true,
    ]);
    expect(
      await byTestId(operator, "file-preview").evaluate(
        (img) => (img as unknown as { naturalWidth: number }).naturalWidth,
      ),
    ).toBe(240);
    const pdfCard = fileCards(operator).filter({ hasText: "Preisliste" });
    expect(await byTestId(pdfCard, "file-name").textContent()).toBe("Preisliste <2026>.pdf");
    expect(await pdfCard.textContent()).toContain("77 bytes");
    expect(await pdfCard.locator("b, img, script").count()).toBe(0);

    // The visitor gets both, drawn the same way, and the download links give the files' bytes.
    const visitorCards = widget(visitor, "parley-file-card");
    await eventually(() => visitorCards.count()).toBe(2);
    await eventually(() => loadedImage(visitor, '[data-testid="parley-file-preview"]')).toEqual([true]);
    const pdfInWidget = visitorCards.filter({ hasText: "Preisliste" });
    expect(await pdfInWidget.textContent()).toContain("Preisliste <2026>.pdf");
    const download = await fetch(await downloadHref(widget(pdfInWidget, "parley-file-download")));
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toMatch(/^attachment;/);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);
    const fromConsole = await fetch(await downloadHref(byTestId(pdfCard, "file-download")));
    expect(Buffer.from(await fromConsole.arrayBuffer())).toEqual(PDF);
    // The operator's files are the operator's messages in the widget.
    expect(
      await widget(visitor, "parley-message")
        .filter({ has: visitor.locator('[data-testid="parley-file-card"]') })
        .evaluateAll((n) => n.map((m) => m.getAttribute("data-author"))),
    ).toEqual(["operator", "operator"]);
    await screenshot(operator, "files-01-console");
    await screenshot(visitor, "files-02-widget");

    // An emailed transcript links the files, and its links give the files' bytes too.
    const emailsBefore = sentEmails().length;
    const sent = await fetch(`${suite.server.origin}/api/chats/${chatId}/transcript`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await operatorToken(operator)}`, "Content-Type": "application/json" },
      body: JSON.stringify({ email: "files@example.org" }),
    });
    expect(sent.status).toBe(200);
    await eventually(() => sentEmails().length, "the transcript's .eml in wrangler's log").toBeGreaterThan(
      emailsBefore,
    );
    const email = await PostalMime.parse(readFileSync(sentEmails().at(-1)!, "utf8"));
    const links = [...(email.html ?? "").matchAll(/href="([^"]*\/api\/files\/[^"]*)"/g)].map((m) =>
      m[1]!.replaceAll("&amp;", "&"),
    );
    expect(links).toHaveLength(2);
    const linked = await Promise.all(links.map(async (href) => Buffer.from(await (await fetch(href)).arrayBuffer())));
    expect(linked.some((bytes) => bytes.equals(PDF))).toBe(true);
    expect(linked.some((bytes) => bytes.equals(PNG))).toBe(true);
  });

  it("delivers the visitor's file from the widget to the console", async () => {
    const { visitor, operator, chatId } = await chatOnDemoSite();
    await widget(visitor, "parley-file-input").setInputFiles({
      name: "order-1234.txt",
      mimeType: "text/plain",
      buffer: Buffer.from("Two chairs, one table.\nDanke schön!\n"),
    });
    // Stored: the widget shows it as a card of the visitor's, and the upload row is gone.
    await widget(visitor, "parley-file-card").filter({ hasText: "order-1234.txt" }).waitFor();
    await eventually(() => widget(visitor, "parley-upload").count()).toBe(0);

    const card = fileCards(operator).filter({ hasText: "order-1234.txt" });
    await card.waitFor();
    expect(await operator.locator('[data-testid="message"][data-kind="file"]').getAttribute("data-author")).toBe(
      "visitor",
    );
    const res = await fetch(await downloadHref(byTestId(card, "file-download")));
    expect(await res.text()).toBe("Two chairs, one table.\nDanke schön!\n");
    expect(await fileMessagesInLog(chatId, await operatorToken(operator))).toEqual(["order-1234.txt"]);
  });

  it("starts the chat with a file when the visitor sends one before writing anything", async () => {
    const { page: visitor } = await suite.open(`${suite.server.origin}/demo/`);
    await widget(visitor, "parley-launcher").click();
    await widget(visitor, "parley-file-input").setInputFiles({
      name: "broken-mug.png",
      mimeType: "image/png",
      buffer: PNG,
    });
    await widget(visitor, "parley-file-card").filter({ hasText: "broken-mug.png" }).waitFor();
    const chatId = await visitor.evaluate(
      () =>
        (JSON.parse(localStorage.getItem("parley.widget.acc_demo") ?? "{}") as { session?: { chatId: string } }).session
          ?.chatId,
    );
    const { page: operator } = await suite.open();
    await signIn(operator, ALICE);
    await goOnline(operator);
    await accept(operator, chatId!);
    await chatTab(operator, chatId!).click();
    await fileCards(operator).filter({ hasText: "broken-mug.png" }).waitFor();
    await eventually(() => loadedImage(operator, '[data-testid="history-area"] [data-testid="file-preview"]')).toEqual([
      true,
    ]);
  });

  it("says in words why a file was refused, on both sides, and stores nothing", async () => {
    const { visitor, operator, chatId } = await chatOnDemoSite();
    // An executable dressed up as a PDF.
    await byTestId(operator, "file-input").setInputFiles({
      name: "invoice.pdf",
      mimeType: "application/pdf",
      buffer: EXE,
    });
    const error = byTestId(operator, "upload-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/^Not sent: The file's content is a EXE file .*name ends in \.pdf/);
    await byTestId(operator, "upload-dismiss").click();
    await eventually(() => byTestId(operator, "upload").count()).toBe(0);

    await widget(visitor, "parley-file-input").setInputFiles({
      name: "setup.exe",
      mimeType: "application/octet-stream",
      buffer: EXE,
    });
    const visitorError = widget(visitor, "parley-upload-error");
    await visitorError.waitFor();
    expect(await visitorError.textContent()).toBe("Files of this type cannot be sent here.");

    // Over the account's size limit (made small for this test): refused before the upload is read.
    const setLimit = (bytes: number) =>
      fetch(`${suite.server.origin}/api/admin/v1/settings`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${suite.server.apiKey}`, "Content-Type": "application/json" },
        body: JSON.stringify({ fileSizeLimitBytes: bytes }),
      });
    expect((await setLimit(100 * 1024)).status).toBe(200);
    try {
      await byTestId(operator, "file-input").setInputFiles({
        name: "big.txt",
        mimeType: "text/plain",
        buffer: Buffer.alloc(3 * 1024 * 1024, 0x61),
      });
      await eventually(() => byTestId(operator, "upload-error").allTextContents()).toEqual([
        "Not sent: Files may be at most 100 KB; this one is 3 MB.",
      ]);
    } finally {
      expect((await setLimit(10 * 1024 * 1024)).status).toBe(200);
    }
    expect(await fileMessagesInLog(chatId, await operatorToken(operator))).toEqual([]);
    expect(await fileCards(operator).count()).toBe(0);
  });

  it("cancels an upload under way: the progress stops and nothing reaches the chat", async () => {
    const { visitor, operator, chatId } = await chatOnDemoSite();
    // A slow uplink, so there is time to watch the progress and cancel.
    const cdp = await operator.context().newCDPSession(operator);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    await byTestId(operator, "file-input").setInputFiles({
      name: "catalogue.txt",
      mimeType: "text/plain",
      buffer: Buffer.alloc(6 * 1024 * 1024, 0x62),
    });
    const progress = byTestId(operator, "upload-progress");
    await progress.waitFor();
    await eventually(async () => Number(await progress.getAttribute("value"))).toBeGreaterThan(0);
    expect(Number(await progress.getAttribute("value"))).toBeLessThan(100);
    await byTestId(operator, "upload-cancel").click();
    await eventually(() => byTestId(operator, "upload").count()).toBe(0);
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // Nothing in the log, nothing shown anywhere, and the chat goes on.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await fileMessagesInLog(chatId, await operatorToken(operator))).toEqual([]);
    expect(await fileCards(operator).count()).toBe(0);
    expect(await widget(visitor, "parley-file-card").count()).toBe(0);
    await byTestId(operator, "message-input").fill("No catalogue after all.");
    await byTestId(operator, "message-input").press("Enter");
    await widget(visitor, "parley-message").filter({ hasText: "No catalogue after all." }).waitFor();
  });
});
