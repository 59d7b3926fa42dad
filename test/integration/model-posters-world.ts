// The world of test/integration/model-posters.test.ts: a run's stores and posters made through
// the real Worker, the business's changes to them (poster PATCH and DELETE, store PATCH and
// DELETE) and the run's virtual clock, each change's answer checked and applied to the model
// (model-posters-model.ts). The scans, resolves and events are model-posters-run.ts's.
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { HopRow } from "../../src/core/hop-row";
import { zonedDay, zonedDayStart } from "../../src/core/time-zone";
import worker from "../../src/index";
import { atClock, runToEnd } from "./helpers";
import { DEPLOYMENT_ZONE, Model, type MPoster } from "./model-posters-model";
import { apiRequest, nextDay, type Op, type PosterChange, type Zone } from "./model-posters-ops";

/** How a run starts: its stores' zones and its posters' stores, campaigns and windows. */
export interface Setup {
  zones: Zone[];
  posters: { store: number | null; campaign: number | null; window: boolean; paused: boolean }[];
  /** Hours past the machine's clock the virtual clock starts (which local midnights come up). */
  hours: number;
}

/** A change of the world, as drawn. */
export type Change = Extract<Op, { op: "patch" | "delete" | "store" | "dropStore" | "clock" }>;

let runs = 0;

export class World {
  t: number;
  readonly start: number;
  m!: Model;
  readonly rows: HopRow[] = [];
  readonly log: string[] = [];
  protected readonly bindings: Record<string, unknown>;
  protected readonly send: (r: Request) => Promise<Response>;
  private readonly tag = `mp${Date.now().toString(36)}${++runs}`;

  constructor(
    protected readonly key: string,
    private readonly s: Setup,
  ) {
    this.t = Math.ceil(Date.now() / 1000) * 1000 + s.hours * 3_600_000 + 123;
    this.start = this.t;
    // Without the keyless endpoints' limiters: every run calls from one address, and limits
    // are not what this test is about (real codes are never limited anyway).
    this.bindings = {
      ...(env as unknown as Record<string, unknown>),
      CLIENT_LIMITER: undefined,
      FAILURE_LIMITER: undefined,
      HOPS: {
        send: async (body: { rows?: HopRow[] }) => void this.rows.push(...(body.rows ?? [])),
      },
    };
    this.send = runToEnd(this.bindings);
  }

  /**
   * A change through the API, in the same isolate as the scans, not waiting for its `waitUntil`
   * (a poster's change drops its cache entry once more 10 s later, in real time).
   */
  protected async change(r: Request): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await atClock(this.t, () =>
      worker.fetch(r, this.bindings as never, createExecutionContext()),
    );
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  private campaignName(c: number | null): string | null {
    return c === null ? null : `${this.tag}-campaign-${c}`;
  }

  /** Learn a campaign's id from a poster's answer (the same name keeps its id). */
  private sawCampaign(p: MPoster, body: Record<string, unknown>): void {
    if (p.campaign === null) {
      expect(body.campaign_id).toBeNull();
      return;
    }
    const known = this.m.campaignIds.get(p.campaign);
    if (known) expect(body.campaign_id).toBe(known);
    else this.m.campaignIds.set(p.campaign, body.campaign_id as string);
  }

  async create(): Promise<void> {
    const stores = [];
    for (const [i, zone] of this.s.zones.entries()) {
      const json = { name: `${this.tag} store ${i}`, time_zone: zone };
      const r = await this.change(apiRequest("POST", "/v1/stores", json, this.key));
      expect(r.status).toBe(201);
      stores.push({ id: r.body.id as string, name: json.name, zone, deleted: false });
    }
    this.m = new Model(stores, []);
    for (const [i, d] of this.s.posters.entries()) {
      const store = d.store === null ? null : d.store % stores.length;
      const p: MPoster = {
        id: "",
        code: "",
        url: "",
        path: `/menu/${i}`,
        params: { table: String(i) },
        store,
        campaign: this.campaignName(d.campaign),
        status: d.paused ? "paused" : "active",
        from: d.window ? this.t - 60_000 : null,
        until: d.window ? this.t + 3_600_000 : null,
        deleted: false,
        version: 1,
      };
      const json = {
        name: `poster ${i}`,
        path: p.path,
        params: p.params,
        store_id: store === null ? null : stores[store]!.id,
        campaign: p.campaign,
        status: p.status,
        ...(d.window ? { active_from: p.from, active_until: p.until } : {}),
      };
      const r = await this.change(apiRequest("POST", "/v1/posters", json, this.key));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      Object.assign(p, { id: r.body.id, code: r.body.code, url: r.body.url });
      expect(r.body.version).toBe(1);
      this.m.posters.push(p);
      this.sawCampaign(p, r.body);
    }
  }

  /** Apply a change: the answer the model expects, then the model moves with it. */
  async changeWorld(op: Change, where: string): Promise<void> {
    const m = this.m;
    switch (op.op) {
      case "patch":
        return this.patch(op.p % m.posters.length, op.change, op.version, where);
      case "delete": {
        const p = m.posters[op.p % m.posters.length]!;
        const r = await this.change(
          apiRequest("DELETE", `/v1/posters/${p.id}`, undefined, this.key),
        );
        expect(r.status, where).toBe(p.deleted ? 404 : 200);
        if (r.status === 200) {
          p.version++;
          expect(r.body).toMatchObject({ status: "revoked", version: p.version });
        }
        p.deleted = true;
        p.status = "revoked";
        return;
      }
      case "store": {
        const store = m.stores[op.s % m.stores.length]!;
        const json: Record<string, unknown> = {};
        if (op.name) json.name = `${store.name.split(" v")[0]} v${this.log.length}`;
        if (op.zone !== undefined) json.time_zone = op.zone;
        if (Object.keys(json).length === 0) return;
        const r = await this.change(apiRequest("PATCH", `/v1/stores/${store.id}`, json, this.key));
        expect(r.status, `${where}\n${JSON.stringify(r.body)}`).toBe(store.deleted ? 404 : 200);
        if (store.deleted) return;
        if (op.name) store.name = json.name as string;
        if (op.zone !== undefined) store.zone = op.zone;
        expect(r.body).toMatchObject({ name: store.name, time_zone: store.zone });
        return;
      }
      case "dropStore": {
        const s = op.s % m.stores.length;
        const store = m.stores[s]!;
        const r = await this.change(
          apiRequest("DELETE", `/v1/stores/${store.id}`, undefined, this.key),
        );
        // Deleted posters count: their stats name the store.
        const named = m.posters.some((p) => p.store === s);
        expect(r.status, where).toBe(store.deleted ? 404 : named ? 409 : 200);
        if (r.status === 200) store.deleted = true;
        return;
      }
      case "clock":
        this.t = Math.max(this.t, this.target(op));
        return;
    }
  }

  private target(op: Extract<Op, { op: "clock" }>): number {
    const m = this.m;
    if (op.to === "tick") return this.t + 1_000;
    if (op.to === "memory") return this.t + 10_001;
    if (op.to === "kv") return this.t + 300_001;
    // Past a session's 7 days: its links start new visits, its events are refused.
    if (op.to === "week") return this.t + 7 * 86_400_000 + op.delta;
    if (op.to === "edge") {
      const p = m.posters[op.k % m.posters.length]!;
      const edges = [p.from, p.until].filter((e): e is number => e !== null && e > this.t);
      return edges.length ? Math.min(...edges) + op.delta : this.t;
    }
    const zone = m.stores[op.k % m.stores.length]!.zone ?? DEPLOYMENT_ZONE;
    return zonedDayStart(nextDay(zonedDay(this.t, zone)), zone) + op.delta;
  }

  private async patch(
    i: number,
    change: PosterChange,
    version: "none" | "current" | "ahead",
    where: string,
  ): Promise<void> {
    const p = this.m.posters[i]!;
    const json: Record<string, unknown> = {};
    // With `version`, the change applies only at that version.
    if (version !== "none") json.version = version === "current" ? p.version : p.version + 1;
    const next: MPoster = { ...p };
    if ("status" in change) next.status = json.status = change.status;
    if ("path" in change) {
      next.path = json.path = change.path;
      next.params = json.params = change.params;
    }
    if ("window" in change) {
      const at = (d: number | null | undefined) => (d == null ? d : this.t + d);
      if (change.window.from !== undefined) next.from = json.active_from = at(change.window.from)!;
      if (change.window.until !== undefined)
        next.until = json.active_until = at(change.window.until)!;
    }
    let noStore = false;
    if ("store" in change) {
      next.store = change.store === null ? null : change.store % this.m.stores.length;
      json.store_id = next.store === null ? null : this.m.stores[next.store]!.id;
      noStore = next.store !== null && this.m.stores[next.store]!.deleted;
    }
    if ("campaign" in change) next.campaign = json.campaign = this.campaignName(change.campaign);
    const r = await this.change(apiRequest("PATCH", `/v1/posters/${p.id}`, json, this.key));
    const answer = `${where}\n${JSON.stringify(r.body)}`;
    const backFromRevoked = p.status === "revoked" && next.status !== "revoked";
    // The store is checked before the poster is read.
    if (noStore) {
      expect(r.status, answer).toBe(400);
      return expect(r.body).toMatchObject({ details: { field: "store_id" } });
    }
    if (p.deleted || backFromRevoked) return expect(r.status, answer).toBe(409);
    if (version === "ahead") {
      expect(r.status, answer).toBe(409);
      return expect(r.body).toMatchObject({ details: { version: p.version } });
    }
    if (next.from !== null && next.until !== null && next.from >= next.until)
      return expect(r.status, answer).toBe(400);
    expect(r.status, answer).toBe(200);
    Object.assign(p, next, { version: p.version + 1 });
    expect(r.body, answer).toMatchObject({
      status: p.status,
      path: p.path,
      params: p.params,
      store_id: p.store === null ? null : this.m.stores[p.store]!.id,
      campaign: p.campaign,
      active_from: p.from,
      active_until: p.until,
      version: p.version,
    });
    this.sawCampaign(p, r.body);
  }
}
