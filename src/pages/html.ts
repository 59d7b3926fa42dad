/**
 * A tiny synchronous HTML template tag that escapes every interpolated value unless it is
 * already {@link SafeHtml}. The pages use it instead of string concatenation so that forgetting
 * to escape is impossible: text and attribute values go through the same escaper, which covers
 * `& < > " '` (safe in element content and in quoted attributes alike).
 */

/** A fragment of HTML that is already safe to emit as is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text (escaped), safe HTML, lists of either, or nothing. */
export type HtmlValue =
  | SafeHtml
  | string
  | number
  | null
  | undefined
  | false
  | readonly HtmlValue[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escape text for HTML element content and quoted attribute values.
 *
 * @example
 * escapeHtml(`"><img src=x onerror=alert(1)>`); // "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

/**
 * Build HTML; every `${value}` is escaped unless it is {@link SafeHtml} (nested `html` results
 * are). `null`, `undefined` and `false` render nothing, so `${cond && html`…`}` works.
 *
 * @example
 * const title = `<script>alert(1)</script>`;
 * html`<h1 class="t">${title}</h1>`.value; // "<h1 class=\"t\">&lt;script&gt;alert(1)&lt;/script&gt;</h1>"
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/**
 * Mark a string as safe HTML. Only for markup this code wrote itself (CSS, the page script,
 * fixed SVG), never for anything that came from a request, config or metadata.
 *
 * @example
 * html`<style nonce="${nonce}">${raw(CSS)}</style>`;
 */
export function raw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}
