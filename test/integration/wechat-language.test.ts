import { describe, expect, it } from "vitest";
import { call } from "./helpers";
import { makePoster, makeStore } from "./poster-helpers";

const WECHAT =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN";

describe("the scan page's language in WeChat", () => {
  it("is Chinese when WeChat says Language/zh_CN and sends no Accept-Language", async () => {
    const p = await makePoster({ store_id: (await makeStore("渋谷店")).id });
    const res = await call(`/p/${p.code}`, { headers: { "user-agent": WECHAT } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain("请在浏览器中打开此页面"); // WeChat's own guide, in Chinese
    const en = await call(`/p/${p.code}`, {
      headers: { "user-agent": WECHAT, "accept-language": "en-US" },
    });
    expect(await en.text()).toContain('<html lang="en">');
  });

  it("is Chinese on the manual entry form too", async () => {
    const res = await call("/c", { headers: { "user-agent": WECHAT } });
    expect(await res.text()).toContain('<html lang="zh-Hans">');
  });
});
