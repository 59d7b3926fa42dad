// Helpers for the device tests: user agents more than one file builds on.

/** The start of an iPhone's iOS 17 User-Agent, before the browser's own tokens. */
export const IOS17 =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko)";
