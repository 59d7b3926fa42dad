import { describe, expect, it } from "vitest";
import { loneSurrogateField } from "../../src/core/well-formed";

describe("loneSurrogateField", () => {
  it("names the first key or string holding half a surrogate pair, by its dotted path", () => {
    expect(loneSurrogateField(JSON.parse('{"name":"A\\ud800B"}'))).toBe("name");
    expect(loneSurrogateField(JSON.parse('{"posters":[{"name":"ok"},{"label":"\\udc00x"}]}'))).toBe(
      "posters.1.label",
    );
    expect(loneSurrogateField(JSON.parse('{"metadata":{"\\ud83d":1}}'))).toBe("metadata.\ud83d");
    expect(loneSurrogateField(JSON.parse('"\\ud800"'))).toBe("(body)");
    // A low half before its high half is no pair either.
    expect(loneSurrogateField({ name: "\udc00\ud800" })).toBe("name");
  });
  it("passes well-formed text: pairs, emoji sequences, other scripts, numbers and nulls", () => {
    expect(
      loneSurrogateField(JSON.parse('{"name":"\\ud83d\\ude00 مخبز 新宿","n":1,"x":null}')),
    ).toBe(null);
    expect(loneSurrogateField({ tags: ["👩‍👩‍👧", "🏳️‍🌈"], ok: true })).toBe(null);
  });
});

describe("an escaped backslash before 'ud800'", () => {
  it("is text, not a surrogate", () => {
    expect(loneSurrogateField(JSON.parse('{"name":"A\\\\ud800"}'))).toBe(null);
    expect(loneSurrogateField(JSON.parse('{"name":"A\\\\ud800"}').name)).toBe(null);
  });
});

describe("a body nested thousands deep", () => {
  it("is walked without overflowing the stack, with or without a lone surrogate at the bottom", () => {
    const deep = (leaf: string) => JSON.parse(`${"[".repeat(20_000)}${leaf}${"]".repeat(20_000)}`);
    expect(loneSurrogateField(deep('"ok"'))).toBe(null);
    expect(loneSurrogateField(deep('"\\ud800"'))).toBe(Array(20_000).fill("0").join("."));
  });
});
