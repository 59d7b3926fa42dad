// A kit that fails to load (src/routes/lazy-modules.ts) is a 503 JSON error that the next
// request retries, never a 500 nor a failure kept for the isolate's life.
import type { Context } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../src/app-env";
import { ApiError } from "../../src/core/errors";
import { handleError } from "../../src/routes/errors";

const context = { req: { method: "GET", path: "/v1/stores" } } as unknown as Context<AppEnv>;

const KITS = [
  ["admin", "../../src/admin-kit"],
  ["print", "../../src/print-kit"],
  ["browser", "../../src/browser-kit"],
] as const;

describe.each(KITS)("the %s kit, when it fails to load", (name, source) => {
  afterEach(() => {
    vi.doUnmock(source);
    vi.resetModules();
  });

  it("is a 503 `unavailable` with Retry-After; the next request loads it", async () => {
    vi.resetModules();
    let broken = true;
    vi.doMock(source, () => {
      if (broken) throw new Error("no such module");
      return { marker: () => name };
    });
    const lazy = await import("../../src/routes/lazy-modules");
    const load = { admin: lazy.adminKit, print: lazy.printKit, browser: lazy.browserKit }[name];
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const failed = await load().catch((err: unknown) => err);
    expect(failed instanceof ApiError).toBe(true);
    const res = handleError(failed as Error, context);
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe(String(lazy.KIT_RETRY_AFTER));
    expect(((await res.json()) as { error: string }).error).toBe("unavailable");
    expect(error).toHaveBeenCalledOnce();
    error.mockRestore();

    broken = false;
    const kit = await load();
    expect((kit as unknown as { marker: () => string }).marker()).toBe(name);
    expect(await load()).toBe(kit);
  });
});
