// scripts/contract-doc-examples.mjs: which curls and answers of the docs `npm run check:contract`
// types against /openapi.json, and that a call of no operation is reported, not skipped.
import { describe, expect, it } from "vitest";
import {
  curlCalls,
  docExamplesModule,
  markedAnswers,
  operationPath,
  shellCommands,
  shownAnswerProblems,
  shownAnswers,
  topLevelKeys,
} from "../../scripts/contract-doc-examples.mjs";

const FENCE = "```";
const fence = (lang: string, ...lines: string[]) => [FENCE + lang, ...lines, FENCE].join("\n");

const DOC = {
  paths: {
    "/v1/posters": { post: { responses: { "201": {} } } },
    "/v1/posters/batch": { post: { responses: { "201": {} } } },
    "/v1/posters/{id}": { patch: { responses: { "200": {} } }, get: {} },
    "/v1/handoffs/{id}/approve": { post: { responses: { "200": {} } } },
  },
};

describe("shellCommands", () => {
  it("joins backslash continuations and a JSON body left open over lines, skipping comments", () => {
    const md = fence(
      "sh",
      "# the app's own key (a quote in a comment opens nothing)",
      "curl -s https://qr.example.com/v1/posters \\",
      '  -d \'{"name":"A",',
      '       "path":"/x"}\'',
      "echo done",
    );
    expect(shellCommands(md)).toEqual([
      { line: 2, command: "# the app's own key (a quote in a comment opens nothing)" },
      {
        line: 3,
        command:
          'curl -s https://qr.example.com/v1/posters    -d \'{"name":"A",\n       "path":"/x"}\'',
      },
      { line: 6, command: "echo done" },
    ]);
  });

  it("reads only shell blocks", () => {
    expect(shellCommands(fence("json", '{"a": "curl"}'))).toEqual([]);
  });
});

describe("curlCalls", () => {
  it("takes each JSON body sent to the bridge, with its method and path", () => {
    const md = fence(
      "sh",
      "curl -s -X PATCH https://qr.example.com/v1/posters/7K2M9Q?x=1 -H 'a: b' -d '{\"status\":\"paused\"}'",
      "curl -s localhost:8787/v1/posters/batch -d '{\"posters\":[]}'",
      'curl -s https://qr.example.com/v1/handoffs/$ID/approve -d "{\\"watch\\":\\"$WATCH\\"}"',
      "curl -s https://qr.example.com/v1/posters/7K2M9Q",
      "curl -s https://api.example.com/v1/posters -d '{\"a\":1}'",
    );
    expect(curlCalls(md, "docs/p.md")).toEqual([
      {
        where: "docs/p.md:2",
        method: "patch",
        path: "/v1/posters/7K2M9Q",
        body: { status: "paused" },
      },
      { where: "docs/p.md:3", method: "post", path: "/v1/posters/batch", body: { posters: [] } },
    ]);
  });
});

describe("markedAnswers", () => {
  it("takes a marked json block as its operation's answer, and refuses one that is not JSON", () => {
    const md = [
      "<!-- check:contract POST /v1/posters 201 -->",
      fence("json", '{"id": "7K2M9Q"}'),
      "",
      fence("json", '{"not": "marked"}'),
    ].join("\n");
    expect(markedAnswers(md, "docs/p.md")).toEqual([
      {
        where: "docs/p.md:3",
        method: "post",
        path: "/v1/posters",
        status: "201",
        body: { id: "7K2M9Q" },
      },
    ]);
    const broken = ["<!-- check:contract POST /v1/posters 201 -->", fence("json", "{id: 1}")].join(
      "\n",
    );
    expect(() => markedAnswers(broken, "docs/p.md")).toThrow(
      /docs\/p\.md:3: the marked answer is not JSON/,
    );
  });
});

describe("operationPath", () => {
  it("prefers a literal path, then fills a template's parameters", () => {
    expect(operationPath(DOC, "post", "/v1/posters/batch")).toBe("/v1/posters/batch");
    expect(operationPath(DOC, "patch", "/v1/posters/7K2M9Q")).toBe("/v1/posters/{id}");
    expect(operationPath(DOC, "post", "/v1/handoffs/$ID/approve")).toBe(
      "/v1/handoffs/{id}/approve",
    );
    expect(operationPath(DOC, "post", "/v1/posters/7K2M9Q")).toBeUndefined();
    expect(operationPath(DOC, "patch", "/v1/posters/7K2M9Q/print.svg")).toBeUndefined();
  });
});

describe("docExamplesModule", () => {
  it("types each call and answer as its operation's, and reports one of no operation", () => {
    const { text, problems } = docExamplesModule(
      [
        { where: "docs/p.md:2", method: "patch", path: "/v1/posters/7K2M9Q", body: { a: 1 } },
        { where: "docs/p.md:9", method: "put", path: "/v1/posters", body: {} },
      ],
      [
        {
          where: "docs/p.md:4",
          method: "post",
          path: "/v1/posters",
          status: "201",
          body: { b: 2 },
        },
        { where: "docs/p.md:7", method: "post", path: "/v1/posters", status: "200", body: {} },
      ],
      DOC,
    );
    expect(text).toContain(
      'export const docs_p_md_2: NonNullable<paths["/v1/posters/{id}"]["patch"]["requestBody"]>["content"]["application/json"] = {"a":1};',
    );
    expect(text).toContain(
      'export const docs_p_md_4: paths["/v1/posters"]["post"]["responses"][201]["content"]["application/json"] = {"b":2};',
    );
    expect(problems).toEqual([
      "docs/p.md:9: PUT /v1/posters is no operation",
      "docs/p.md:7: POST /v1/posters answers no 200",
    ]);
  });
});

describe("answers shown in comments", () => {
  it("reads the top-level keys of an abbreviated answer", () => {
    expect(topLevelKeys('201 {"id":"k_…","qr":{"svg":"…","png":"…"},"rows":[{"a":1}],…}')).toEqual([
      "id",
      "qr",
      "rows",
    ]);
    expect(topLevelKeys("referrer=qb_ref%3DS…")).toEqual([]);
  });

  it("pairs each # → comment with the curl before it, continued over comment lines", () => {
    const md = fence(
      "sh",
      'curl -s localhost:8787/v1/stores -d \'{"name":"A"}\'',
      '# → 201 {"id":"st_…","name":"A",',
      '#        "metadata":null}',
      'curl -s "localhost:8787/v1/stats/funnel?group_by=via" -H "authorization: Bearer $KEY"',
      '# → {"group_by":"via","rows":[…]}',
      "# → a comment with no call before it is no answer",
    );
    expect(shownAnswers(md, "README.md")).toEqual([
      {
        where: "README.md:3",
        method: "post",
        path: "/v1/stores",
        keys: ["id", "name", "metadata"],
      },
      { where: "README.md:6", method: "get", path: "/v1/stats/funnel", keys: ["group_by", "rows"] },
    ]);
  });

  it("reports a key no 2xx answer of the operation has, through $ref and oneOf", () => {
    const doc = {
      paths: {
        "/v1/resolve": {
          post: {
            responses: {
              "200": {
                content: { "application/json": { schema: { $ref: "#/components/schemas/Link" } } },
              },
              "400": { content: { "application/json": { schema: { properties: { error: {} } } } } },
            },
          },
        },
      },
      components: {
        schemas: {
          Link: {
            oneOf: [{ properties: { kind: {}, payload: {} } }, { properties: { params: {} } }],
          },
        },
      },
    };
    const shown = [
      {
        where: "README.md:9",
        method: "post",
        path: "/v1/resolve",
        keys: ["kind", "params", "error"],
      },
      { where: "README.md:12", method: "get", path: "/v1/nothing", keys: ["a"] },
    ];
    expect(shownAnswerProblems(shown, doc)).toEqual([
      "README.md:9: the answer shown has `error`, which no 2xx answer of POST /v1/resolve has",
      "README.md:12: GET /v1/nothing is no operation",
    ]);
  });
});
