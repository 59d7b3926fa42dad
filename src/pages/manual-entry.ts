/**
 * The manual-entry page (`GET /c`): a person types the dashed code printed under a poster's QR
 * when the camera fails. A plain GET form (no script needed), so it works in every in-app
 * browser; the route redirects to the poster only when the code's MAC checks out.
 */
import { html, raw } from "./html";
import { type Lang, t } from "./i18n";
import { renderDocument } from "./layout";

const FORM_CSS = `label{display:block;font-weight:600;margin:16px 0 6px}
.codeinput{display:block;width:100%;min-height:52px;padding:10px 14px;border-radius:12px;border:1px solid var(--line);
background:var(--bg);color:var(--text);font:600 1.4rem/1.2 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;
letter-spacing:.12em;text-transform:uppercase;text-align:center}
.codeinput:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.error{color:var(--warn);background:var(--warn-bg);border-radius:10px;padding:10px 12px;margin:12px 0 0}
form .btn{margin-top:16px}`;

export interface ManualEntryOptions {
  lang: Lang;
  /** Where the form submits: the bridge's `/c` (with its base path). */
  action: string;
  /** What was typed, shown again after an error (escaped). */
  code?: string | null;
  /** Show the "that code isn't right" message. */
  invalid?: boolean;
  /** An example in the dashed form, for the placeholder. */
  example?: string;
}

/**
 * Render the manual-entry page.
 *
 * @example
 * const nonce = newNonce();
 * return htmlResponse(renderManualEntryPage({ lang: "en", action: "/c" }, nonce), { nonce });
 */
export function renderManualEntryPage(o: ManualEntryOptions, nonce: string): string {
  const { lang } = o;
  const error = o.invalid
    ? html`<p class="error" id="code-error" role="alert">${t(lang, "entry.invalid")}</p>`
    : null;
  return renderDocument({
    lang,
    title: t(lang, "entry.title"),
    nonce,
    script: false,
    head: html`<style nonce="${nonce}">${raw(FORM_CSS)}</style>`,
    body: html`<main data-page="manual-entry">
<section class="card">
<h1>${t(lang, "entry.title")}</h1>
<p class="lead">${t(lang, "entry.lead")}</p>
<form method="get" action="${o.action}" novalidate>
<label for="code">${t(lang, "entry.label")}</label>
<input class="codeinput" id="code" name="code" type="text" dir="ltr" value="${o.code ?? ""}" placeholder="${o.example ?? "7K2M9-QX4AB"}" maxlength="24" autocomplete="off" autocorrect="off" autocapitalize="characters" spellcheck="false" enterkeyhint="go" required autofocus${o.invalid ? raw(' aria-invalid="true" aria-describedby="code-error"') : ""}>
${error}
<button class="btn btn-primary" type="submit">${t(lang, "entry.button")}</button>
</form>
</section>
</main>`,
  });
}
