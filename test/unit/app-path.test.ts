import { describe, expect, it } from "vitest";
import {
  appPathProblem,
  isSafeAppPath,
  MAX_APP_PATH_LENGTH,
  safeAppPathOrRoot,
} from "../../src/core/app-path";

describe("in-app paths (handoffs and posters alike)", () => {
  it("accepts ordinary paths, queries, fragments and escapes that decode to nothing dangerous", () => {
    for (const ok of [
      "/",
      "/cart/42",
      "/a?b=c#d",
      "/%20x",
      "/caf%C3%A9",
      "/menu/lunch?table=12&next=%2F%2Fnot-a-path-here",
      "/search?q=a%5Cb",
      "/a//b",
      "/.well",
      "/...",
      "/100%",
      "/café",
      "/%E6%97%A5%E6%9C%AC", // 日本: UTF-8 continuation bytes are no control characters
      "/a%C2%A0b",
      `/${"x".repeat(MAX_APP_PATH_LENGTH - 1)}`,
    ]) {
      expect(appPathProblem(ok), ok).toBeNull();
    }
  });

  it("refuses anything a client could turn into another host or a hidden character", () => {
    const cases: [string, RegExp][] = [
      ["", /1 to 512/],
      [`/${"x".repeat(MAX_APP_PATH_LENGTH)}`, /1 to 512/],
      ["cart", /single "\/"/],
      ["//evil.example", /single "\/"/],
      ["https://evil.example", /single "\/"/],
      ["javascript:alert(1)", /single "\/"/],
      ["/\\evil.example", /"\\"/],
      ["/a\\b", /"\\"/],
      ["/a b", /spaces/],
      ["/a\nb", /spaces/],
      ["/a\tb", /spaces/],
      ["/a\u0000", /control/],
      ["/a\u0085b", /control/],
      ["/a\u200bb", /invisible/],
      ["/\u202eevil", /invisible/],
      ["/a?b=\u0007", /control/],
      ["/%2F%2Fevil.com", /encode "\/"/],
      ["/%2f%2fevil.com", /encode "\/"/],
      ["/%252F%252Fevil.com", /encode "\/"/],
      ["/%5Cevil.com", /encode "\/" or "\\"/],
      ["/%5cevil", /encode "\/" or "\\"/],
      ["/a/%2F%2Fevil.com", /encode "\/"/],
      ["/.%2F%2Fevil.com", /encode "\/"/],
      ["/%0Aevil", /control/],
      ["/%00", /control/],
      ["/%2525252525", /four times/],
      ["/./evil", /"\." or "\.\."/],
      ["/a/../..//evil.com", /"\." or "\.\."/],
      ["/%2E%2E/%2e%2e//evil.com", /"\." or "\.\."/],
      ["/..", /"\." or "\.\."/],
    ];
    for (const [bad, reason] of cases) {
      expect(appPathProblem(bad), JSON.stringify(bad)).toMatch(reason);
      expect(isSafeAppPath(bad)).toBe(false);
    }
  });

  it("reads back a stored path, or the app's root when it fails the check", () => {
    expect(safeAppPathOrRoot("/menu?x=1")).toBe("/menu?x=1");
    expect(safeAppPathOrRoot("/%2F%2Fevil.com")).toBe("/");
    expect(safeAppPathOrRoot("/a\u0001")).toBe("/");
  });
});
