// The landing page in the languages of the scan-words kit: the in-app guide names the browser as
// a Traditional Chinese reader knows it, right-to-left pages keep the key cap, the isolated
// names and a countdown template the page script can fill.
import { beforeAll, describe, expect, it } from "vitest";
import { addWords } from "../../src/pages/i18n";
import { renderManualEntryPage } from "../../src/pages/manual-entry";
import { SCAN_WORDS } from "../../src/scan-words-kit";
import { NONCE, page, UA } from "./landing-helpers";

beforeAll(() => addWords(SCAN_WORDS));

describe("landing page in the kit's languages", () => {
  it("WeChat in Traditional Chinese: the app's Traditional name, the key cap, the guide", () => {
    const html = page(UA.wechatAndroid, { lang: "zh-Hant" });
    expect(html).toContain('<html lang="zh-Hant">');
    expect(html).toContain("<bdi>微信</bdi>內無法開啟其他 App");
    expect(html).toContain('<span class="dots">···</span>');
    expect(html).toContain("在瀏覽器中開啟");
  });

  it("WeChat in Arabic: right to left, the English app name isolated, the key cap kept", () => {
    const html = page(UA.wechatIos, { lang: "ar" });
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain("لا يستطيع <bdi>WeChat</bdi> فتح تطبيقات أخرى");
    expect(html).toContain('<span class="dots">···</span>');
    expect(html).toContain('<div id="copy-box" class="copybox" dir="ltr">');
  });

  it("an iPhone in Hebrew: the app's name isolated inside the one span of its button", () => {
    const html = page(UA.iphone, { lang: "he", expiresAt: 1_000_120, now: 1_000_000 });
    expect(html).toContain('<html lang="he" dir="rtl">');
    expect(html).toMatch(
      /data-action="scheme" rel="noreferrer"><span>פתחו את <bdi>QRBridge Demo<\/bdi><\/span><\/a>/,
    );
    expect(html).toContain('data-template="תוקף הקוד יפוג בעוד {time}."');
  });

  it("the manual-entry form in Korean types its code left to right", () => {
    const html = renderManualEntryPage({ lang: "ko", action: "/c" }, NONCE);
    expect(html).toContain('<html lang="ko">');
    expect(html).toContain("<h1>코드 입력</h1>");
    expect(html).toContain('type="text" dir="ltr"');
  });
});
