// D1 creates with and without `Idempotency-Key`: a poster (in a store and an existing campaign,
// with its audit row). With the key, the claim is one D1 write before the create, and the sealed
// answer rides in the create's own batch (store/idempotency.ts `answerStatements`).

import { times } from "./budget-seed.mjs";

/** A poster create as the two paths send it; `idem` adds the header. */
const posterCreate = ({ key, store, idem }) => [
  "/v1/posters",
  {
    key,
    headers: idem ? { "idempotency-key": idem } : {},
    json: { name: "bench create", path: "/menu", store_id: store, campaign: "bench" },
  },
];

export const CREATE_PATHS = [
  {
    name: "poster create (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      return times(n, () => ({ key: s.secret, store: s.hot.store_id }));
    },
    request: posterCreate,
    status: 201,
  },
  {
    name: "poster create with Idempotency-Key (secret key cached)",
    async prepare(s, n) {
      await s.cacheKeys();
      const idem = () => `bench-${crypto.randomUUID()}`;
      return times(n, () => ({ key: s.secret, store: s.hot.store_id, idem: idem() }));
    },
    request: posterCreate,
    status: 201,
  },
];
