/**
 * `<qr-bridge>`: the embeddable QR widget, served by the bridge as `/sdk/qrbridge.js`.
 *
 * It creates a handoff (publishable key, or the site's own backend endpoint), shows its QR with
 * a countdown, renews it shortly before it expires while nobody has scanned it, follows the
 * status live, and fires `qrbridge:scanned`, `qrbridge:redeemed`, `qrbridge:expired`,
 * `qrbridge:error` (and `qrbridge:status` for every change) with `detail = {id, status, device}`.
 * Each code comes from one create request (embed-create.ts). A create that failed for want of
 * the network is tried again on its own, but not in a hidden tab (embed-retry.ts), a renewal's
 * with the live code left on display; a moved element keeps its code (embed-timers.ts).
 *
 * With `mode="login"` it creates a QR login instead, with a PKCE verifier made in the page:
 * after the scan it says "Confirm on your phone" (and warns if another phone tried the code),
 * and on approval fires `qrbridge:approved` with `{ticket, code_verifier}` for the page to post
 * to its own backend, which exchanges them; also `qrbridge:scanned`, `qrbridge:denied`,
 * `qrbridge:expired`, `qrbridge:warning` and `qrbridge:error`.
 *
 * @example
 * <script type="module" src="https://qr.example.com/sdk/qrbridge.js"></script>
 * <qr-bridge publishable-key="qb_pk_…" path="/cart/42" lang="ja"></qr-bridge>
 * <qr-bridge mode="login" publishable-key="qb_pk_…"></qr-bridge>
 */
import {
  LOGIN_FINAL,
  onPhone,
  phoneLink,
  type QrBridgeEventDetail,
  statusEvents,
} from "./embed-contract";
import { bridgeBase, requestCode } from "./embed-create";
import { AutoRetry, sendDecision } from "./embed-retry";
import { MoveGrace, startClock } from "./embed-timers";
import { buildView, drawCountdown, type EmbedView, qrImageUrl, renderView } from "./embed-view";
import { WordedElement } from "./embed-words";
import {
  type BridgeRequestError,
  decide,
  expiryMs,
  FINAL,
  type Handoff,
  watchHandoff,
} from "./watch";

export type { QrBridgeEventDetail } from "./embed-contract";

export class QrBridgeElement extends WordedElement {
  static observedAttributes = "publishable-key create-endpoint path ttl lang base mode".split(" ");

  // `declare`: no field initialiser, so a value set on the element before the module loaded
  // (before the upgrade) survives it.
  /** JSON handed once to the app that redeems the handoff (never put in the QR). Or the `payload` attribute (JSON). */
  declare payload: unknown;
  /**
   * String values handed to the app; `title` and `subtitle` are the landing page's heading only
   * through `create-endpoint` (a publishable key's words are not shown). Or the `metadata`
   * attribute (JSON).
   */
  declare metadata: Record<string, string> | undefined;

  #view: EmbedView;
  #handoff: Handoff | null = null;
  #state = "loading";
  #device: unknown;
  #errorCode = "";
  #renewals = 0;
  #stopWatch: (() => void) | null = null;
  /** Stops the countdown and the renewal and expiry timers of the code on display. */
  #stopClock = (): void => {};
  #abort: AbortController | null = null;
  #started = false;
  #restart: ReturnType<typeof setTimeout> | undefined;
  /** Removed for good (no reconnect within the grace): stop everything, timers and watch. */
  #grace = new MoveGrace(() => {
    clearTimeout(this.#restart);
    this.#stop();
    this.#started = false;
    document.removeEventListener("visibilitychange", this.#onVisible);
  });
  #retry = new AutoRetry(() => void this.#create());
  /** mode="login": the PKCE verifier of the login on display (never sent before the exchange). */
  #verifier = "";
  #warned = false;
  /** A phone cannot scan its own screen: it is offered the code's link instead. */
  #phone = onPhone(navigator);

  constructor() {
    super();
    const view = buildView(this.attachShadow({ mode: "open" }));
    this.#view = view;
    view.button.onclick = () => this.refresh();
    // confirm="pc": the PC approves or denies the phone that scanned.
    view.ask.onclick = (e) => {
      const action = (e.target as HTMLElement).dataset.a;
      if (!action || !this.#handoff) return;
      const h = this.#handoff;
      sendDecision(() => decide(h, this.#base, action)).catch((err: BridgeRequestError) =>
        this.#emit("qrbridge:error", { code: err.code, message: err.message }),
      );
    };
    view.img.onload = () => this.#emit("qrbridge:shown");
    // A refused image (a CSP without the bridge in img-src, the bridge down) leaves nothing to
    // scan: say so, offer a new code, and tell the page, instead of a broken image and a countdown.
    view.img.onerror = () => {
      if (this.#handoff)
        this.#fail("image", "the QR image did not load: is the bridge in img-src?");
    };
  }

  /** The handoff (or, with mode="login", the login) on display; null before the first one. */
  get handoff(): Handoff | null {
    return this.#handoff;
  }

  get #isLogin(): boolean {
    return this.getAttribute("mode") === "login";
  }

  /** loading, pending, scanned, awaiting_confirmation, approved, redeemed, expired, cancelled, denied, paused, error. */
  get status(): string {
    return this.#state;
  }

  get #base(): string {
    return bridgeBase(this);
  }

  connectedCallback(): void {
    document.addEventListener("visibilitychange", this.#onVisible);
    // Moved, not removed: the code on display, its watch and its countdown go on.
    if (this.#grace.connected()) return;
    // Start after the current task, so properties set right after insertion are included.
    this.#restart = setTimeout(() => this.refresh());
  }

  disconnectedCallback(): void {
    this.#grace.disconnected();
  }

  attributeChangedCallback(name: string, old: string | null, value: string | null): void {
    if (old === value) return;
    if (name === "lang") {
      this.redraw();
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
    this.#retry.reset();
    void this.#create();
  }

  /** Stop the code on display (watch, clock) and any request or automatic retry under way. */
  #stop(): void {
    this.#retry.cancel();
    this.#stopWatch?.();
    this.#stopWatch = null;
    this.#abort?.abort();
    this.#stopClock();
  }

  async #create(): Promise<void> {
    // The code on display stays live (and watched) until its replacement is ready; a renewal
    // that fails, or ends after that code was scanned, leaves it where it is.
    this.#abort?.abort();
    const renewal = this.#state === "pending" && this.#stopWatch !== null;
    if (!this.#handoff) this.#set("loading");
    const abort = new AbortController();
    this.#abort = abort;
    try {
      const code = await requestCode(this, this.#base, this.#isLogin, abort.signal);
      if (abort.signal.aborted || (renewal && this.#state !== "pending")) return;
      this.#stop();
      this.#retry.reset();
      this.#verifier = code.verifier;
      this.#show(code.handoff);
    } catch (err) {
      if (abort.signal.aborted) return;
      const e = err as BridgeRequestError;
      // A renewal that got no answer: its code is still live (or scanned meanwhile), so it
      // stays while the retry runs; that code's expiry, or its scan, ends the retry.
      if (renewal && (this.#state !== "pending" || this.#retry.failed(e))) return;
      this.#fail(e.code ?? "network", e.message);
      this.#retry.failed(e);
    }
  }

  /** Stop, show the error with its retry button, and tell the page (and its developer). */
  #fail(code: string, message: string): void {
    this.#stop();
    this.#errorCode = code;
    this.#handoff = null;
    this.#set("error");
    this.#emit("qrbridge:error", { code, message });
    console.warn(`<qr-bridge>: ${code}: ${message}`);
  }

  #show(h: Handoff): void {
    this.#handoff = h;
    this.#device = undefined;
    this.#warned = false;
    this.#view.img.src = qrImageUrl(h, this.#base, getComputedStyle(this));
    this.#set("pending");
    this.#stopClock = startClock(expiryMs(h), Number(this.getAttribute("ttl")) || 120, {
      tick: (end, total) => {
        if (this.#state === "pending") drawCountdown(this.#view, this.words(), end, total);
      },
      renew: () => this.#renew(),
      expire: () => this.#expire(),
    });
    const warn = () => {
      this.#warned = true;
      this.redraw();
      this.#emit("qrbridge:warning");
    };
    this.#stopWatch = watchHandoff(
      h,
      this.#base,
      (u) => this.#onStatus(u.status, u.device, u.ticket),
      this.#isLogin ? { kind: "logins", final: LOGIN_FINAL, onWarning: warn } : {},
    );
  }

  #renew(): void {
    if (this.#state !== "pending") return;
    const max = Number(this.getAttribute("max-renewals") ?? 10);
    // No endless codes for a tab nobody looks at: pause when hidden, stop after max renewals.
    if (document.visibilityState === "hidden" || this.#renewals >= max) return;
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

  #onStatus(status: string, device?: unknown, ticket?: string): void {
    if (status === this.#state) return;
    if (device !== undefined) this.#device = device;
    this.#set(status);
    // Scanned (or ended): no renewal any more, nor a retry of a failed one.
    if (status !== "pending") {
      this.#stopClock();
      this.#retry.cancel();
    }
    const login = this.#isLogin;
    if ((login ? LOGIN_FINAL : FINAL).has(status)) this.#stopWatch?.();
    for (const [type, extra] of statusEvents(status, login, ticket, this.#verifier))
      this.#emit(type, extra);
  }

  #set(state: string): void {
    this.#state = state;
    this.redraw();
  }

  protected redraw(): void {
    renderView(this.#view, {
      words: this.words(),
      state: this.#state,
      device: this.#device,
      errorCode: this.#errorCode,
      login: this.#isLogin,
      warned: this.#warned,
      link: this.#phone ? phoneLink(this.#handoff?.url, this.#isLogin) : "",
    });
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
