import type { ReferenceWords } from "./types";

export const scanReference: ReferenceWords = {
  operations: {
    "GET /h/{token}": {
      summary: "Scan of a handoff QR: the landing page",
      description:
        "Case-insensitive. A person's first scan moves the handoff to `scanned` (and counts its one landing); later views show the page and count nothing; bots, previewers and prefetches (`Sec-Purpose`, `Purpose`) see the page and change nothing. The app's custom-scheme link carries the bridge link as `?qb_link=`. `?qb_via=same_device` (the embed's link on a phone) marks the scan as a tap on the same device.",
    },
    "GET /l/{token}": {
      summary: "A QR login link in a browser: open it in the app",
      description:
        "Case-insensitive. Changes nothing (the app scans with `POST /v1/logins/scan`); the app's custom-scheme link carries the bridge link as `?qb_link=`.",
    },
    "GET /p/{code}": {
      summary: "Scan of a poster code: the landing page",
      description:
        "Any case, dashes allowed (`7k2m9-qx4ab`). A forged code is a 404 without any storage read (a 429 once the client IP sent too many). Paused, revoked or out-of-window posters get a 410 page naming the store. People get a landing page whose app links carry a signed attribution session `s`; bots, previewers and prefetches get the page without one and count as `previewed`.",
    },
    "GET /c": {
      summary: "Manual entry of a poster code (when the camera fails)",
      description:
        "Without `code`: the form. With a valid code (any case, dashes optional): `303` to `/p/<CODE>`. With an invalid one: the form again with an error (400). Too many calls or wrong codes from one client IP: a 429 page with `Retry-After`.",
    },
  },
};
