/**
 * What conversions were worth, pure. A counted human `converted` hop with a `detail.value` adds
 * that value to its rollup row's `counts` map under `converted$<currency>` (and the folded
 * variants `converted$<currency>@p:<platform>` / `@i:<in-app>`, so a funnel grouped by platform
 * or in-app browser splits values as it splits counts).
 *
 * Values are summed as integers of hundredths (cents), never as floats: `POST /v1/events` takes
 * at most 2 decimals, so a hundredth is exact for every value it accepts, and each event is
 * rounded once (half away from zero, on the decimal the caller sent) before it is added.
 * Hundredths rather than micro-units keep the exact range wide enough for currencies with large
 * numbers (VND, IDR). SQLite adds 64-bit integers exactly (to 2^63), JavaScript adds integers
 * exactly to 2^53, and the answer, hundredths ÷ 100 as a JSON number, reads back as the exact
 * decimal while it has at most 15 digits: so a sum is exact up to {@link MAX_EXACT_MINOR}
 * hundredths (9,999,999,999,999.99 units) per currency and funnel row. Beyond it the figure is
 * the double nearest the sum (off by a few hundredths at most, under 10^-15 of it), never
 * wrapped or dropped.
 *
 * A value sent without a currency sums under `XXX`, ISO 4217's code for "no currency", so every
 * key of a funnel's `converted_value` is an ISO 4217 code that `Intl.NumberFormat` can format.
 */
import type { HopRow } from "./hop-row";

/** The hop whose values are summed. */
export const VALUE_HOP = "converted";
/** The prefix of value keys in a rollup row's `counts`: `converted$EUR`. */
export const VALUE_PREFIX = `${VALUE_HOP}$`;
/** The currency of a value sent without one (ISO 4217 "no currency"). */
export const NO_CURRENCY = "XXX";
/** Hundredths per unit: the precision values are summed at. */
export const MINOR_PER_UNIT = 100;
/**
 * The largest sum of hundredths every step (SQL, JavaScript, the JSON answer in units) carries
 * exactly: 15 digits, the most a double holds for any decimal.
 */
export const MAX_EXACT_MINOR = 999_999_999_999_999;
/** Largest single value folded (the events API takes at most 1,000,000,000). */
const MAX_FOLDED_VALUE = 1e12;

const CURRENCY = /^[A-Z]{3}$/;

/**
 * A value as whole hundredths, rounded half away from zero on its shortest decimal form (so
 * 1.005 is 101, as written, not 100 as `1.005 * 100` would give); null when it is not a
 * finite number from 0 to 10^12.
 *
 * @example
 * minorUnits(12.5)        // 1250
 * minorUnits(0.1 + 0.2)   // 30
 * minorUnits(2.000000004) // 200
 */
export function minorUnits(value: unknown): number | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return null;
  if (value < 0 || value > MAX_FOLDED_VALUE) return null;
  const [mantissa = "0", exponent = "0"] = String(value).split("e");
  const [whole = "0", fraction = ""] = mantissa.split(".");
  // Move the decimal point by the exponent: digits, and where the units end in them.
  const digits = whole + fraction;
  const point = whole.length + Number(exponent);
  const at = point + 2; // the end of the hundredths
  if (at <= 0) return 0;
  const kept = digits.padEnd(at, "0").slice(0, at);
  const next = digits.charCodeAt(at) - 48; // NaN past the last digit
  return Number(kept) + (next >= 5 ? 1 : 0);
}

/**
 * Whether `value` is an amount of at most 2 decimals, as far as a double can say: `12.34` and
 * `0.1 + 0.2` are, `12.345` is not. The product `value × 100` is off a whole number by the
 * double's rounding, which grows with the value, so the tolerance grows with it too (still far
 * below half a hundredth at the events API's largest value).
 *
 * @example
 * hasCents(999_999_999.99) // true
 * hasCents(12.345)         // false
 */
export function hasCents(value: number): boolean {
  const cents = value * MINOR_PER_UNIT;
  return Math.abs(cents - Math.round(cents)) < Math.max(1e-6, Math.abs(value) * 1e-12);
}

/**
 * The value a hop adds, as `[currency, hundredths]`, or null: only a person's `converted` hop
 * with a valid `detail.value` has one.
 *
 * @example
 * conversionValueOf({ hop: "converted", bot: 0, detail: '{"value":12.5,"currency":"EUR"}' }) // ["EUR", 1250]
 * conversionValueOf({ hop: "converted", bot: 0, detail: '{"value":3}' }) // ["XXX", 300]
 */
export function conversionValueOf(
  row: Pick<HopRow, "hop" | "bot" | "detail">,
): [string, number] | null {
  if (row.bot || row.hop !== VALUE_HOP || !row.detail?.includes('"value"')) return null;
  let detail: { value?: unknown; currency?: unknown };
  try {
    detail = JSON.parse(row.detail) as typeof detail;
  } catch {
    return null;
  }
  const minor = minorUnits(detail.value);
  if (minor === null) return null;
  const { currency } = detail;
  return [typeof currency === "string" && CURRENCY.test(currency) ? currency : NO_CURRENCY, minor];
}

/**
 * Add a counts map's values for one folded dimension (`p:ios`, `i:`), or its plain values
 * (`dim` null), into `into` (currency → hundredths).
 *
 * @example
 * addValues(sum, { converted: 2, "converted$EUR": 1250, "converted$EUR@p:ios": 1250 }, null) // sum.EUR += 1250
 */
export function addValues(
  into: Record<string, number>,
  counts: Readonly<Record<string, number>>,
  dim: string | null,
): void {
  for (const key in counts) {
    if (!key.startsWith(VALUE_PREFIX)) continue;
    const at = key.indexOf("@", VALUE_PREFIX.length);
    if (dim ? at === -1 || key.slice(at + 1) !== dim : at !== -1) continue;
    const currency = key.slice(VALUE_PREFIX.length, at === -1 ? undefined : at);
    into[currency] = (into[currency] ?? 0) + (counts[key] ?? 0);
  }
}

/**
 * Sums of hundredths as the API answers them: units per currency, sorted by code.
 *
 * @example
 * valuesInUnits({ USD: 30, EUR: 1250 }) // { EUR: 12.5, USD: 0.3 }
 */
export function valuesInUnits(minor: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  // An integer divided by 100 is the double nearest the exact decimal, so 30 reads as 0.3.
  for (const currency of Object.keys(minor).sort())
    out[currency] = (minor[currency] ?? 0) / MINOR_PER_UNIT;
  return out;
}
