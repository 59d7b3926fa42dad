// Who sends the soak's traffic (bench/soak.mjs): people with phones (a browser and the app, on
// one client address each), link previewers and crawlers, and a few forgers. Every request
// states its client address in `CF-Connecting-IP`: under `wrangler dev` Miniflare's entry
// worker sets that header from the socket only when the request does not carry one, so each
// person here is a client of their own to the rate limits and to the unique-scanner sketch.

/** A seeded random source (mulberry32), so a run's traffic can be replayed. */
export function seeded(seed) {
  let s = seed | 0;
  const random = () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    random,
    /** True with probability p. */
    chance: (p) => random() < p,
    /** One of the items, uniformly. */
    pick: (items) => items[Math.floor(random() * items.length)],
    /** An index 0…n-1 where low ones come far more often (a long tail). */
    skewed: (n) => Math.min(n - 1, Math.floor(n * random() ** 3)),
  };
}

/** Phone browsers a scan comes from: their platform and in-app browser as the Worker classes them. */
const BROWSERS = [
  {
    platform: "ios",
    in_app: null,
    ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
  },
  {
    platform: "android",
    in_app: null,
    ua: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
  },
  {
    platform: "ios",
    in_app: "wechat",
    ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN",
  },
  {
    platform: "android",
    in_app: "instagram",
    ua: "Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.0.0 Mobile Safari/537.36 Instagram 320.0.0.34.109 Android",
  },
];

/** The app's own HTTP client on each platform (a person, README's quick start). */
const APP_UA = {
  ios: "Acme/1 CFNetwork/1494.0.7 Darwin/23.4.0",
  android: "Dalvik/2.1.0 (Linux; U; Android 14; Pixel 8 Build/UQ1A)",
};

/** Previewers and scripts: they see pages and answers, and must never count. */
export const BOT_UAS = [
  "Twitterbot/1.0",
  "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
  "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
  "curl/8.5.0",
  "python-requests/2.31",
];

/**
 * The languages people's browsers ask for: every scan page language (English and Chinese from
 * the main bundle, the rest from the lazily loaded scan-words kit), so a soak covers both.
 */
const ACCEPT_LANGUAGES = [
  "en-US,en;q=0.9",
  "zh-CN,zh;q=0.9",
  "zh-TW",
  "ja-JP",
  "ko-KR",
  "es-ES,es;q=0.9",
  "fr-FR",
  "de-DE",
  "pt-BR",
  "it-IT",
  "id-ID",
  "vi-VN",
  "th-TH",
  "tr-TR",
  "ru-RU",
  "he-IL",
  "ar-SA,ar;q=0.9,en;q=0.5",
];

/**
 * `n` people, each with a phone browser, the app on the same platform, and an address of
 * their own (198.18.0.0/15, the benchmarking range).
 *
 * @example
 * const people = makePeople(400, seeded(1));
 */
export function makePeople(n, rnd) {
  return Array.from({ length: n }, (_, i) => {
    const b = rnd.pick(BROWSERS);
    return {
      ip: `198.18.${i >> 8}.${(i & 255) + 0}`,
      browser: b.ua,
      platform: b.platform,
      in_app: b.in_app,
      app: APP_UA[b.platform],
      // By index, not drawn: the seeded draws (and so a seed's traffic) stay as they were.
      language: ACCEPT_LANGUAGES[i % ACCEPT_LANGUAGES.length],
    };
  });
}

/** Headers of a person's browser. */
export const browserHeaders = (p) => ({
  "user-agent": p.browser,
  "accept-language": p.language,
  "cf-connecting-ip": p.ip,
});

/** Headers of a person's app (JSON calls; it states its platform as the app client does). */
export const appHeaders = (p) => ({
  "user-agent": p.app,
  "cf-connecting-ip": p.ip,
  "content-type": "application/json",
  "x-qb-platform": p.platform,
});
