// The inbound reply parser (src/worker/email/parse-email.ts), run inside workerd: the text of a
// reply, its From address and Message-ID, across the encodings, charsets and structures mail
// programs send. Where postal-mime (which it replaced) reads the same message, both must agree.
import PostalMime from "postal-mime";
import { describe, expect, it } from "vitest";
import { parseEmail } from "../src/worker/email/parse-email.ts";

const crlf = (lines: string[]) => lines.join("\r\n");
const utf8 = (s: string) => new TextEncoder().encode(s);
/** A message whose body is given as bytes (a latin-1 body, say). */
function withBody(head: string[], body: Uint8Array): Uint8Array {
  const headBytes = utf8(crlf([...head, "", ""]));
  const all = new Uint8Array(headBytes.length + body.length);
  all.set(headBytes);
  all.set(body, headBytes.length);
  return all;
}

const HEAD = [
  "From: Vera Visitor <vera@example.org>",
  "To: reply+01abc.sig@parley.example",
  "Subject: Re: Your chat",
  "Message-ID: <m1@mail.example.org>",
  "MIME-Version: 1.0",
];

async function agreesWithPostalMime(raw: Uint8Array): Promise<void> {
  const ours = parseEmail(raw);
  const theirs = await PostalMime.parse(raw);
  expect(ours.text.replace(/\r\n/g, "\n").trim()).toBe((theirs.text ?? "").replace(/\r\n/g, "\n").trim());
  expect(ours.from).toBe(theirs.from?.address ?? null);
  expect(ours.messageId).toBe(theirs.messageId ?? null);
}

describe("parseEmail", () => {
  it("reads a plain text/plain reply, its From address and Message-ID", async () => {
    const raw = utf8(
      crlf([
        ...HEAD,
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Hi there,\r\nis it blue? ✓",
      ]),
    );
    expect(parseEmail(raw)).toEqual({
      text: "Hi there,\r\nis it blue? ✓",
      from: "vera@example.org",
      messageId: "<m1@mail.example.org>",
    });
    await agreesWithPostalMime(raw);
  });

  it("decodes quoted-printable with soft line breaks and encoded bytes", async () => {
    const raw = utf8(
      crlf([
        ...HEAD,
        "Content-Type: text/plain; charset=UTF-8",
        "Content-Transfer-Encoding: Quoted-Printable",
        "",
        "A long line that was wrapped by the enc=",
        "oder, and Gr=C3=BC=C3=9Fe =3D regards.  ",
        "Second line=20",
      ]),
    );
    expect(parseEmail(raw).text).toBe(
      "A long line that was wrapped by the encoder, and Grüße = regards.\r\nSecond line ",
    );
    // Trailing spaces on a line are the transport's (RFC 2045 6.7), so they go; postal-mime kept them.
  });

  it("decodes base64 UTF-8, wrapped over lines", async () => {
    const b64 = btoa(String.fromCharCode(...utf8("Привет! Ça va? 日本語 🎉"))).replace(/.{20}/g, "$&\r\n");
    const raw = utf8(
      crlf([...HEAD, 'Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: base64", "", b64]),
    );
    expect(parseEmail(raw).text).toBe("Привет! Ça va? 日本語 🎉");
    await agreesWithPostalMime(raw);
  });

  it("decodes latin-1 and windows-1252 bodies", async () => {
    const latin1 = withBody(
      [...HEAD, "Content-Type: text/plain; charset=ISO-8859-1", "Content-Transfer-Encoding: 8bit"],
      new Uint8Array([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x20, 0xe9, 0x74, 0xe9]),
    );
    expect(parseEmail(latin1).text).toBe("Grüße été");
    await agreesWithPostalMime(latin1);
    const cp1252 = withBody(
      [...HEAD, "Content-Type: text/plain; charset=windows-1252", "Content-Transfer-Encoding: 8bit"],
      new Uint8Array([0x93, 0x48, 0x69, 0x94, 0x20, 0x80, 0x35]),
    );
    expect(parseEmail(cp1252).text).toBe("“Hi” €5");
  });

  it("reads the charsets workerd's TextDecoder knows, and an unknown label as UTF-8", () => {
    const text = (charset: string, bytes: number[]) =>
      parseEmail(withBody([...HEAD, `Content-Type: text/plain; charset=${charset}`], new Uint8Array(bytes))).text;
    expect(text("iso-8859-2", [0xb1, 0xe6])).toBe("ąć");
    expect(text("koi8-r", [0xf0, 0xd2, 0xc9])).toBe("При");
    expect(text("shift_jis", [0x93, 0xfa, 0x96, 0x7b])).toBe("日本");
    expect(text("x-no-such-charset", [...utf8("héllo")])).toBe("héllo");
    expect(text('""', [...utf8("héllo")])).toBe("héllo");
  });

  it("takes the text/plain of a multipart/alternative nested in mixed, skipping the attachment", async () => {
    const raw = utf8(
      crlf([
        ...HEAD,
        'Content-Type: multipart/mixed; boundary="outer=_1"',
        "",
        "This is a multi-part message in MIME format.",
        "--outer=_1",
        "Content-Type: multipart/alternative; boundary=inner",
        "",
        "--inner",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "Here is the photo=E2=80=94blue, please.",
        "--inner",
        "Content-Type: text/html; charset=utf-8",
        "",
        "<p>Here is the photo&mdash;blue, <b>please</b>.</p>",
        "--inner--",
        "--outer=_1",
        "Content-Type: text/plain; name=notes.txt",
        "Content-Disposition: attachment; filename=notes.txt",
        "",
        "not the reply",
        "--outer=_1",
        "Content-Type: message/rfc822",
        "",
        "From: someone@else.example",
        "Content-Type: text/plain",
        "",
        "a forwarded message is not the reply either",
        "--outer=_1",
        "Content-Type: image/png",
        "Content-Transfer-Encoding: base64",
        "",
        "iVBORw0KGgo=",
        "--outer=_1--",
        "epilogue",
      ]),
    );
    expect(parseEmail(raw).text).toBe("Here is the photo—blue, please.");
  });

  it("turns an HTML-only reply into text: entities, <br>, blocks; no head, style or script", async () => {
    const raw = utf8(
      crlf([
        ...HEAD,
        "Content-Type: text/html; charset=utf-8",
        "",
        "<html><head><title>Re</title><style>p { color: red }</style></head><body>",
        "<div>Tom &amp; Jerry &lt;3 &quot;blue&quot; &#39;s &apos;x&apos;&nbsp;&copy; &#8364;5 &#x1F389;<br>",
        "second line<br/>third</div><script>alert(1)</script><p>Para&hellip;</p><!-- hidden -->",
        "<blockquote><p>On Thu wrote:</p></blockquote></body></html>",
      ]),
    );
    expect(parseEmail(raw).text).toBe(
      "Tom & Jerry <3 \"blue\" 's 'x' © €5 🎉\nsecond line\nthird\n\nPara…\n\nOn Thu wrote:",
    );
  });

  it("unfolds folded headers, whatever the case of their names", async () => {
    const raw = withBody(
      [
        "FROM: Vera",
        "  Visitor",
        "\t<vera@example.org>",
        "message-id:",
        " <folded@mail.example.org>",
        "CONTENT-TYPE: text/plain;",
        '\tcharset="iso-8859-1";',
        "  format=fixed",
      ],
      new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    );
    expect(parseEmail(raw)).toEqual({ text: "café", from: "vera@example.org", messageId: "<folded@mail.example.org>" });
    await agreesWithPostalMime(raw);
  });

  it("finds the address behind a display name, quoted or encoded, with brackets or without", async () => {
    const from = (header: string) => parseEmail(utf8(crlf([`From: ${header}`, "", "x"]))).from;
    expect(from("Vera Visitor <vera@example.org>")).toBe("vera@example.org");
    expect(from('"Visitor, Vera <boss@evil.example>" <vera@example.org>')).toBe("vera@example.org");
    expect(from("=?utf-8?Q?V=C3=A9ra_=3Cx@y.example=3E?= <vera@example.org>")).toBe("vera@example.org");
    expect(from("vera@example.org (Vera <v@w.example>)")).toBe("vera@example.org");
    expect(from("  vera@example.org  ")).toBe("vera@example.org");
    expect(from("Vera <vera@example.org>, Other <other@example.org>")).toBe("vera@example.org");
    await agreesWithPostalMime(utf8(crlf(['From: "Visitor, Vera" <vera@example.org>', "", "x"])));
  });

  it("has no Message-ID or From when the message has none", async () => {
    const raw = utf8(crlf(["Subject: hi", "", "just text"]));
    expect(parseEmail(raw)).toEqual({ text: "just text", from: null, messageId: null });
    await agreesWithPostalMime(raw);
  });

  it("reads format=flowed text as its paragraphs, keeping the signature separator", async () => {
    const raw = utf8(
      crlf([
        ...HEAD,
        "Content-Type: text/plain; charset=utf-8; format=flowed",
        "",
        "This paragraph was wrapped ",
        "by the mail program.",
        " From a stuffed line.",
        "-- ",
        "Vera",
      ]),
    );
    expect(parseEmail(raw).text).toBe(
      "This paragraph was wrapped by the mail program.\nFrom a stuffed line.\n-- \nVera",
    );
    await agreesWithPostalMime(raw);
  });

  it("copes with LF-only line ends, a missing closing boundary and bad base64", () => {
    const raw = utf8(
      [
        "From: a@b.example",
        "Content-Type: multipart/alternative; boundary=b",
        "",
        "--b",
        "Content-Type: text/html",
        "",
        "<p>only html</p>",
        "--b",
        "Content-Type: text/plain",
        "Content-Transfer-Encoding: base64",
        "",
        "aGVsbG8gd29ybGQ!*",
      ].join("\n"),
    );
    expect(parseEmail(raw).text).toBe("hello world");
  });

  // workerd's clock stands still while code runs, so the guard is the test's timeout: any of these
  // would take hours with a regular expression that backtracks quadratically.
  it("takes linear time over hostile input: unclosed tags, long runs of spaces, nested comments", () => {
    const n = 1_000_000;
    const html = parseEmail(utf8(crlf(["Content-Type: text/html", "", "hi " + "<br".repeat(n / 3)]))).text;
    expect(html.startsWith("hi <br<br")).toBe(true);
    const qp = parseEmail(
      utf8(crlf(["Content-Transfer-Encoding: quoted-printable", "", "a" + " ".repeat(n) + "b", "c   "])),
    ).text;
    expect(qp).toBe("a" + " ".repeat(n) + "b\r\nc");
    const from = parseEmail(utf8(crlf([`From: ${"(".repeat(n / 2)}x${")".repeat(n / 2)} v@example.org`, "", "x"])));
    expect(from.from).toBe("v@example.org");
    const boundary = parseEmail(
      utf8(crlf(["Content-Type: multipart/mixed; boundary=b", "", "--b" + " ".repeat(n) + "x", "--b--"])),
    );
    expect(boundary.text).toBe("");
  });
});
