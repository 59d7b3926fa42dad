// What conversions were worth, as the console writes it. Apart from lib.js (which reads the
// page) so a unit test can check it with the engine's own Intl.

/**
 * What conversions were worth (`converted_value`: `{EUR: 12.5}`), each currency as money in
 * `locale`, joined; "" when there is none.
 * @example formatMoney({ EUR: 1234.5, USD: 0.3 }, "en") // "€1,234.50 · $0.30"
 */
export function formatMoney(values, locale) {
  return Object.entries(values || {})
    .map(([currency, v]) => {
      const usual = new Intl.NumberFormat(locale, { style: "currency", currency });
      const { maximumFractionDigits: digits } = usual.resolvedOptions();
      const scale = 10 ** digits;
      if (Math.round(v * scale) / scale === v) return usual.format(v);
      // A sum finer than the currency's usual digits (¥1234.5: the API takes hundredths in
      // every currency) is shown to the hundredth, not rounded to a figure the API never gave.
      const exact = { style: "currency", currency, minimumFractionDigits: 2 };
      return new Intl.NumberFormat(locale, exact).format(v);
    })
    .join(" · ");
}
