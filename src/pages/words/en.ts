/**
 * The words of the scan pages in English: the reference catalog. Every other language has
 * exactly these keys with the same `{placeholders}` (test/unit/i18n-catalogs.test.ts).
 * `doc.lang` is the page's `lang` attribute and `doc.dir` its writing direction, so a page whose
 * catalog is missing falls back to English as a whole (never English words marked `rtl`).
 */
export const EN = {
  "doc.lang": "en",
  "doc.dir": "ltr",
  "title.handoff": "Continue in the app",
  "title.poster": "Open in the app",
  "title.login": "Log in on your computer",
  "app.fallbackName": "the app",
  "lead.handoff": "Pick up on your phone where you left off on your computer.",
  "lead.poster": "Tap below to continue in {app}.",
  "lead.login":
    "Open this code in {app}: it shows you which computer is asking before you approve. Opening it here changes nothing.",
  "poster.from": "From {store}",
  "open.button": "Open in {app}",
  "open.appLink": "Nothing happened? Try the app link",
  "store.appStore": "Download on the App Store",
  "store.playStore": "Get it on Google Play",
  "web.button": "Continue on the web",
  "deferred.title": "Don't have the app yet?",
  "deferred.body":
    "Copy this link, then install the app. The first time you open it, it brings you right back here (it may ask you to paste the link).",
  "copy.button": "Copy link",
  "copy.done": "Link copied",
  "copy.failed": "Couldn't copy. Press and hold the link below to copy it.",
  "blocked.title": "Open this page in your browser",
  "blocked.body.ios":
    "{browser} can't open other apps. Tap ··· at the top right, then choose “Open in Safari”.",
  "blocked.body.android":
    "{browser} can't open other apps. Tap ··· at the top right, then choose “Open in browser”.",
  "blocked.inApp": "This app",
  "blocked.copy": "Or copy the link and paste it into your browser's address bar.",
  "desktop.title": "Scan this with your phone",
  "desktop.body": "Point your phone's camera at the code to continue in {app}.",
  "desktop.qrAlt": "QR code of this link",
  "desktop.tablet": "On a tablet? You can open the app right here:",
  "expiry.in": "This code expires in {time}.",
  "expiry.soon": "This code expires in less than a minute.",
  "expiry.minutes": "{n} min",
  "expiry.expired": "This code has expired. Refresh the page on your computer to get a new one.",
  "entry.title": "Enter the code",
  "entry.lead": "Type the code printed under the QR code. Dashes and lower case are fine.",
  "entry.label": "Code",
  "entry.button": "Continue",
  "entry.invalid": "That code isn't right. Check each character and try again.",
  "msg.notFound.title": "Link not found",
  "msg.notFound.body":
    "This link doesn't exist, or part of it is missing. Check that the whole code was scanned and try again.",
  "msg.expired.title": "This code has expired",
  "msg.expired.body.handoff":
    "Codes shown on a computer only last a few minutes. Refresh the page on your computer and scan the new code.",
  "msg.expired.body": "This link is no longer valid. Ask whoever shared it for a new one.",
  "msg.poster.title": "This poster is no longer active",
  "msg.poster.bodyStore":
    "This poster at {store} is no longer active. Ask the staff for a current one.",
  "msg.poster.body": "This poster is no longer active. Look for a current one nearby.",
  "msg.invalid.title": "This link isn't valid",
  "msg.invalid.body":
    "The code may be damaged or only partly scanned. Try scanning it again, holding your phone steady.",
  "msg.slowDown.title": "Too many tries",
  "msg.slowDown.body":
    "Too many tries came from your network just now. Wait a minute, then try again.",
} as const;

/** The name of a message of the scan pages. */
export type MessageKey = keyof typeof EN;

/** A language's catalog: every message, as plain text with `{name}` placeholders. */
export type Words = Record<MessageKey, string>;
