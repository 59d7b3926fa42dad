// The pages a scanner sees speak the scanner's language: a poster's and a handoff's landing
// page, the manual-entry form `/c` and the 410 pages, in Japanese, Spanish and Arabic (right to
// left), through the real Worker. The words change; the escaping, the CSP, the headers and the
// hops do not.
import { describe, expect, it } from "vitest";
import { createHandoff, scan as scanHandoff, signedToken, status } from "./handoffs-helpers";
import { call, mintSecretKey } from "./helpers";
import { makePoster, makeStore, patchPoster, scan, waitForHops } from "./poster-helpers";

interface Expected {
  header: string;
  lang: string;
  rtl: boolean;
  poster: string;
  handoff: string;
  entry: string;
  inactive: string;
  expired: string;
}

const LANGS: Expected[] = [
  {
    header: "ja",
    lang: "ja",
    rtl: false,
    poster: "<h1>アプリで開く</h1>",
    handoff: "<h1>アプリで続ける</h1>",
    entry: "<h1>コードを入力</h1>",
    inactive: "<h1>このポスターは現在ご利用いただけません</h1>",
    expired: "<h1>このコードは期限切れです</h1>",
  },
  {
    header: "es-ES,es;q=0.9,en;q=0.5",
    lang: "es",
    rtl: false,
    poster: "<h1>Abrir en la app</h1>",
    handoff: "<h1>Continuar en la app</h1>",
    entry: "<h1>Escribe el código</h1>",
    inactive: "<h1>Este cartel ya no está activo</h1>",
    expired: "<h1>Este código venció</h1>",
  },
  {
    header: "ar",
    lang: "ar",
    rtl: true,
    poster: "<h1>الفتح في التطبيق</h1>",
    handoff: "<h1>المتابعة في التطبيق</h1>",
    entry: "<h1>أدخل الرمز</h1>",
    inactive: "<h1>هذا الملصق لم يعد نشطًا</h1>",
    expired: "<h1>انتهت صلاحية هذا الرمز</h1>",
  },
];

/** The page's `<html>` tag must be exactly this: its language, and `dir` for right to left. */
function htmlTag(e: Expected): string {
  return e.rtl ? `<html lang="${e.lang}" dir="rtl">` : `<html lang="${e.lang}">`;
}

describe.each(LANGS)("Accept-Language: $header", (e) => {
  const headers = { "accept-language": e.header };

  it("a poster's landing page", async () => {
    const p = await makePoster({ store_id: (await makeStore("Calle Mayor 5")).id });
    const res = await scan(`/p/${p.code}`, undefined, headers);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(htmlTag(e));
    expect(html).toContain(e.poster);
    expect(html).toContain("<bdi>Calle Mayor 5</bdi>");
    // The copied link is a URL: it reads left to right on every page.
    expect(html).toMatch(/<div id="copy-box" class="copybox" dir="ltr">HTTPS:\/\/QR\.TEST\/P\//);
  });

  it("a handoff's landing page", async () => {
    const h = await createHandoff(await mintSecretKey());
    const res = await scanHandoff(h, headers);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(htmlTag(e));
    expect(html).toContain(e.handoff);
    expect((await status(h)).status).toBe("scanned");
  });

  it("the manual-entry form, and its error", async () => {
    const form = await call("/c", { headers });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain(htmlTag(e));
    expect(html).toContain(e.entry);
    // The code is Latin letters and digits: typed left to right whatever the page's direction.
    expect(html).toMatch(/<input class="codeinput" id="code" name="code" type="text" dir="ltr"/);
    const wrong = await call("/c?code=AAAAA-AAAAA", { headers });
    expect(wrong.status).toBe(400);
    const error = await wrong.text();
    expect(error).toContain(htmlTag(e));
    expect(error).not.toContain("That code isn&#39;t right");
  });

  it("the 410 pages: an inactive poster and an expired handoff", async () => {
    const store = await makeStore("Shibuya");
    const p = await makePoster({ store_id: store.id });
    expect((await patchPoster(p.id, { status: "paused" })).status).toBe(200);
    const paused = await scan(`/p/${p.code}`, undefined, headers);
    expect(paused.status).toBe(410);
    const inactive = await paused.text();
    expect(inactive).toContain(htmlTag(e));
    expect(inactive).toContain(e.inactive);
    expect(inactive).toContain("<bdi>Shibuya</bdi>");

    const h = await createHandoff(await mintSecretKey());
    const token = await signedToken(Math.floor(Date.now() / 1000) - 5, h.id);
    const gone = await scanHandoff(token, headers);
    expect(gone.status).toBe(410);
    const expired = await gone.text();
    expect(expired).toContain(htmlTag(e));
    expect(expired).toContain(e.expired);
  });
});

describe("a page in Arabic", () => {
  it("still escapes a hostile store name, isolated in <bdi>", async () => {
    const attack = `<img src=x onerror=alert(1)>"'</bdi><script>alert(2)</script>`;
    const p = await makePoster({ store_id: (await makeStore(attack)).id });
    const html = await (await scan(`/p/${p.code}`, undefined, { "accept-language": "ar" })).text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain(
      "<bdi>&lt;img src=x onerror=alert(1)&gt;&quot;&#39;&lt;/bdi&gt;&lt;script&gt;alert(2)&lt;/script&gt;</bdi>",
    );
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>alert");
    // Exactly the page's own bdi elements open and close: the name closed none of them.
    expect(html.split("<bdi>").length).toBe(html.split("</bdi>").length);
  });

  it("keeps the headers and the CSP of an English page, the nonce bound to its style and script", async () => {
    const p = await makePoster();
    const en = await scan(`/p/${p.code}`, undefined, { "accept-language": "en" });
    const ar = await scan(`/p/${p.code}`, undefined, { "accept-language": "ar" });
    const names = (res: Response) => [...res.headers.keys()].sort();
    expect(names(ar)).toEqual(names(en));
    const nonceOf = (res: Response) =>
      /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy")!)![1]!;
    const csp = (res: Response) =>
      res.headers.get("content-security-policy")!.replaceAll(nonceOf(res), "N");
    expect(csp(ar)).toBe(csp(en));
    for (const name of names(en)) {
      if (name === "content-security-policy") continue;
      expect(ar.headers.get(name), name).toBe(en.headers.get(name));
    }
    const nonce = nonceOf(ar);
    const html = await ar.text();
    await en.text();
    const tags = html.match(/<(style|script)\b[^>]*>/g)!;
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toContain(`nonce="${nonce}"`);
  });
});

describe("the QR login's scan page", () => {
  it("an expired login link in Arabic: the 410 page right to left", async () => {
    const token = await signedToken(Math.floor(Date.now() / 1000) - 5, undefined, "l");
    const res = await call(`/l/${token}`, { headers: { "accept-language": "ar" } });
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain("<h1>انتهت صلاحية هذا الرمز</h1>");
  });
});

describe("the hops of a page in another language", () => {
  it("a landing in Thai counts one scan and one landing", async () => {
    const p = await makePoster();
    const res = await scan(`/p/${p.code}`, undefined, { "accept-language": "th-TH" });
    const html = await res.text();
    expect(html).toContain('<html lang="th">');
    expect(html).toContain("<h1>เปิดในแอป</h1>");
    const hops = await waitForHops({ poster_id: p.id }, 2);
    expect(hops.map((h) => h.hop).sort()).toEqual(["landing", "scanned"]);
  });
});

describe("Traditional Chinese", () => {
  it("is what zh-TW and zh-HK get, and WeChat's Language/zh_TW", async () => {
    const p = await makePoster();
    const headersOf: Record<string, string>[] = [
      { "accept-language": "zh-TW,zh;q=0.9" },
      { "accept-language": "zh-HK" },
      {
        "user-agent":
          "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_TW",
      },
    ];
    for (const headers of headersOf) {
      const html = await (await call(`/p/${p.code}`, { headers })).text();
      expect(html).toContain('<html lang="zh-Hant">');
      expect(html).toMatch(/在 App 中開啟|請在瀏覽器中開啟此頁面/);
    }
  });
});
