// Model-based test of posters, their stores and their scans: random sequences of what a business
// does to printed codes (pause, resume, revoke, retarget, windows, moves, delete, store renames
// and time zone changes), what people, previewers and apps do with them (scans, resolves,
// events), and time (window edges, local midnights, past the caches' lifetimes), run against the
// real Worker in workerd, each answer checked against the model of docs/posters.md
// (model-posters-model.ts). Everything runs in one isolate, the one that makes the changes, so
// docs/posters.md promises every change at the next scan: the model allows no cache delay. At
// the end of a run the hops the Worker sent (each once-only id once) are the model's, with the
// store, campaign and local day of the moment each was recorded.
import fc from "fast-check";
import { beforeAll, describe, it } from "vitest";
import { mintKey } from "./helpers";
import { type Op, type PosterChange, ZONES } from "./model-posters-ops";
import { Run, type Setup } from "./model-posters-run";

let key: string;
let statsKey: string;
beforeAll(async () => {
  key = await mintKey("secret", ["posters:write"]);
  statsKey = await mintKey("secret", ["stats:read"]);
});

const zoneArb = fc.constantFrom(...ZONES);
const setupArb: fc.Arbitrary<Setup> = fc.record({
  zones: fc.array(zoneArb, { minLength: 1, maxLength: 3 }),
  posters: fc.array(
    fc.record({
      store: fc.option(fc.nat(2), { freq: 4 }),
      campaign: fc.option(fc.nat(1), { freq: 2 }),
      window: fc.boolean(),
      paused: fc.constantFrom(true, ...Array<boolean>(4).fill(false)),
    }),
    { minLength: 2, maxLength: 4 },
  ),
  hours: fc.nat(47),
});

const offsetArb = fc.constantFrom(-3_600_000, -1, 0, 1_000, 60_000, 86_400_000);
const changeArb: fc.Arbitrary<PosterChange> = fc.oneof(
  fc.record({
    status: fc.constantFrom("active", "active", "paused", "revoked"),
  }) as fc.Arbitrary<PosterChange>,
  fc.record({
    path: fc.constantFrom("/menu/dinner", "/cart?from=poster", "/a/b-c_d"),
    params: fc.dictionary(fc.constantFrom("table", "seat", "x.y"), fc.string({ maxLength: 5 }), {
      maxKeys: 2,
    }),
  }),
  fc.record({
    window: fc.record(
      { from: fc.option(offsetArb), until: fc.option(offsetArb) },
      { requiredKeys: [] },
    ),
  }),
  fc.record({ store: fc.option(fc.nat(2)) }),
  fc.record({ campaign: fc.option(fc.nat(2)) }),
);

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("scan" as const),
      p: fc.nat(3),
      who: fc.constantFrom("person", "person", "person", "slackbot", "prefetch", "head"),
      link: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("resolve" as const),
      p: fc.nat(3),
      link: fc.constantFrom("bare", "own", "own", "other", "scheme", "referrer"),
      bot: fc.constantFrom(true, ...Array<boolean>(4).fill(false)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("event" as const),
      s: fc.nat(3),
      type: fc.constantFrom("app_open", "converted"),
      bot: fc.constantFrom(true, ...Array<boolean>(5).fill(false)),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant("patch" as const),
      p: fc.nat(3),
      change: changeArb,
      version: fc.constantFrom("none", "none", "current", "ahead"),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("delete" as const), p: fc.nat(3) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("dropStore" as const), s: fc.nat(2) }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("manual" as const), p: fc.nat(3), typo: fc.boolean() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("store" as const),
      s: fc.nat(2),
      name: fc.boolean(),
      zone: fc.option(zoneArb, { nil: undefined }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant("clock" as const),
      to: fc.constantFrom("tick", "memory", "kv", "edge", "edge", "midnight", "midnight", "week"),
      k: fc.nat(3),
      delta: fc.constantFrom(-1, 0, 0, 1),
    }),
  },
);

async function play(setup: Setup, ops: Op[]): Promise<void> {
  const run = new Run(key, setup);
  await run.create();
  for (const op of ops) await run.exec(op);
  run.finish();
  await run.funnel(statsKey);
}

describe("posters, stores and scans against the model of docs/posters.md", () => {
  it("random sequences of changes, scans, resolves, events and time", async () => {
    await fc.assert(
      fc.asyncProperty(setupArb, fc.array(opArb, { minLength: 4, maxLength: 12 }), play),
      {
        seed: 20261208,
        numRuns: 30,
      },
    );
  }, 120_000);

  it("deleted and revoked codes while their stores are renamed and change zones", async () => {
    // One or two stores holding every poster, two posters: a change of a store reaches the
    // posters scanned around it, deleted ones too.
    const shared = setupArb.map(
      (s): Setup => ({
        ...s,
        zones: s.zones.slice(0, 2),
        posters: s.posters.slice(0, 2).map((p, i) => ({ ...p, store: p.store ?? i })),
      }),
    );
    const ops = fc.oneof(
      { weight: 4, arbitrary: opArb.filter((o) => o.op === "scan" || o.op === "resolve") },
      { weight: 1, arbitrary: opArb.filter((o) => o.op === "delete") },
      {
        weight: 2,
        arbitrary: opArb.filter((o) => o.op === "store" && (o.name || o.zone !== undefined)),
      },
      { weight: 1, arbitrary: opArb.filter((o) => o.op === "clock" || o.op === "patch") },
    );
    await fc.assert(
      fc.asyncProperty(shared, fc.array(ops, { minLength: 4, maxLength: 12 }), play),
      {
        seed: 20261213,
        numRuns: 40,
      },
    );
  }, 120_000);
});
