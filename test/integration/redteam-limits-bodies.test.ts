// Red team, JSON nested as deep as a 64 KiB body allows: the parser takes it, and whatever walks
// it after (the lone-surrogate check, the payload's size, the schemas) must answer a JSON 400 or
// 413, never a 500 from an overflowed call stack (`JSON.stringify` recurses: tens of thousands
// of levels overflow it in Node).
import { describe, expect, it } from "vitest";
import { call, mintKey } from "./helpers";

const arrays = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const objects = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

describe("redteam: deeply nested JSON bodies", () => {
  it("arrays 30,000 deep and objects 10,000 deep in every free-form field: 4xx JSON, never a 500", async () => {
    const key = await mintKey("secret", ["handoffs:write", "posters:write", "events:write"]);
    const bodies: [string, (nested: string) => string][] = [
      ["/v1/handoffs", (n) => `{"path":"/x","payload":${n}}`],
      ["/v1/handoffs", (n) => `{"path":"/x","metadata":${n}}`],
      ["/v1/handoffs", (n) => n],
      ["/v1/posters", (n) => `{"name":"n","path":"/x","params":${n}}`],
      ["/v1/posters/batch", (n) => `{"posters":${n}}`],
      ["/v1/events", (n) => `{"type":"converted","value":${n}}`],
    ];
    for (const [path, body] of bodies)
      for (const nested of [arrays(30_000), objects(10_000)]) {
        const res = await call(path, {
          method: "POST",
          key,
          body: body(nested),
          headers: { "content-type": "application/json" },
        });
        const what = `${path} ${body(nested).slice(0, 30)}`;
        expect(res.status, what).not.toBe(500);
        expect(res.headers.get("content-type"), what).toMatch(/^application\/json/);
        // A deep payload is past its 4 KiB; elsewhere the schema refuses the shape, or (an object
        // as the whole body, whose unknown keys are ignored) takes it.
        expect([201, 400, 413], what).toContain(res.status);
      }
  });
});
