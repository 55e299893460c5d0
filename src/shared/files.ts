// Small facts about files that the server and both UIs share: which images are previewed, and
// how a size reads. Kept out of protocol.ts so that the widget's file part, which needs them,
// does not share a module (and so a third script file) with the widget's chat part.

/** Image types shown as a preview (and served inline); every other file is a download. */
export const PREVIEW_IMAGE_TYPES: readonly string[] = [
  "image/png",
  "image/jpeg",
  "image/gif",
  "image/webp",
  "image/avif",
];

/** 532 bytes, 14.2 KB, 3 MB (binary units, one decimal where it says something). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KB"] : [bytes / (1024 * 1024), "MB"];
  return `${Math.round(value * 10) / 10} ${unit}`;
}

/** 350.5 MB, 1.2 GB: amounts of storage, as the quota and its use are told (binary units). */
export function formatStorageSize(bytes: number): string {
  const [value, unit] = bytes < 1024 ** 3 ? [bytes / 1024 ** 2, "MB"] : [bytes / 1024 ** 3, "GB"];
  return `${Math.round(value * 10) / 10} ${unit}`;
}
