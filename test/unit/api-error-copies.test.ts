// An ApiError thrown by a kit's own copy of core/errors.ts (each kit is a bundle of its own:
// src/routes/lazy-modules.ts) is answered as what it says: a print kit's `validation_failed`
// was a 500 `internal_error` in the deployed Worker, where the tests, importing the sources,
// never saw it.
import { build } from "esbuild";
import type { Context } from "hono";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../src/app-env";
import { ApiError } from "../../src/core/errors";
import { handleError } from "../../src/routes/errors";

/** A copy of core/errors.ts bundled on its own, as each kit carries one. */
async function kitCopy(): Promise<typeof import("../../src/core/errors")> {
  const out = await build({
    entryPoints: ["src/core/errors.ts"],
    bundle: true,
    write: false,
    format: "esm",
    minify: true,
  });
  const text = Buffer.from(out.outputFiles[0]!.contents).toString("base64");
  return import(/* @vite-ignore */ `data:text/javascript;base64,${text}`);
}

const context = { req: { method: "GET", path: "/v1/x" } } as unknown as Context<AppEnv>;

describe("an ApiError of a kit's copy of core/errors.ts", () => {
  it("is an ApiError to the main bundle, answered with its own status and details", async () => {
    const copy = await kitCopy();
    expect(copy.ApiError).not.toBe(ApiError);
    const err = new copy.ApiError("validation_failed", "ids: too many glyphs", { field: "ids" });
    expect(err instanceof ApiError).toBe(true);
    const res = handleError(err, context);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "validation_failed",
      message: "ids: too many glyphs",
      details: { field: "ids", fields: [{ field: "ids", message: "too many glyphs" }] },
    });
  });

  it("nothing else is: an Error, a look-alike object, null", () => {
    const lookAlike = Object.assign(new Error("x"), { code: "forbidden", status: 403 });
    for (const value of [new Error("x"), lookAlike, { code: "forbidden" }, null, "forbidden"])
      expect(value instanceof ApiError).toBe(false);
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    expect(handleError(lookAlike, context).status).toBe(500);
    error.mockRestore();
  });
});
