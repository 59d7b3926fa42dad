/**
 * CSV (RFC 4180) for exports that people open in spreadsheets.
 */

/**
 * One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled). Text that a
 * spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first) gets a leading `'`, so
 * an exported value can never execute. Numbers are written as they are; null is empty.
 *
 * @example
 * csvField('say "hi", ok') // "\"say \"\"hi\"\", ok\""
 * csvField("=HYPERLINK(\"x\")") // "\"'=HYPERLINK(\"\"x\"\")\""
 * csvField(-5) // "-5"
 */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One CSV record terminated by CRLF.
 *
 * @example
 * csvLine(["a", 1, null]) // "a,1,\r\n"
 */
export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
