// How the console writes what conversions were worth: the API's sums are exact to the
// hundredth in every currency, so the console must not round them to a currency's usual digits.
import { describe, expect, it } from "vitest";
import { formatMoney, moneyDecimal } from "../../src/client/console/money.js";

describe("formatMoney", () => {
  it("writes each currency as money in the page's language, joined", () => {
    expect(formatMoney({ EUR: 1234.5, USD: 0.3 }, "en")).toBe("€1,234.50 · $0.30");
    expect(formatMoney({}, "en")).toBe("");
    expect(formatMoney(undefined, "zh-CN")).toBe("");
  });

  it("keeps the hundredths of a currency written without them (yen, won): the sum as the API has it", () => {
    // Two ¥0.25 conversions sum to 0.5 (the events API takes 2 decimals in any currency).
    expect(formatMoney({ JPY: 1234.5 }, "en")).toBe("¥1,234.50");
    expect(formatMoney({ KRW: 0.25 }, "en")).toBe("₩0.25");
    // Whole amounts still read as people write them.
    expect(formatMoney({ JPY: 1235 }, "en")).toBe("¥1,235");
    expect(formatMoney({ JPY: 1235 }, "zh-CN")).toBe("JP¥1,235");
  });

  it("keeps a currency's own finer digits (the dinar's thousandths)", () => {
    expect(formatMoney({ BHD: 1.5 }, "en")).toMatch(/^BHD\s1\.500$/);
  });
});

describe("moneyDecimal", () => {
  it("writes a sum for a spreadsheet with the digits formatMoney shows it with", () => {
    expect(moneyDecimal(1234.5, "EUR")).toBe("1234.50");
    expect(moneyDecimal(1234567.8, "USD")).toBe("1234567.80");
    expect(moneyDecimal(1235, "JPY")).toBe("1235");
    expect(moneyDecimal(1234.5, "JPY")).toBe("1234.50");
    expect(moneyDecimal(1.5, "BHD")).toBe("1.500");
    expect(moneyDecimal(7, "XXX")).toBe("7.00");
  });
});
