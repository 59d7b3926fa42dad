// The requests of model-keys.test.ts, each held to the model as it is answered: a lifecycle's
// model, its clock, and the trail of what it sent (printed with a failure).
import { expect } from "vitest";
import { ADMIN_KEY, call } from "./helpers";
import { clockAt } from "./key-roll-helpers";
import { type Credential, KeyModel, type ModelSession, type Outcome } from "./model-keys-model";
import { type Pick, PROBES, SENT_ORIGINS, SESSION_PROBES } from "./model-keys-ops";

let clients = 0;
/**
 * A client address of its own per request (its own /64, in the documentation prefix 3fff::/20
 * that no other test file uses): no per-client budget is what refuses.
 */
export const freshClient = () => {
  clients++;
  return `3fff:6b65:${(clients >> 16).toString(16)}:${(clients & 0xffff).toString(16)}::1`;
};

/** The answer's status, error code and details, and its body. */
export async function outcomeOf(
  res: Response,
): Promise<Outcome & { body: Record<string, unknown> }> {
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An HTML page (the console's sign-in) or a redirect: its status says it.
  }
  const details = (body.details ?? {}) as { reason?: string; field?: string };
  const error = typeof body.error === "string" ? body.error : undefined;
  return { status: res.status, error, reason: details.reason, field: details.field, body };
}

/** Whether `got` is the outcome `want` (on what `want` names). */
export const matches = (got: Outcome, want: Outcome) =>
  got.status === want.status &&
  (want.error === undefined || got.error === want.error) &&
  (want.reason === undefined || got.reason === want.reason) &&
  (want.field === undefined || got.field === want.field);

/** A store function's answer as the API's outcome: `ok`, or a refusal's kind. */
export const kindOf = (want: Outcome) =>
  want.status < 300 ? "ok" : want.status === 400 ? "invalid" : (want.reason ?? want.error);

export class Runner {
  readonly m: KeyModel;
  readonly log: string[] = [];
  constructor(readonly start: number) {
    this.m = new KeyModel(start);
    clockAt(start);
  }

  /** Hold an answer to the outcomes the model allows (and never a 5xx); the answer. */
  async check(what: string, res: Response, want: Outcome[]) {
    const got = await outcomeOf(res);
    this.log.push(`${this.m.seq}. ${what} → ${got.status} ${got.error ?? ""}`);
    const trail = `\n${this.log.join("\n")}\nallowed: ${JSON.stringify(want)}\ngot: ${JSON.stringify(got.body)}`;
    expect(got.status, trail).toBeLessThan(500);
    expect(
      want.some((w) => matches(got, w)),
      trail,
    ).toBe(true);
    return got;
  }

  /** Hold a change made in another isolate (a store function's answer) to the model. */
  elsewhere(what: string, got: string, want: Outcome): void {
    this.log.push(`${this.m.seq}. elsewhere: ${what} → ${got}`);
    expect(got, this.log.join("\n")).toBe(kindOf(want));
  }

  admin(method: string, path: string, json?: unknown): Promise<Response> {
    return call(path, { method, key: ADMIN_KEY, json });
  }

  setClock(ms: number): void {
    this.m.now = ms;
    clockAt(ms);
    this.log.push(`${this.m.seq}. clock → start + ${ms - this.start} ms`);
  }

  /** The `i`th of `list`: from the end when negative, else modulo its length. */
  nth<T>(list: T[], i: number): T | undefined {
    return i < 0 ? list[Math.max(list.length + i, 0)] : list[i % Math.max(list.length, 1)];
  }

  credOf(p: Pick): Credential | null {
    if (p.c === "key") {
      const key = this.nth(this.m.keys, p.k);
      return key ? { kind: "key", key } : null;
    }
    if (p.c === "forged")
      return { kind: "forged", text: `${p.prefix}${crypto.randomUUID().replaceAll("-", "")}` };
    return { kind: p.c };
  }

  bearerOf(cred: Credential): string | undefined {
    if (cred.kind === "admin") return ADMIN_KEY;
    if (cred.kind === "forged") return cred.text;
    return cred.kind === "key" ? cred.key.text : undefined;
  }

  nameOf(cred: Credential): string {
    return cred.kind === "key"
      ? `${cred.key.id} (${cred.key.kind}, ${cred.key.family})`
      : cred.kind;
  }

  /** A bearer request to probe `p` with `cred` from origin `o`; a handoff it made is kept. */
  async use(cred: Credential, p: number, o: number): Promise<void> {
    const probe = PROBES[p]!;
    const origin = SENT_ORIGINS[o]!;
    const headers: Record<string, string> = { "cf-connecting-ip": freshClient() };
    if (origin) headers.origin = origin;
    const res = await call(probe.path, {
      ...{ method: probe.method, key: this.bearerOf(cred), json: probe.json, headers },
    });
    const what = `${probe.name} with ${this.nameOf(cred)} from ${origin}`;
    const got = await this.check(what, res, this.m.bearer(probe, cred, origin));
    if (probe.path === "/v1/handoffs" && got.status === 201) {
      const id = (got.body as { id: string }).id;
      this.m.handoffs.push({ id, by: cred.kind === "key" ? cred.key.id : "admin" });
    }
  }

  /** `GET /v1/handoffs/:id` with `cred`. */
  async readHandoff(handoff: { id: string; by: string }, cred: Credential): Promise<void> {
    const res = await call(`/v1/handoffs/${handoff.id}`, { key: this.bearerOf(cred) });
    const what = `read handoff ${handoff.id} of ${handoff.by} with ${this.nameOf(cred)}`;
    await this.check(what, res, this.m.readHandoff(handoff, cred));
  }

  /** A console session's GET of session probe `p`. */
  async consoleUse(session: ModelSession, p: number): Promise<void> {
    const probe = SESSION_PROBES[p]!;
    const res = await call(`/dashboard/api${probe.path}`, {
      headers: { cookie: session.cookie, "cf-connecting-ip": freshClient() },
    });
    const want = [this.m.session(probe, session)];
    await this.check(`console: ${probe.name} as ${session.keyId}`, res, want);
  }
}
