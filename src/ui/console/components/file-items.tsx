// Files in the history: a sent file (an image as a preview, anything else as a card with name,
// size and a download link) and a file on its way (progress, cancel, or why it was refused). The
// name is someone's input and is only ever rendered as text.
import { createResource, Show } from "solid-js";
import { formatFileSize, PREVIEW_IMAGE_TYPES } from "../../../shared/files.ts";
import type { FileAttachment } from "../../../shared/protocol.ts";
import { fileLink, linkStillGood } from "../file-links.ts";
import type { UploadItem } from "../file-uploads.ts";

export function FileAttachmentView(props: { chatId: string; file: FileAttachment }) {
  const file = props.file;
  const [link, { refetch }] = createResource(() => fileLink(props.chatId, file.id));
  const url = () => (link.error ? undefined : link()?.url);
  const isImage = PREVIEW_IMAGE_TYPES.includes(file.type);
  let retriedPreview = false;

  /** The link in the page may have expired since it was drawn: fetch a fresh one first. */
  async function download(event: MouseEvent) {
    if (linkStillGood(link.error ? undefined : link())) return;
    event.preventDefault();
    const fresh = await fileLink(props.chatId, file.id);
    const anchor = document.createElement("a");
    anchor.href = fresh.url;
    anchor.download = file.name;
    anchor.click();
  }

  return (
    <div class="file-card" data-testid="file-card" data-file-id={file.id} data-file-type={file.type}>
      <Show when={isImage && url()}>
        {(src) => (
          <a class="file-preview" href={src()} target="_blank" rel="noopener noreferrer">
            <img
              data-testid="file-preview"
              src={src()}
              alt={file.name}
              // An expired link (a tab left open for hours): one fresh try.
              onError={() => !retriedPreview && ((retriedPreview = true), void refetch())}
            />
          </a>
        )}
      </Show>
      <div class="file-info">
        <span class="file-icon" aria-hidden="true">
          {isImage ? "🖼" : "📄"}
        </span>
        <span class="file-name" data-testid="file-name">
          {file.name}
        </span>
        <span class="file-size">{formatFileSize(file.size)}</span>
        <a
          data-testid="file-download"
          class="file-download"
          href={url()}
          download={file.name}
          onClick={(e) => void download(e)}
          aria-label={`Download ${file.name}`}
        >
          Download
        </a>
      </div>
      <Show when={link.error}>
        <span class="file-unavailable">This file cannot be fetched right now.</span>
      </Show>
    </div>
  );
}

export function UploadView(props: { upload: UploadItem; authorName: string; onCancel(): void; onDismiss(): void }) {
  const percent = () =>
    props.upload.size ? Math.min(100, Math.round((props.upload.sent / props.upload.size) * 100)) : 0;
  return (
    <article
      class="message mine pending upload"
      classList={{ failed: !!props.upload.failure }}
      data-testid="upload"
      data-state={props.upload.failure ? "failed" : "sending"}
    >
      <header class="meta">
        <span class="author">{props.authorName}</span>
        <span class="delivery">{props.upload.failure ? "Not sent" : `Sending… ${percent()}%`}</span>
      </header>
      <div class="file-info">
        <span class="file-name">{props.upload.name}</span>
        <span class="file-size">{formatFileSize(props.upload.size)}</span>
      </div>
      <Show
        when={props.upload.failure}
        fallback={
          <div class="upload-progress">
            <progress
              data-testid="upload-progress"
              max={100}
              value={percent()}
              aria-label={`Sending ${props.upload.name}`}
            />
            <button type="button" data-testid="upload-cancel" onClick={() => props.onCancel()}>
              Cancel
            </button>
          </div>
        }
      >
        {(failure) => (
          <div class="upload-progress">
            <p class="upload-error" data-testid="upload-error" role="alert">
              {failure()}
            </p>
            <button type="button" data-testid="upload-dismiss" onClick={() => props.onDismiss()}>
              Dismiss
            </button>
          </div>
        )}
      </Show>
    </article>
  );
}
