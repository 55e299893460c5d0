// A User-Agent header as a person reads it: "Chrome 131 on Windows". Only the browsers and systems
// most visitors use; anything else is named by what is known ("Firefox 128", "on Linux") or not at
// all (null). Order matters: Edge, Opera and Samsung Internet also say "Chrome" and "Safari";
// Chrome says "Safari"; every iPhone browser is Safari's engine but names itself (CriOS, FxiOS).

const BROWSERS: [name: string, pattern: RegExp][] = [
  ["Edge", /Edg(?:e|A|iOS)?\/(\d+)/],
  ["Opera", /(?:OPR|Opera)\/(\d+)/],
  ["Samsung Internet", /SamsungBrowser\/(\d+)/],
  ["Firefox", /(?:Firefox|FxiOS)\/(\d+)/],
  ["Chrome", /(?:Chrome|CriOS)\/(\d+)/],
  ["Safari", /Version\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//],
];

const SYSTEMS: [name: string, pattern: RegExp][] = [
  ["iOS", /iPhone|iPad|iPod/],
  ["Android", /Android/],
  ["ChromeOS", /CrOS/],
  ["Windows", /Windows/],
  ["macOS", /Mac OS X|Macintosh/],
  ["Linux", /Linux/],
];

const first = (list: [string, RegExp][], ua: string) => {
  for (const [name, pattern] of list) {
    const match = pattern.exec(ua);
    if (match) return match[1] ? `${name} ${match[1]}` : name;
  }
  return null;
};

/** "Chrome 131 on Windows", "Safari 18 on iOS", "Firefox 128", "on Linux"; null when nothing is known. */
export function describeUserAgent(ua: string | null | undefined): string | null {
  if (!ua) return null;
  const browser = first(BROWSERS, ua);
  const system = first(SYSTEMS, ua);
  if (browser && system) return `${browser} on ${system}`;
  return browser ?? (system ? `on ${system}` : null);
}
