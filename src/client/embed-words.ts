/**
 * What `<qr-bridge>` (embed.ts) says things with: the language its `lang` attribute, else the
 * page's `<html lang>`, else the browser asks for (i18n.ts), that language's texts once they are
 * here, and the shop's own wording of any of them (the `texts` property). Apart from the element,
 * which keeps the codes, timers and events.
 */
import { bridgeBase } from "./embed-create";
import { type Catalog, overTexts, pickLang, type Words, wordsFor } from "./i18n";

export abstract class WordedElement extends HTMLElement {
  #texts: Partial<Catalog> | undefined;

  constructor() {
    super();
    // Set before the module loaded (before the upgrade), `texts` is the element's own
    // property, which hides the accessor: take it over.
    const own = Object.getOwnPropertyDescriptor(this, "texts");
    if (own) {
      delete (this as { texts?: unknown }).texts;
      this.#texts = own.value;
    }
  }

  /** A shop's own wording of any text (the keys of langs/en.ts), over its language's. */
  get texts(): Partial<Catalog> | undefined {
    return this.#texts;
  }

  set texts(texts: Partial<Catalog> | undefined) {
    this.#texts = texts ?? undefined;
    this.redraw();
  }

  /** Draw the element again: its words changed (a catalog arrived, `texts` was set). */
  protected abstract redraw(): void;

  /**
   * The words to draw with now; their `texts` null while the language's catalog is on its way.
   *
   * @example
   * renderView(this.view, { words: this.words(), state, … });
   */
  protected words(): Words {
    const lang = pickLang(
      this.getAttribute("lang"),
      document.documentElement.lang,
      navigator.language,
    );
    const words = wordsFor(lang, bridgeBase(this), () => this.redraw());
    const own = this.#texts;
    return words.texts && own ? { ...words, texts: overTexts(words.texts, own) } : words;
  }
}
