// Model-based test of API keys: random lifecycles — mint (secret, publishable, store, temporary),
// roll (any grace, 0 included), edit, revoke (each through the API, or in another isolate that
// does not tell this one), delete a key's store, move the clock onto and past every end — and
// between them random keys (live, in their grace, past it, revoked, expired, forged, the admin
// key, none) used on one cheap operation per permission, with and without an Origin, on the
// handoffs other keys made, and through console sessions. Every answer is held to what the docs
// say (model-keys-model.ts); none may be a 5xx. A change through the API applies at the next
// request (this isolate answered it); one made elsewhere within 30 s; an expiry on every request.
import { env } from "cloudflare:workers";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import { rollKey, updateKey } from "../../src/store/key-changes";
import { BASE, call } from "./helpers";
import { T0 } from "./key-roll-helpers";
import {
  LOOKUP_CACHE_MS,
  type MintInput,
  type ModelKey,
  type Scope,
  SESSION_MS,
} from "./model-keys-model";
import { isChange, listed, type Op, opArb, PROBES, SESSION_PROBES, SETUP } from "./model-keys-ops";
import { freshClient, Runner } from "./model-keys-runner";

afterEach(() => vi.useRealTimers());

const db = (env as unknown as { DB: D1Database }).DB;
const by = { actor: "admin", via: "api" as const };
const DEFAULT_GRACE = 86_400;

/** One random lifecycle, run against the Worker and the model side by side. */
async function lifecycle(ops: Op[], start: number): Promise<void> {
  const r = new Runner(start);
  const { m } = r;
  for (const name of ["model store A", "model store B"]) {
    const res = await r.admin("POST", "/v1/stores", { name });
    expect(res.status).toBe(201);
    m.stores.push({ id: ((await res.json()) as { id: string }).id, deletedAt: null });
  }
  /** The model's successor of `key`, rolled to `id` whose text is `text`, ending at `ends`. */
  const successor = (
    key: ModelKey,
    id: string,
    text: string,
    ends: { old: number; new: number | null },
  ) => {
    key.expiresAt = ends.old;
    key.rolledTo = id;
    m.keys.push({ ...key, id, text, expiresAt: ends.new, rolledTo: null });
  };

  for (const [i, op] of [...SETUP, ...ops].entries()) {
    m.seq = i;
    const change = isChange(op) ? op : undefined;
    const changed = change && r.nth(m.keys, change.k);
    let probe = change?.probe ?? 0;
    let patch = op.op === "edit" ? op.patch : {};
    if (op.op === "edit" && op.narrow && changed && changed.scopes.length > 1) {
      const dropped = changed.scopes[op.probe % changed.scopes.length]!;
      patch = { ...patch, scopes: changed.scopes.filter((s) => s !== dropped) };
      probe = PROBES.findIndex((p) => p.scope === dropped);
    }
    if (change && changed) await r.use({ kind: "key", key: changed }, probe, change.origin);
    switch (op.op) {
      case "mint": {
        const input: MintInput = { name: "model key", ...op.input };
        if (op.store !== undefined) input.store_id = m.stores[op.store]?.id ?? "st_no_such_store";
        if (op.expiresIn !== undefined) input.expires_at = m.now + op.expiresIn;
        const res = await r.admin("POST", "/v1/keys", input);
        const got = await r.check(`mint ${JSON.stringify(input)}`, res, [m.mint(input)]);
        if (got.status !== 201) break;
        const b = got.body as { id: string; key: string; scopes: Scope[]; expires_at: unknown };
        const scopes = [...new Set(input.scopes)];
        expect(b.scopes).toEqual(scopes);
        expect(b.expires_at).toBe(input.expires_at ?? null);
        m.keys.push({
          ...{ id: b.id, text: b.key, kind: input.kind, scopes, origins: input.origins ?? [] },
          ...{ storeId: input.store_id ?? null, expiresAt: input.expires_at ?? null },
          ...{ revoked: false, rolledTo: null, family: b.id },
        });
        break;
      }
      case "roll": {
        const key = r.nth(m.keys, op.k);
        if (!key) break;
        const grace = op.expiresIn ?? DEFAULT_GRACE;
        const bad = grace < 0 || grace > 604_800;
        if (op.where === "elsewhere") {
          if (bad) break;
          const want = m.roll(key, grace);
          const out = await rollKey(db, key.id, grace, m.now, by);
          r.elsewhere(`roll ${key.id} (${grace} s)`, out.kind, want);
          if (out.kind !== "ok") break;
          expect(out.old.expires_at).toBe(want.oldEnd);
          m.changingElsewhere();
          successor(key, out.record.id, out.key, { old: want.oldEnd!, new: want.newEnd! });
          break;
        }
        const body = op.expiresIn === undefined ? undefined : { expires_in: op.expiresIn };
        const want = bad ? { status: 400, field: "expires_in" } : m.roll(key, grace);
        const res = await r.admin("POST", `/v1/keys/${key.id}/roll`, body);
        const got = await r.check(`roll ${key.id} ${JSON.stringify(body)}`, res, [want]);
        if (got.status !== 201 || !("oldEnd" in want)) break;
        const b = got.body as { id: string; key: string; expires_at: unknown; rolled_from: string };
        expect((got.body.previous as { expires_at: number }).expires_at).toBe(want.oldEnd);
        expect(b.expires_at).toBe(want.newEnd);
        expect(b.rolled_from).toBe(key.id);
        successor(key, b.id, b.key, { old: want.oldEnd!, new: want.newEnd! });
        m.forgotLookups();
        break;
      }
      case "edit": {
        const key = r.nth(m.keys, op.k);
        if (!key) break;
        const want = m.edit(key, patch);
        let landed: boolean;
        if (op.where === "elsewhere") {
          const out = await updateKey(db, key.id, patch, m.now, by);
          r.elsewhere(`edit ${key.id} ${JSON.stringify(patch)}`, out.kind, want);
          landed = out.kind === "ok";
          if (landed) m.changingElsewhere();
        } else {
          const res = await r.admin("PATCH", `/v1/keys/${key.id}`, patch);
          const got = await r.check(`edit ${key.id} ${JSON.stringify(patch)}`, res, [want]);
          landed = got.status === 200;
          if (landed) m.forgotLookups();
        }
        if (!landed) break;
        if (patch.scopes) key.scopes = [...new Set(patch.scopes)];
        if (patch.origins) key.origins = [...new Set(patch.origins)];
        const row = await db
          .prepare("SELECT scopes FROM api_keys WHERE id = ?")
          .bind(key.id)
          .first<{ scopes: string }>();
        expect(JSON.parse(row!.scopes)).toEqual(key.scopes);
        break;
      }
      case "revoke": {
        const key = r.nth(m.keys, op.k);
        if (!key) break;
        const want = m.revoke(key);
        let landed: boolean;
        if (op.where === "elsewhere") {
          const { meta } = await db
            .prepare("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
            .bind(m.now, key.id)
            .run();
          r.elsewhere(`revoke ${key.id}`, meta.changes ? "ok" : "not_found", want);
          landed = meta.changes > 0;
          if (landed) m.changingElsewhere();
        } else {
          const res = await r.admin("DELETE", `/v1/keys/${key.id}`);
          landed = (await r.check(`revoke ${key.id}`, res, [want])).status === 200;
          m.forgotLookups();
        }
        if (landed) key.revoked = true;
        break;
      }
      case "deleteStore": {
        const store = m.stores[op.s]!;
        const res = await r.admin("DELETE", `/v1/stores/${store.id}`);
        const got = await r.check(`delete store ${store.id}`, res, [m.deleteStore(store)]);
        if (got.status !== 200) break;
        // Not a change to a key: a lookup this isolate remembers keeps the store for 30 s.
        m.changingElsewhere();
        store.deletedAt = m.now;
        break;
      }
      case "clock":
      case "clockToEnd": {
        const ends = m.endsAhead();
        const to =
          op.op === "clock"
            ? m.now + op.by
            : (ends[op.nth % Math.max(ends.length, 1)] ?? m.now + 1) + op.offset;
        r.setClock(Math.max(m.now, to));
        if (op.op === "clock") break;
        // The keys at their end (or a millisecond before it), and their console sessions.
        for (const key of m.keys.filter(
          (k) => k.expiresAt === m.now || k.expiresAt === m.now + 1,
        )) {
          await r.use({ kind: "key", key }, op.probe, 0);
          const session = m.sessions.findLast((s) => s.keyId === key.id);
          if (session) await r.consoleUse(session, op.probe % SESSION_PROBES.length);
        }
        break;
      }
      case "use": {
        const cred = r.credOf(op.cred);
        if (cred) await r.use(cred, op.probe, op.origin);
        break;
      }
      case "readHandoff": {
        const handoff = r.nth(m.handoffs, op.h);
        const cred = r.credOf(op.cred);
        if (handoff && cred) await r.readHandoff(handoff, cred);
        break;
      }
      case "signIn": {
        const cred = r.credOf(op.cred);
        if (!cred || cred.kind === "none") break;
        const res = await call("/dashboard/login", {
          method: "POST",
          headers: {
            "content-type": "application/x-www-form-urlencoded",
            ...{ origin: BASE, "cf-connecting-ip": freshClient() },
          },
          body: new URLSearchParams({ key: r.bearerOf(cred)! }).toString(),
          redirect: "manual",
        });
        const cookie = res.headers.get("set-cookie")?.split(";")[0];
        const got = await r.check(`sign in with ${r.nameOf(cred)}`, res, m.signIn(cred));
        if (got.status !== 303) break;
        const keyId = cred.kind === "key" ? cred.key.id : "admin";
        m.sessions.push({ cookie: cookie!, keyId, expiresAt: m.now + SESSION_MS });
        break;
      }
      case "list": {
        const res = await r.admin("GET", "/v1/keys");
        const got = await r.check("list keys", res, [{ status: 200 }]);
        const rows = (got.body as { keys: (Record<string, unknown> & { id: string })[] }).keys;
        for (const key of m.keys) {
          const row = rows.find((r) => r.id === key.id);
          if (!row && rows.length === 500) continue; // past the listing's 500 newest
          const { revoked_at, ...rest } = row ?? { id: key.id };
          expect({ ...rest, revoked: revoked_at !== null }).toMatchObject(listed(key));
        }
        break;
      }
      case "session": {
        const session = r.nth(m.sessions, op.s);
        if (session) await r.consoleUse(session, op.probe);
        break;
      }
    }
    if (!change || !changed) continue;
    // After the change: the key, and its console session (which reads the key's row).
    const after = async () => {
      await r.use({ kind: "key", key: changed }, probe, change.origin);
      const session = m.sessions.findLast((s) => s.keyId === changed.id);
      if (session) await r.consoleUse(session, probe % SESSION_PROBES.length);
    };
    await after();
    if (change.wait) {
      r.setClock(m.now + LOOKUP_CACHE_MS);
      await after();
    }
    // After a roll, the successor too: it makes a handoff, and each key of the two opens the
    // newest handoff either made (one caller through the grace).
    const next = m.keys.find((k) => k.id === changed.rolledTo);
    if (op.op !== "roll" || !next) continue;
    await r.use({ kind: "key", key: next }, probe, change.origin);
    await r.use({ kind: "key", key: next }, 0, change.origin);
    const made = m.handoffs.findLast((h) => h.by === changed.id || h.by === next.id);
    if (!made) continue;
    await r.readHandoff(made, { kind: "key", key: next });
    await r.readHandoff(made, { kind: "key", key: changed });
  }
}

describe("API keys against their model", () => {
  it("random lifecycles: every answer is what the docs say, none a 5xx", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 10, maxLength: 60 }), async (ops) => {
        // Each run on a clock of its own, forty days after the last: no run's keys, sessions or
        // remembered lookups meet another's.
        await lifecycle(ops, T0 + run++ * 40 * 86_400_000);
      }),
      { seed: 20261207, numRuns: 25 },
    );
  }, 120_000);
});
