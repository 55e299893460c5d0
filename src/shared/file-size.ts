// A file's size for people: the console, the widget and the server's error messages say it alike.

/** 532 bytes, 14.2 KB, 3 MB (binary units, one decimal where it says something). */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < 1024 * 1024 ? [bytes / 1024, "KB"] : [bytes / (1024 * 1024), "MB"];
  return `${Math.round(value * 10) / 10} ${unit}`;
}
