// The commands of the QR login model test, as fast-check generates them: who does what, with
// symbolic handles and claims that model-login-driver.ts turns into concrete calls.
import fc from "fast-check";
import type { Caller, Link, Phone } from "./model-login-model";

export type HandleOf = "A" | "B" | "stale" | "madeup";
/** A command as generated: who does what, with symbolic handles and claims. */
export type Cmd =
  | {
      k: "scan";
      phone: Phone;
      claim: "mine" | "none" | "fresh";
      link: Link;
    }
  | { k: "open"; link: Link }
  | { k: "approve"; by: Caller; handle: HandleOf; subject: 0 | 1; claims: 0 | 1; sameNet: boolean }
  | { k: "deny"; by: Caller; handle: HandleOf }
  | { k: "get"; as: Caller | "watch" | "wrong_watch" }
  | {
      k: "exchange";
      by: Caller;
      ticket: "real" | "forged";
      verifier: "right" | "wrong";
      approvedBy: "backend" | "other" | null;
    }
  | { k: "wait"; to: "qr" | "window" | "ticket" | "purge"; off: -1 | 0 }
  | { k: "sleep"; ms: number }
  | { k: "alarm" };

const phone = fc.constantFrom<Phone>("A", "A", "B");
const handle = fc.constantFrom<HandleOf>("A", "A", "A", "B", "stale", "madeup");
const requestCmd: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant("scan" as const),
      phone,
      claim: fc.constantFrom("mine", "mine", "none", "fresh"),
      link: fc.constantFrom<Link>("real", "real", "real", "real", "forged", "expired"),
    }),
  },
  {
    // The link opened in a browser (a camera without the app, a previewer): changes nothing.
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant("open" as const),
      link: fc.constantFrom<Link>("real", "real", "forged", "expired"),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant("approve" as const),
      by: fc.constantFrom<Caller>("backend", "backend", "backend", "other", "publishable"),
      handle,
      subject: fc.constantFrom<0 | 1>(0, 0, 1),
      claims: fc.constantFrom<0 | 1>(0, 1),
      sameNet: fc.boolean(),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("deny" as const),
      by: fc.constantFrom<Caller>("none", "none", "backend", "publishable"),
      handle,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constant("get" as const),
      as: fc.constantFrom("watch", "watch", "backend", "publishable", "none", "wrong_watch"),
    }) as fc.Arbitrary<Cmd>,
  },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constant("exchange" as const),
      by: fc.constantFrom<Caller>("backend", "backend", "backend", "publishable", "none"),
      ticket: fc.constantFrom("real", "real", "real", "forged"),
      verifier: fc.constantFrom("right", "right", "right", "wrong"),
      approvedBy: fc.constantFrom(null, null, "backend", "other"),
    }),
  },
);
const timeCmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({
    k: fc.constant("wait" as const),
    to: fc.constantFrom("qr", "window", "ticket", "purge"),
    off: fc.constantFrom<-1 | 0>(-1, 0),
  }),
  fc.record({ k: fc.constant("sleep" as const), ms: fc.constantFrom(1, 999, 5_000, 29_000) }),
  fc.constant({ k: "alarm" as const }),
);
export const commandArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 5, arbitrary: requestCmd },
  { weight: 2, arbitrary: timeCmd },
);
const SCAN_A: Cmd = { k: "scan", phone: "A", claim: "mine", link: "real" };
const APPROVE_A: Cmd = {
  k: "approve",
  by: "backend",
  handle: "A",
  subject: 0,
  claims: 1,
  sameNet: false,
};
const EXCHANGE: Cmd = {
  k: "exchange",
  by: "backend",
  ticket: "real",
  verifier: "right",
  approvedBy: null,
};
/**
 * The way forward — scan, approve, exchange, and the ticket replayed — in its variants (no
 * claim, a proximity policy, another key, a wrong verifier, the approver required), of which a
 * run takes the first `n` steps.
 */
const forwardArb = fc.tuple(
  fc.constantFrom<Cmd>(SCAN_A, SCAN_A, { ...SCAN_A, claim: "none" }),
  fc.constantFrom<Cmd>(
    APPROVE_A,
    APPROVE_A,
    { ...APPROVE_A, sameNet: true },
    { ...APPROVE_A, by: "other" },
  ),
  fc.constantFrom<Cmd>(
    EXCHANGE,
    EXCHANGE,
    { ...EXCHANGE, verifier: "wrong" },
    { ...EXCHANGE, approvedBy: "backend" },
    { ...EXCHANGE, approvedBy: "other" },
  ),
  fc.constantFrom<Cmd>(EXCHANGE, { ...EXCHANGE, verifier: "wrong" }),
);

/**
 * Up to `max` commands: a prefix of the way forward, with random commands around and between
 * its steps (without it, most runs would never get past a scan).
 */
export const commandsArb = (max: number) =>
  fc
    .tuple(
      fc.integer({ min: 0, max: 4 }),
      forwardArb,
      fc.array(commandArb, { maxLength: max - 4 }),
      fc.array(fc.nat(max), { minLength: 4, maxLength: 4 }),
    )
    .map(([n, forward, noise, at]) => {
      const out = [...noise];
      const places = at.slice(0, n).sort((a, b) => a - b);
      for (const [i, p] of places.entries())
        out.splice(Math.min(p + i, out.length), 0, forward[i]!);
      return out;
    });

const times = (cmd: Cmd) => fc.integer({ min: 2, max: 5 }).map((n) => Array<Cmd>(n).fill(cmd));
/**
 * 2–5 calls fired at once: the races a busy day brings (one app's scan retries, two phones,
 * approve and deny, one ticket exchanged by several calls, right and wrong verifier), or any mix.
 */
export const burstArb: fc.Arbitrary<Cmd[]> = fc.oneof(
  times(SCAN_A),
  fc.constant<Cmd[]>([SCAN_A, { ...SCAN_A, phone: "B" }]),
  fc.constant<Cmd[]>([APPROVE_A, { k: "deny", by: "none", handle: "A" }]),
  times(APPROVE_A),
  times(EXCHANGE),
  fc.constant<Cmd[]>([EXCHANGE, { ...EXCHANGE, verifier: "wrong" }]),
  fc.array(requestCmd, { minLength: 2, maxLength: 5 }),
);

export const setupArb = fc.record({
  creator: fc.constantFrom<"publishable" | "backend">("publishable", "backend"),
  ttl: fc.constantFrom<number | undefined>(undefined, 30, 45, 120, 300),
});
