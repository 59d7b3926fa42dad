// Device classification from the request's other headers: an app stating its platform
// (X-QB-Platform), Client Hints, prefetch headers, and what classifyDevice accepts and remembers.
import { describe, expect, it } from "vitest";
import { classifyAppCaller } from "../../src/core/app-caller";
import { classifyDevice, classifyUserAgent, isPrefetch } from "../../src/core/device";
import { IOS17 } from "./device-helpers";

describe("classifyAppCaller: an app stating its platform (X-QB-Platform)", () => {
  const dart = "Dart/3.3 (dart:io)";
  it("places an app whose User-Agent names no OS", () => {
    const d = classifyAppCaller(new Headers({ "user-agent": dart, "x-qb-platform": "iOS" }));
    expect(d).toMatchObject({ platform: "ios", os: "iOS", isHuman: true });
    expect(classifyAppCaller(new Headers({ "user-agent": dart })).platform).toBe("other");
  });

  it("changes the platform only: a script stays a bot, an unknown value changes nothing", () => {
    const curl = classifyAppCaller(
      new Headers({ "user-agent": "curl/8.0", "x-qb-platform": "android" }),
    );
    expect(curl).toMatchObject({ platform: "android", bot: "crawler", isHuman: false });
    for (const value of ["desktop", "constructor", "__proto__", ""]) {
      const d = classifyAppCaller(new Headers({ "user-agent": dart, "x-qb-platform": value }));
      expect(d.platform, value).toBe("other");
    }
  });

  it("keeps the OS version the User-Agent gave when it agrees", () => {
    const ua = "okhttp/4.12.0 AcmeApp/3.1 (Linux; Android 14; Pixel 8)";
    const d = classifyAppCaller(new Headers({ "user-agent": ua, "x-qb-platform": "android" }));
    expect(d).toMatchObject({ platform: "android", os: "Android 14" });
  });
});

describe("Client Hints", () => {
  const REDUCED =
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
  const BRANDS = '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"';

  it("complete a reduced Android UA with the real version", () => {
    const headers = new Headers({
      "User-Agent": REDUCED,
      "Sec-CH-UA": BRANDS,
      "Sec-CH-UA-Mobile": "?1",
      "Sec-CH-UA-Platform": '"Android"',
      "Sec-CH-UA-Platform-Version": '"14.0.0"',
    });
    expect(classifyDevice(headers)).toMatchObject({
      platform: "android",
      os: "Android 14",
      browser: "Chrome",
      bot: null,
      isHuman: true,
    });
  });

  it("say Android without a version: the frozen 'Android 10' is not reported", () => {
    const d = classifyUserAgent(REDUCED, { platform: '"Android"', mobile: "?1" });
    expect(d).toMatchObject({ platform: "android", os: "Android" });
  });

  it("keep a full UA's Android version when the hint has none", () => {
    const samsung =
      "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36";
    expect(classifyUserAgent(samsung, { platform: '"Android"' }).os).toBe("Android 14");
  });

  it("override the UA: Android Chrome's 'desktop site' mode sends a Linux UA", () => {
    const desktopMode =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    expect(classifyUserAgent(desktopMode).platform).toBe("desktop");
    expect(classifyUserAgent(desktopMode, { platform: '"Android"', mobile: "?0" }).platform).toBe(
      "android",
    );
  });

  it("a mobile hint alone places an unplaceable Chromium UA on Android", () => {
    const linux =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    expect(classifyUserAgent(linux, { mobile: "?1" }).platform).toBe("android");
    expect(classifyUserAgent(linux, { mobile: "?0" }).platform).toBe("desktop");
  });

  it("tell Windows 11 from Windows 10 by platform version", () => {
    const win =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    expect(classifyUserAgent(win, { platform: '"Windows"', platformVersion: '"15.0.0"' }).os).toBe(
      "Windows 11",
    );
    expect(classifyUserAgent(win, { platform: '"Windows"', platformVersion: '"10.0.0"' }).os).toBe(
      "Windows 10",
    );
    expect(classifyUserAgent(win, { platform: '"Windows"' }).os).toBe("Windows");
  });

  it("map Chrome OS and macOS", () => {
    const ua =
      "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    expect(classifyUserAgent(ua, { platform: '"Chrome OS"' })).toMatchObject({
      platform: "desktop",
      os: "ChromeOS",
    });
    expect(classifyUserAgent(ua, { platform: '"macOS"', platformVersion: '"14.4.1"' }).os).toBe(
      "macOS 14",
    );
  });

  it("name Brave, which sends a plain Chrome UA", () => {
    const ua =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    const brands = '"Chromium";v="124", "Brave";v="124", "Not-A.Brand";v="99"';
    expect(classifyUserAgent(ua, { brands }).browser).toBe("Brave");
  });

  it("unmask a headless browser that spoofs its UA", () => {
    const ua =
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    const brands = '"HeadlessChrome";v="124", "Chromium";v="124", "Not-A.Brand";v="99"';
    expect(classifyUserAgent(ua, { brands })).toMatchObject({ bot: "crawler", isHuman: false });
  });

  it("ignore an unknown platform hint", () => {
    expect(classifyUserAgent(REDUCED, { platform: '"Unknown"' }).os).toBe("Android");
  });
});

describe("prefetch", () => {
  const CHROME =
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

  it.each([
    ["Sec-Purpose", "prefetch"],
    ["Sec-Purpose", "prefetch;prerender"],
    ["Sec-Purpose", "prefetch;anonymous-client-ip"],
    ["Purpose", "prefetch"],
    ["X-Moz", "prefetch"],
    ["X-Purpose", "preview"],
  ])("%s: %s", (name, value) => {
    const headers = new Headers({ "User-Agent": CHROME, [name]: value });
    expect(isPrefetch(headers)).toBe(true);
    expect(classifyDevice(headers)).toMatchObject({
      platform: "desktop",
      bot: "prefetch",
      isHuman: false,
    });
  });

  it("is false for an ordinary navigation", () => {
    const headers = new Headers({ "User-Agent": CHROME, "Sec-Fetch-Mode": "navigate" });
    expect(isPrefetch(headers)).toBe(false);
    expect(classifyDevice(headers)).toMatchObject({ bot: null, isHuman: true });
  });

  it("keeps the UA's reason when a bot also prefetches", () => {
    const headers = new Headers({ "User-Agent": "Twitterbot/1.0", Purpose: "prefetch" });
    expect(classifyDevice(headers).bot).toBe("previewer");
  });

  it("keeps the in-app browser of a prefetching WebView", () => {
    const headers = new Headers({
      "User-Agent": `${IOS17} Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN`,
      "Sec-Purpose": "prefetch",
    });
    expect(classifyDevice(headers)).toMatchObject({ inAppBrowser: "wechat", bot: "prefetch" });
  });
});

describe("classifyDevice input", () => {
  it("accepts any object with get(), such as a Map", () => {
    const map = new Map([["user-agent", `${IOS17} Version/17.4 Mobile/15E148 Safari/604.1`]]);
    expect(classifyDevice(map)).toMatchObject({ platform: "ios", isHuman: true });
  });

  it("bounds the work on an absurdly long UA", () => {
    const ua = `${IOS17} Version/17.4 Mobile/15E148 Safari/604.1 ${"x".repeat(100_000)}`;
    expect(classifyUserAgent(ua)).toMatchObject({ platform: "ios", isHuman: true });
  });

  it("classifies a repeated User-Agent the same, hands out copies, and still sees prefetches", () => {
    const ua = `${IOS17} Version/17.4 Mobile/15E148 Safari/604.1`;
    const first = classifyDevice(new Headers({ "user-agent": ua }));
    expect(first).toMatchObject({ platform: "ios", bot: null, isHuman: true });
    first.platform = "desktop"; // a caller editing its copy changes nothing for the next request
    const prefetch = classifyDevice(new Headers({ "user-agent": ua, "sec-purpose": "prefetch" }));
    expect(prefetch).toMatchObject({ platform: "ios", bot: "prefetch", isHuman: false });
    expect(classifyDevice(new Headers({ "user-agent": ua }))).toMatchObject({
      platform: "ios",
      bot: null,
      isHuman: true,
    });
    // Client hints are part of what is remembered: the same UA with other hints is classified anew.
    const reduced =
      "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";
    expect(classifyDevice(new Headers({ "user-agent": reduced })).os).toBe("Android");
    expect(
      classifyDevice(
        new Headers({
          "user-agent": reduced,
          "sec-ch-ua-platform": '"Android"',
          "sec-ch-ua-platform-version": '"14.0.0"',
        }),
      ).os,
    ).toBe("Android 14");
  });
});
