// The deep link builders the landing page uses: app paths, params, custom schemes, Android
// intents and the http(s) URLs it accepts from configuration.
import { describe, expect, it } from "vitest";
import {
  encodeAppPath,
  intentUrl,
  safeHttpUrl,
  schemeUrl,
  withParams,
} from "../../src/pages/deep-links";

describe("deep link builders", () => {
  it("keeps an app path to URL characters, never a fragment", () => {
    expect(encodeAppPath("/cart/42?ref=pc&x=1")).toBe("/cart/42?ref=pc&x=1");
    expect(encodeAppPath("cart/café")).toBe("/cart/caf%C3%A9");
    expect(encodeAppPath("/a b#c")).toBe("/a%20b%23c");
    expect(encodeAppPath("/100%25/%zz")).toBe("/100%25/%25zz");
    expect(encodeAppPath("")).toBe("/");
  });

  it("appends params after a query and before a fragment", () => {
    expect(withParams("/p", { s: "a b", t: "&" })).toBe("/p?s=a%20b&t=%26");
    expect(withParams("https://x.test/p?a=1#f", { s: "1" })).toBe("https://x.test/p?a=1&s=1#f");
    expect(withParams("/p", {})).toBe("/p");
  });

  it("refuses bad schemes, packages and URLs", () => {
    expect(schemeUrl("javascript", "/x")).toBeNull();
    expect(schemeUrl("https", "/x")).toBeNull();
    expect(schemeUrl("1abc", "/x")).toBeNull();
    expect(schemeUrl("Acme://", "/x")).toBe("acme:///x");
    expect(intentUrl({ pkg: "com.x;end", appPath: "/x", scheme: "acme" })).toBeNull();
    expect(
      intentUrl({ pkg: "com.x", appPath: "/x", scheme: "acme", fallback: "javascript:1" }),
    ).toBe("intent:///x#Intent;scheme=acme;package=com.x;end");
    expect(safeHttpUrl("https://user:pw@x.test/")).toBeNull();
    expect(safeHttpUrl("https:/x")).toBeNull();
  });

  it("answers a URL it has seen before from memory, and still right after the memory fills", () => {
    for (let round = 0; round < 2; round++) {
      expect(safeHttpUrl(" HTTPS://QR.TEST/H/X")).toBe("HTTPS://QR.TEST/H/X");
      expect(safeHttpUrl("javascript:alert(1)")).toBeNull();
      expect(safeHttpUrl("https://user:pw@x.test/")).toBeNull();
    }
    const long = `https://x.test/${"a".repeat(600)}`; // longer than what is remembered
    expect(safeHttpUrl(long)).toBe(long);
    expect(safeHttpUrl(`java\tscript:${"a".repeat(600)}`)).toBeNull();
    for (let i = 0; i < 1_200; i++)
      expect(safeHttpUrl(`https://h${i}.test/`)).toBe(`https://h${i}.test/`);
    expect(safeHttpUrl("https://user:pw@x.test/")).toBeNull();
    expect(safeHttpUrl("https://h0.test/")).toBe("https://h0.test/");
  });
});
