// The runner of test/integration/model-posters.test.ts: on the world of model-posters-world.ts
// (stores, posters, their changes, the virtual clock), each drawn scan, resolve, event or manual
// entry sent at the run's virtual time (`atClock`), every answer compared with the model's
// (model-posters-model.ts), and at the end the hops the Worker sent compared with the model's,
// as a multiset.
import { expect } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { installReferrer } from "../../src/core/install-referrer";
import { atClock, BASE } from "./helpers";
import { checkFunnel } from "./model-posters-funnel";
import { hopMultiset, type MHop, type MSession } from "./model-posters-model";
import {
  eventRequest,
  type Op,
  resolveRequest,
  scanRequest,
  schemeLink,
  typed,
} from "./model-posters-ops";
import { type Change, World } from "./model-posters-world";

export type { Setup } from "./model-posters-world";

export class Run extends World {
  /** The newest session of poster `p`, if the Worker gave one. */
  private sessionOf(p: number): MSession | null {
    return this.m.sessions.findLast((s) => s.poster === p) ?? null;
  }

  async exec(op: Op): Promise<void> {
    const label = `${JSON.stringify(op)} at ${new Date(this.t).toISOString()}`;
    this.log.push(label);
    const m = this.m;
    const where = `${label}\n${this.log.join("\n")}`;
    switch (op.op) {
      case "scan": {
        const p = m.posters[op.p % m.posters.length]!;
        const i = m.posters.indexOf(p);
        const link = op.link ? this.sessionOf(i) : null;
        const url = link ? `${p.url}?s=${link.token}` : p.url;
        const person = op.who === "person";
        const res = await atClock(this.t, () => this.send(scanRequest(url, op.who)));
        const html = await res.text();
        const want = m.scan(i, this.t, person, link, "JP");
        expect(res.status, where).toBe(want.status);
        expect(res.headers.get("cache-control"), where).toContain("no-store");
        if (op.who === "head") return expect(html).toBe("");
        const store = m.storeName(p);
        if (store) expect(html, `${where}: the store's current name`).toContain(store);
        const token = /[?&]s=([0-9A-Z]{42})/.exec(html)?.[1] ?? null;
        if (want.session === "none") return expect(token, where).toBeNull();
        if (want.session === "reused") return expect(token, where).toBe(link!.token);
        expect(token, where).not.toBeNull();
        expect(token).not.toBe(link?.token);
        m.addSession(token!, i, false, this.t);
        return;
      }
      case "resolve": {
        const i = op.p % m.posters.length;
        const p = m.posters[i]!;
        const other = m.sessions.findLast((s) => s.poster !== i) ?? null;
        const link = op.link === "bare" ? null : op.link === "other" ? other : this.sessionOf(i);
        if (op.link === "referrer" && link)
          return this.referrer(m.sessions.indexOf(link), op.bot, where);
        const url =
          op.link === "scheme"
            ? schemeLink(p.url, p.path, link?.token ?? null)
            : link
              ? `${p.url}?s=${link.token}`
              : p.url;
        const res = await atClock(this.t, () => this.send(resolveRequest({ url }, op.bot)));
        const body = (await res.json()) as Record<string, unknown>;
        const want = m.resolve(i, this.t, op.bot, link);
        expect(res.status, `${where}\n${JSON.stringify(body)}`).toBe(want.status);
        if (want.status === 400) return expect(body.error).toBe("invalid_token");
        if (want.status === 410)
          return expect(body, where).toMatchObject({
            error: "gone",
            details: { status: want.reason, store_name: m.storeName(p) },
          });
        const attribution = body.attribution as Record<string, unknown>;
        expect(body, where).toMatchObject({
          kind: "poster",
          id: p.id,
          path: p.path,
          params: p.params,
          attribution: {
            poster_id: p.id,
            store_id: m.storeOf(p)?.id ?? null,
            store_name: m.storeName(p),
            campaign_id: m.campaignId(p),
          },
        });
        expect(Object.keys(body.params as object).sort()).toEqual(Object.keys(p.params).sort());
        const token = attribution.session as string;
        if (!want.fresh) return expect(token, where).toBe(link!.token);
        const s = m.addSession(token, i, op.bot, this.t);
        m.resolvedFresh(s, this.t, op.bot);
        return;
      }
      case "event": {
        if (m.sessions.length === 0) return;
        const s = m.sessions.length - 1 - (op.s % m.sessions.length);
        const session = m.sessions[s]!;
        const res = await atClock(this.t, () =>
          this.send(eventRequest(session.token, op.type, op.bot)),
        );
        const body = (await res.json()) as Record<string, unknown>;
        const status = m.event(s, op.type, this.t, op.bot);
        expect(res.status, `${where}\n${JSON.stringify(body)}`).toBe(status);
        if (status !== 202) return expect(body.error).toBe("expired");
        const p = m.posters[session.poster]!;
        expect(body.attribution, where).toMatchObject({
          poster_id: p.id,
          store_id: m.storeOf(p)?.id ?? null,
          campaign_id: m.campaignId(p),
        });
        return;
      }
      case "manual": {
        const p = m.posters[op.p % m.posters.length]!;
        const code = typed(`${p.code.slice(0, 5)}-${p.code.slice(5)}`, op.typo);
        const res = await atClock(this.t, () =>
          this.send(scanRequest(`${BASE}/c?code=${encodeURIComponent(code)}`, "person")),
        );
        await res.arrayBuffer();
        if (op.typo) return expect(res.status, where).toBe(400);
        expect(res.status, where).toBe(303);
        // Always a path on this origin, to the scan that counts.
        expect(res.headers.get("location"), where).toBe(`/p/${p.code}`);
        return this.exec({ op: "scan", p: m.posters.indexOf(p), who: "person", link: false });
      }
      default:
        return this.changeWorld(op as Change, where);
    }
  }

  /** A resolve of session `s`'s Play install referrer. */
  private async referrer(s: number, bot: boolean, where: string): Promise<void> {
    const m = this.m;
    const session = m.sessions[s]!;
    const p = m.posters[session.poster]!;
    const referrer = `utm_source=qr&${installReferrer("session", session.token)}`;
    const res = await atClock(this.t, () => this.send(resolveRequest({ referrer }, bot)));
    const body = (await res.json()) as Record<string, unknown>;
    const want = m.referrer(s, this.t, bot);
    expect(res.status, `${where}\n${JSON.stringify(body)}`).toBe(want.status);
    if (want.reason === "expired") return expect(body.error).toBe("expired");
    if (want.status === 410)
      return expect(body).toMatchObject({ error: "gone", details: { status: want.reason } });
    expect(body, where).toMatchObject({
      id: p.id,
      path: p.path,
      attribution: { store_id: m.storeOf(p)?.id ?? null, session: session.token },
    });
  }

  /** The end of a run: the hops the Worker sent for this run's posters are the model's. */
  finish(): void {
    const ids = new Set(this.m.posters.map((p) => p.id));
    const ours = this.rows.filter((r) => r.poster_id !== null && ids.has(r.poster_id));
    const unique = new Map<string, HopRow>();
    for (const r of ours) if (!unique.has(r.event_id)) unique.set(r.event_id, r);
    const got: MHop[] = [...unique.values()].map((r) => {
      const reason =
        r.hop === "rejected" ? (JSON.parse(r.detail!) as { reason: string }).reason : undefined;
      return {
        hop: r.hop,
        subject: r.subject_id,
        store: r.store_id,
        campaign: r.campaign_id,
        bot: r.bot,
        day: r.day,
        country: r.country,
        ...(reason ? { reason } : {}),
      };
    });
    expect(hopMultiset(got), this.log.join("\n")).toEqual(hopMultiset(this.m.hops));
  }

  /** The funnel of each poster, once the consumer counted every hop the run sent, is the model's. */
  async funnel(statsKey: string): Promise<void> {
    // Wide enough for every store's local days, in the reporting zone (UTC).
    const days: [string, string] = [
      new Date(this.start - 2 * 86_400_000).toISOString().slice(0, 10),
      new Date(this.t + 2 * 86_400_000).toISOString().slice(0, 10),
    ];
    const ids = this.m.posters.map((p) => p.id);
    await checkFunnel(
      this.rows,
      this.m.hops,
      ids,
      days,
      this.t,
      this.send,
      statsKey,
      this.log.join("\n"),
    );
  }
}
