// What conversions were worth, as the console writes it: on screen (formatMoney) and in the
// funnel table's CSV (moneyDecimal), both to the digits moneyDigits picks. Apart from lib.js
// (which reads the page) so a unit test can check it with the engine's own Intl.

/**
 * The decimals `value` is written with in `currency`: the currency's usual digits (2 for EUR, 0
 * for JPY, 3 for KWD), or 2 when the sum is finer than that (the API sums hundredths in every
 * currency: ¥1234.5 is shown to the hundredth, not rounded to a figure the API never gave).
 * @example moneyDigits("JPY", 1234) // 0
 * @example moneyDigits("JPY", 1234.5) // 2
 */
export function moneyDigits(currency, value) {
  const usual = new Intl.NumberFormat("en", { style: "currency", currency });
  const { maximumFractionDigits: digits } = usual.resolvedOptions();
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale === value ? digits : Math.max(digits, 2);
}

/**
 * What conversions were worth (`converted_value`: `{EUR: 12.5}`), each currency as money in
 * `locale`, joined; "" when there is none.
 * @example formatMoney({ EUR: 1234.5, USD: 0.3 }, "en") // "€1,234.50 · $0.30"
 */
export function formatMoney(values, locale) {
  return Object.entries(values || {})
    .map(([currency, v]) => {
      const digits = moneyDigits(currency, v);
      return new Intl.NumberFormat(locale, {
        style: "currency",
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(v);
    })
    .join(" · ");
}

/**
 * A sum of `currency` as a plain decimal for a spreadsheet: no symbol, no grouping, the digits
 * the console shows it with.
 * @example moneyDecimal(1234.5, "EUR") // "1234.50"
 * @example moneyDecimal(1200, "JPY") // "1200"
 */
export function moneyDecimal(value, currency) {
  return value.toFixed(moneyDigits(currency, value));
}
