/**
 * `<qr-bridge>`: the embeddable QR widget, served by the bridge as `/sdk/qrbridge.js`.
 *
 * It creates a handoff (publishable key, or the site's own backend endpoint), shows its QR with
 * a countdown, renews it shortly before it expires while nobody has scanned it, follows the
 * status live, and fires `qrbridge:scanned`, `qrbridge:redeemed`, `qrbridge:expired`,
 * `qrbridge:error` (and `qrbridge:status` for every change) with `detail = {id, status, device}`.
 *
 * @example
 * <script type="module" src="https://qr.example.com/sdk/qrbridge.js"></script>
 * <qr-bridge publishable-key="qb_pk_…" path="/cart/42" lang="zh"></qr-bridge>
 */
import { deviceName, type Lang, pickLang, type TextKey, t } from "./i18n";
import { adoptStyle, hexColor } from "./style";
import {
  type BridgeRequestError,
  createHandoff,
  decide,
  expiryMs,
  FINAL,
  type Handoff,
  parseJson,
  watchHandoff,
} from "./watch";

/** Detail of the `qrbridge:*` events. */
export interface QrBridgeEventDetail {
  id: string | null;
  status: string;
  device?: unknown;
  code?: string;
  message?: string;
}

// A drawn phone, not an emoji: machines without an emoji font would show a box.
const PHONE =
  '<svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" stroke-width="1.5"><rect x="6" y="2" width="12" height="20" rx="2.5"/><path d="M10.5 18.5h3"/></svg>';
/** Seconds before expiry at which an unscanned code is replaced. */
const RENEW_BEFORE_S = 10;
// The module's own location: /sdk/qrbridge.js under the bridge's base URL.
const DEFAULT_BASE = new URL("..", import.meta.url).href.replace(/\/$/, "");

export class QrBridgeElement extends HTMLElement {
  static observedAttributes = ["publishable-key", "create-endpoint", "path", "ttl", "lang", "base"];

  // `declare`: no field initialiser, so a value set on the element before the module loaded
  // (before the upgrade) survives it.
  /** JSON handed once to the app that redeems the handoff (never put in the QR). Or the `payload` attribute (JSON). */
  declare payload: unknown;
  /** String values shown on the landing page (`title`, `subtitle`). Or the `metadata` attribute (JSON). */
  declare metadata: Record<string, string> | undefined;

  #root: ShadowRoot;
  #qr: HTMLElement;
  #img: HTMLImageElement;
  #mark: HTMLElement;
  #status: HTMLElement;
  #count: HTMLElement;
  #bar: HTMLElement;
  #button: HTMLButtonElement;
  #ask: HTMLElement;
  #handoff: Handoff | null = null;
  #state = "loading";
  #device: unknown;
  #errorCode = "";
  #renewals = 0;
  #stopWatch: (() => void) | null = null;
  #timers: ReturnType<typeof setTimeout>[] = [];
  #tick: ReturnType<typeof setInterval> | undefined;
  #abort: AbortController | null = null;
  #started = false;
  #restart: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    this.#root.innerHTML = `<div class="b" part="box"><div class="q" part="qr"><img part="image" width="200" height="200"><div class="m" aria-hidden="true"></div></div><p class="s" part="status" role="status" aria-live="polite"></p><p class="c" part="countdown"></p><div class="bar" aria-hidden="true"><i></i></div><button type="button" class="r" part="button" hidden></button><div class="ask" part="confirm" hidden><button type="button" data-a="approve"></button> <button type="button" data-a="deny"></button></div></div>`;
    adoptStyle(this.#root);
    const $ = <T extends Element>(s: string) => this.#root.querySelector(s) as unknown as T;
    this.#qr = $(".q");
    this.#img = $("img");
    this.#mark = $(".m");
    this.#status = $(".s");
    this.#count = $(".c");
    this.#bar = $(".bar i");
    this.#button = $(".r");
    this.#button.onclick = () => this.refresh();
    this.#ask = $(".ask");
    // confirm="pc": the PC approves or denies the phone that scanned.
    this.#ask.onclick = (e) => {
      const action = (e.target as HTMLElement).dataset.a;
      if (!action || !this.#handoff) return;
      decide(this.#handoff, this.#base, action).catch((err: BridgeRequestError) =>
        this.#emit("qrbridge:error", { code: err.code, message: err.message }),
      );
    };
    this.#img.onload = () => this.#emit("qrbridge:shown");
  }

  /** The handoff on display (null before the first one is created). */
  get handoff(): Handoff | null {
    return this.#handoff;
  }

  /** loading, pending, scanned, awaiting_confirmation, approved, redeemed, expired, cancelled, denied, paused, error. */
  get status(): string {
    return this.#state;
  }

  get #lang(): Lang {
    return pickLang(this.getAttribute("lang"), document.documentElement.lang, navigator.language);
  }

  get #base(): string {
    return (this.getAttribute("base") || DEFAULT_BASE).replace(/\/+$/, "");
  }

  connectedCallback(): void {
    // Start after the current task, so properties set right after insertion are included.
    this.#restart = setTimeout(() => this.refresh());
    document.addEventListener("visibilitychange", this.#onVisible);
  }

  disconnectedCallback(): void {
    clearTimeout(this.#restart);
    this.#stop();
    this.#started = false;
    document.removeEventListener("visibilitychange", this.#onVisible);
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === "lang") {
      this.#render();
      return;
    }
    if (!this.#started) return;
    clearTimeout(this.#restart);
    this.#restart = setTimeout(() => this.refresh(), 50);
  }

  /** Replace the code with a new one now (also what the "Show a new code" button does). */
  refresh(): void {
    this.#started = true;
    this.#renewals = 0;
    void this.#create();
  }

  #stop(): void {
    this.#stopWatch?.();
    this.#stopWatch = null;
    this.#abort?.abort();
    for (const id of this.#timers) clearTimeout(id);
    this.#timers = [];
    clearInterval(this.#tick);
  }

  async #create(): Promise<void> {
    // The code on display stays live (and watched) until its replacement is ready.
    this.#abort?.abort();
    if (!this.#handoff) this.#set("loading");
    const abort = new AbortController();
    this.#abort = abort;
    const ttl = Number(this.getAttribute("ttl"));
    const body: Record<string, unknown> = {
      path: this.getAttribute("path") ?? undefined,
      ttl: ttl > 0 ? ttl : undefined,
      payload: this.payload ?? parseJson(this.getAttribute("payload")),
      metadata: this.metadata ?? parseJson(this.getAttribute("metadata")),
      confirm: this.getAttribute("confirm") === "pc" ? "pc" : undefined,
    };
    try {
      const h = await createHandoff({
        base: this.#base,
        publishableKey: this.getAttribute("publishable-key"),
        endpoint: this.getAttribute("create-endpoint"),
        body,
        signal: abort.signal,
      });
      if (abort.signal.aborted) return;
      this.#stop();
      this.#show(h);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.#stop();
      const e = err as BridgeRequestError;
      this.#errorCode = e.code ?? "network";
      this.#handoff = null;
      this.#set("error");
      this.#emit("qrbridge:error", { code: this.#errorCode, message: e.message });
    }
  }

  #show(h: Handoff): void {
    this.#handoff = h;
    this.#device = undefined;
    const src = new URL(h.qr.svg, `${this.#base}/`);
    const style = getComputedStyle(this);
    const fg = hexColor(style.getPropertyValue("--qb-fg").trim());
    const bg = hexColor(style.getPropertyValue("--qb-bg").trim());
    if (fg) src.searchParams.set("fg", fg);
    if (bg) src.searchParams.set("bg", bg);
    this.#img.src = src.href;
    this.#set("pending");
    const expires = expiryMs(h);
    const now = Date.now();
    // A clock far off the server's would make the countdown nonsense: trust the requested ttl then.
    const ttl = Number(this.getAttribute("ttl")) || 120;
    const end = expires > now && expires - now < 3_600_000 ? expires : now + ttl * 1000;
    const total = end - now;
    const tick = () => {
      const left = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      if (this.#state !== "pending") return;
      this.#count.textContent = t(this.#lang, "expiresIn", {
        t: `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`,
      });
      this.#bar.style.transform = `scaleX(${Math.max(0, (end - Date.now()) / total)})`;
    };
    tick();
    this.#tick = setInterval(tick, 1000);
    this.#timers.push(
      setTimeout(() => this.#renew(), Math.max(1000, end - Date.now() - RENEW_BEFORE_S * 1000)),
      setTimeout(() => this.#expire(), Math.max(0, end - Date.now())),
    );
    this.#stopWatch = watchHandoff(h, this.#base, (u) => this.#onStatus(u.status, u.device));
  }

  #renew(): void {
    if (this.#state !== "pending") return;
    const max = Number(this.getAttribute("max-renewals") ?? 10);
    // No endless codes for a tab nobody looks at: pause when hidden, stop after max renewals.
    if (document.visibilityState === "hidden") return;
    if (this.#renewals >= max) return;
    this.#renewals++;
    void this.#create();
  }

  #expire(): void {
    if (this.#state !== "pending") return;
    this.#stop();
    if (document.visibilityState === "hidden") this.#set("paused");
    else this.#onStatus("expired");
  }

  #onVisible = (): void => {
    if (document.visibilityState === "visible" && this.#state === "paused") void this.#create();
  };

  #onStatus(status: string, device?: unknown): void {
    if (status === this.#state) return;
    if (device !== undefined) this.#device = device;
    this.#set(status);
    if (status !== "pending") {
      clearInterval(this.#tick);
      for (const id of this.#timers) clearTimeout(id);
      this.#timers = [];
    }
    if (FINAL.has(status)) this.#stopWatch?.();
    this.#emit("qrbridge:status");
    if (status === "scanned" || status === "redeemed" || status === "expired") {
      this.#emit(`qrbridge:${status}`);
    }
  }

  #set(state: string): void {
    this.#state = state;
    this.#render();
  }

  #render(): void {
    const lang = this.#lang;
    const s = this.#state;
    this.#qr.dataset.s = s;
    this.#img.alt = t(lang, "alt");
    const device = deviceName(this.#device);
    const key: TextKey = s === "scanned" ? (device ? "scanned" : "scannedAny") : (s as TextKey);
    const who = device || t(lang, "thisPhone");
    this.#status.textContent = t(lang, key, { device: who, code: this.#errorCode });
    this.#mark.innerHTML = s === "redeemed" ? "✓" : PHONE;
    this.#ask.hidden = s !== "awaiting_confirmation";
    for (const b of this.#ask.children) {
      b.textContent = t(lang, (b as HTMLElement).dataset.a as TextKey);
    }
    if (s !== "pending") this.#count.textContent = "";
    (this.#bar.parentElement as HTMLElement).hidden = s !== "pending";
    const retry = s === "expired" || s === "error" || s === "cancelled" || s === "paused";
    this.#button.hidden = !retry;
    this.#button.textContent = t(lang, "refresh");
  }

  #emit(type: string, extra: Partial<QrBridgeEventDetail> = {}): void {
    const detail: QrBridgeEventDetail = {
      id: this.#handoff?.id ?? null,
      status: this.#state,
      device: this.#device,
      ...extra,
    };
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }
}

if (!customElements.get("qr-bridge")) customElements.define("qr-bridge", QrBridgeElement);

declare global {
  interface HTMLElementTagNameMap {
    "qr-bridge": QrBridgeElement;
  }
}
