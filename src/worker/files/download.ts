// The answer to a signed download link. Files come from strangers, so the browser is told to
// treat them as inert: a download unless it is an image we preview, no MIME sniffing, and a CSP
// sandbox in case one is opened anyway (an HTML file saved as text cannot run script on our origin).
import { PREVIEW_IMAGE_TYPES } from "../../shared/files.ts";
import { FALLBACK_FILE_NAME } from "./names.ts";
import { PLAIN_TEXT } from "./content-type.ts";

/** Longest a browser may keep a downloaded file in its own cache (never in shared caches). */
const MAX_CACHE_SECONDS = 24 * 60 * 60;

/** RFC 6266 with the RFC 8187 `filename*` for names beyond ASCII; the plain `filename` is an ASCII
 * stand-in for old clients, without the characters that would end or escape the quoted string. */
function contentDisposition(kind: "inline" | "attachment", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** The file, or part of it (206, when R2 was asked for a range), or 304 when the browser's copy is
 * current (R2 answered an If-None-Match / If-Modified-Since without a body). */
export function fileResponse(object: R2Object | R2ObjectBody, linkExpiresAt: number): Response {
  const type = object.httpMetadata?.contentType ?? "application/octet-stream";
  const name = object.customMetadata?.name ?? FALLBACK_FILE_NAME;
  const inline = PREVIEW_IMAGE_TYPES.includes(type);
  const maxAge = Math.max(0, Math.min(MAX_CACHE_SECONDS, Math.floor((linkExpiresAt - Date.now()) / 1000)));
  const headers = new Headers({
    "Content-Type": type === PLAIN_TEXT ? `${PLAIN_TEXT}; charset=utf-8` : type,
    "Content-Length": String(object.size),
    "Content-Disposition": contentDisposition(inline ? "inline" : "attachment", name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    // The link is the secret: only the browser that holds it may keep a copy, no longer than it works.
    "Cache-Control": `private, max-age=${maxAge}`,
    "Referrer-Policy": "no-referrer",
    // Previews are shown in the widget on customers' sites, which may demand this of images.
    "Cross-Origin-Resource-Policy": "cross-origin",
    ETag: object.httpEtag,
    "Last-Modified": object.uploaded.toUTCString(),
    "Accept-Ranges": "bytes",
  });
  if (!("body" in object)) {
    headers.delete("Content-Length");
    return new Response(null, { status: 304, headers });
  }
  const range = object.range as { offset: number; length: number } | undefined;
  if (range && (range.offset > 0 || range.length < object.size)) {
    headers.set("Content-Length", String(range.length));
    headers.set("Content-Range", `bytes ${range.offset}-${range.offset + range.length - 1}/${object.size}`);
    return new Response(object.body, { status: 206, headers });
  }
  return new Response(object.body, { headers });
}
