// The console's CSV import through the session proxy: a batch sent again with its key (a network
// failure midway, the same file imported again) writes nothing twice.
import { describe, expect, it } from "vitest";
import { importBatchKey } from "../../src/client/console/csv.js";
import { consoleCall, editorSession } from "./console-helpers";
import { postersNamed, unique } from "./idempotency-helpers";

describe("the console's import batches", () => {
  it("the same file's batch sent twice through the console creates its posters once", async () => {
    const { session } = await editorSession();
    const name = unique("console import");
    const file = `name,path\n${name},/a\n${name},/b`;
    const posters = [
      { name, path: "/a" },
      { name, path: "/b" },
    ];
    const headers = { "idempotency-key": await importBatchKey(file, 0, posters) };
    const first = await consoleCall(session, "POST", "/v1/posters/batch", { posters }, headers);
    expect(first.status).toBe(201);
    const again = await consoleCall(session, "POST", "/v1/posters/batch", { posters }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await first.json());
    expect(await postersNamed(name)).toBe(2);
  });
});
