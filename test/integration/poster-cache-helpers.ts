// Helpers for the poster cache race tests: the real KV namespace with its reads or writes held,
// standing in for a scan in another isolate whose KV call is slow to answer or to land.

/**
 * The real KV namespace, with its reads (or writes) held: a read reads at once but answers only
 * after `release()`; a write is sent only then. `reached` resolves once one was held, `deleted`
 * once a delete was sent.
 */
export function heldKv(kv: KVNamespace, method: "get" | "put") {
  let release = () => {};
  const released = new Promise<void>((r) => {
    release = r;
  });
  let reach = () => {};
  const reached = new Promise<void>((r) => {
    reach = r;
  });
  let deleting = () => {};
  const deleted = new Promise<void>((r) => {
    deleting = r;
  });
  const held = new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      const fn = (value as (...a: unknown[]) => Promise<unknown>).bind(target);
      if (prop === "delete")
        return (...args: unknown[]) => {
          deleting();
          return fn(...args);
        };
      if (prop !== method) return fn;
      return async (...args: unknown[]) => {
        if (method === "put") {
          reach();
          await released;
          return fn(...args);
        }
        const answer = await fn(...args);
        reach();
        await released;
        return answer;
      };
    },
  });
  return { kv: held, reached, deleted, release };
}
