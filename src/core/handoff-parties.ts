/**
 * Who takes part in a handoff besides the PC page that shows it: the kind of key that made it
 * and the phones that scan and claim it, as the handoff's record keeps them (core/handoff.ts).
 */

/**
 * Who made a handoff: `server`, a secret key (or the admin key), or `page`, a publishable key —
 * public, so anyone may have made it with any payload. The app reads it before trusting one.
 */
export type HandoffCreator = "server" | "page";

/** The scanning (or redeeming) device, as much as the request told. */
export interface HandoffDevice {
  platform: string;
  os: string | null;
  browser: string | null;
  in_app: string | null;
  country: string | null;
}
