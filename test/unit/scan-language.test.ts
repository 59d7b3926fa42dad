// A scan page in English or Chinese never imports the scan-words kit; the first page in another
// language imports it once, and every later one (any language) finds the words at hand.
import { describe, expect, it, vi } from "vitest";
import { SCAN_WORDS } from "../../src/scan-words-kit";

// The unit files share modules: fresh copies start with only the built-in catalogs.
async function fresh() {
  vi.resetModules();
  const { withWords } = await import("../../src/routes/scan-language");
  const { t } = await import("../../src/pages/i18n");
  return { withWords, t };
}

describe("withWords", () => {
  it("imports the kit only for a language beyond English and Chinese, once", async () => {
    const { withWords, t } = await fresh();
    const load = vi.fn(async () => ({ SCAN_WORDS }));
    expect(await withWords("en", load)).toBe("en");
    expect(await withWords("zh", load)).toBe("zh");
    expect(load).not.toHaveBeenCalled();
    expect(await withWords("ja", load)).toBe("ja");
    expect(load).toHaveBeenCalledTimes(1);
    expect(t("ja", "copy.button")).toBe("リンクをコピー");
    expect(await withWords("ar", load)).toBe("ar");
    expect(t("ar", "doc.dir")).toBe("rtl");
    expect(await withWords("ja", load)).toBe("ja");
    expect(load).toHaveBeenCalledTimes(1);
  });
});

describe("withWords when the kit fails", () => {
  it("falls back to English, then loads on a later try", async () => {
    const { withWords, t } = await fresh();
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = vi.fn(async () => {
      throw new Error("no such module");
    });
    expect(await withWords("ko", broken)).toBe("en");
    expect(error).toHaveBeenCalledOnce();
    expect(await withWords("ko", async () => ({ SCAN_WORDS }))).toBe("ko");
    expect(t("ko", "copy.button")).toBe("링크 복사");
    error.mockRestore();
  });
});
