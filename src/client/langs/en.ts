/**
 * The `<qr-bridge>` element's texts in English: the source of every other catalog's keys and
 * `{placeholders}`. `l.*` are the login mode's own wordings of a state.
 */
export const en = {
  alt: "QR code: scan with your phone to continue in the app",
  loading: "Creating your code…",
  pending: "Scan with your phone camera to continue in the app",
  scanned: "Scanned on {device}. Continue on your phone.",
  scannedAny: "Scanned. Continue on your phone.",
  redeemed: "Done: opened in the app.",
  expired: "This code has expired.",
  cancelled: "This code was cancelled.",
  denied: "The request was declined on the phone.",
  error: "Could not create a code ({code}).",
  paused: "Code paused while this tab is in the background.",
  awaiting_confirmation: "Allow {device} to continue in the app?",
  approved: "Allowed: continue on your phone.",
  approve: "Allow",
  deny: "Deny",
  // Only ever fills {device} of awaiting_confirmation: languages that decline it use that case.
  thisPhone: "this phone",
  refresh: "Show a new code",
  expiresIn: "Expires in {t}",
  image: "Could not show the code.",
  onPhone: "On this phone? Open the app:",
  open: "Open in the app",
  "l.alt": "QR code: scan with the app on your phone to log in",
  "l.pending": "Scan with the app on your phone to log in",
  "l.scanned": "Scanned on {device}. Confirm on your phone.",
  "l.scannedAny": "Confirm on your phone.",
  "l.approved": "Approved. Signing you in…",
  "l.denied": "The login was declined on the phone.",
  warn: "Another phone also tried to scan this code. If that wasn't you, don't approve: get a new code.",
};

/** A text's name. */
export type TextKey = keyof typeof en;

/** One language's texts: every key of English, no other (a missing key does not compile). */
export type Catalog = Record<TextKey, string>;
