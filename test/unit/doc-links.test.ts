// Every relative link and #anchor of the README and docs/*.md leads somewhere
// (scripts/check-links.mjs), and the check itself catches what a reworded heading or a moved
// file breaks.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  anchors,
  brokenLinks,
  documentPaths,
  links,
  missingPaths,
  slug,
  unknownCommands,
} from "../../scripts/check-links.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** brokenLinks over in-memory documents under /repo (a missing key is a missing file). */
function brokenIn(files: Record<string, string>) {
  const byPath = new Map(Object.entries(files).map(([p, text]) => [join("/repo", p), text]));
  const read = (abs: string) => {
    const text = byPath.get(abs);
    if (text === undefined) throw new Error(`ENOENT ${abs}`);
    return text;
  };
  return brokenLinks(Object.keys(files), "/repo", read);
}

describe("the repository's documents", () => {
  it("have no broken relative link or anchor", () => {
    const paths = documentPaths(ROOT);
    expect(paths).toContain("README.md");
    expect(paths).toContain("docs/handoffs.md");
    expect(brokenLinks(paths, ROOT)).toEqual([]);
  });

  it("name only files that exist (the changelog's names are history)", () => {
    const prose = documentPaths(ROOT).filter((p) => p !== "CHANGELOG.md");
    expect(missingPaths(prose, ROOT)).toEqual([]);
    expect(unknownCommands(prose, ROOT)).toEqual([]);
  });
});

describe("unknownCommands", () => {
  it("reports an npm script package.json lacks and a benchmark bench/ lacks", () => {
    const text = [
      "npm run dev -- --port 8788 and npm run check:docs",
      "npm run bench -- qr postrs, npm run bench -- cpu",
    ].join("\n");
    const unknown = unknownCommands(["README.md"], "/repo", {
      read: () => text,
      scripts: ["dev", "bench"],
      exists: (p) => p === "/repo/bench/qr.mjs",
    });
    expect(unknown.map((u) => [u.line, u.reason])).toEqual([
      [1, "no script check:docs in package.json"],
      [2, "no benchmark bench/postrs.mjs"],
    ]);
  });
});

describe("missingPaths", () => {
  const text = [
    "The rates are `RATE_BASES` in src/core/funnel.ts; run `node bench/store.mjs`.",
    "Renamed since: src/core/funnels.ts, and scripts/gone/.",
    "Patterns and routes are no files: test/integration/redteam-<area>-*.test.ts, `/__bench/empty`,",
    "src/routes/{id}.ts. Built, so absent from a fresh clone: src/generated/print-kit.js.",
  ].join("\n");
  const existing = new Set(["/repo/src/core/funnel.ts", "/repo/bench/store.mjs"]);
  const missing = missingPaths(["docs/a.md"], "/repo", {
    exists: (p) => existing.has(p),
    read: () => text,
  });

  it("reports each name of a file that does not exist, with its line", () => {
    expect(missing.map((m) => [m.line, m.target])).toEqual([
      [2, "src/core/funnels.ts"],
      [2, "scripts/gone"],
    ]);
  });
});

describe("brokenLinks", () => {
  it("reports a link to a file that does not exist", () => {
    const broken = brokenIn({ "README.md": "Intro.\n\nSee [stats](docs/stat.md).\n" });
    expect(broken).toEqual([
      { file: "README.md", line: 3, target: "docs/stat.md", reason: "no file docs/stat.md" },
    ]);
  });

  it("reports an anchor that another document does not have, and passes the one it has", () => {
    const broken = brokenIn({
      "README.md": "[ok](docs/posters.md#print-kit) [reworded](docs/posters.md#print-kits)\n",
      "docs/posters.md": "# Posters\n\n## Print kit\n",
    });
    expect(broken.map((b) => b.target)).toEqual(["docs/posters.md#print-kits"]);
    expect(broken[0]?.reason).toBe('no heading or <a id> "print-kits" in docs/posters.md');
  });

  it("checks a same-document #anchor, relative to the document's folder", () => {
    const broken = brokenIn({
      "docs/a.md": "# A\n\n## Limits\n\n[up](#limits) [gone](#limit) [b](b.md#b) [b2](./b.md#x)\n",
      "docs/b.md": "# B\n",
    });
    expect(broken.map((b) => b.target)).toEqual(["#limit", "./b.md#x"]);
  });

  it("ignores links to other sites and links shown as code", () => {
    const broken = brokenIn({
      "README.md":
        "[site](https://example.com/x.md#y) [mail](mailto:a@b.c) `[code](nowhere.md)`\n\n```md\n[fenced](nowhere.md)\n```\n",
    });
    expect(broken).toEqual([]);
  });

  it("takes anchors from <a id> tags, and not from # lines inside code fences", () => {
    const broken = brokenIn({
      "README.md": '<a id="deploy"></a>\n\n```sh\n# install\n```\n\n[d](#deploy) [i](#install)\n',
    });
    expect(broken.map((b) => b.target)).toEqual(["#install"]);
  });
});

describe("anchors as GitHub makes them", () => {
  it("drops punctuation and code marks, keeps underscores and hyphens", () => {
    expect(slug("HandoffObject (`src/store/handoff-object.ts`)")).toBe(
      "handoffobject-srcstorehandoff-objectts",
    );
    expect(slug("R2 `HOP_ARCHIVE`")).toBe("r2-hop_archive");
    expect(slug("Handoffs: PC page → app")).toBe("handoffs-pc-page--app");
    expect(slug("Resolve — `POST /v1/resolve` (the app)")).toBe("resolve--post-v1resolve-the-app");
    expect(slug("See [the docs](docs/x.md)")).toBe("see-the-docs");
  });

  it("numbers repeated headings", () => {
    expect([...anchors("# Limits\n## Limits\n### Limits\n")]).toEqual([
      "limits",
      "limits-1",
      "limits-2",
    ]);
  });

  it("finds inline, reference and <a href> links with their lines", () => {
    expect(links('a [x](x.md "title")\n[ref]: docs/y.md#z\n<a href="w.md">w</a>\n')).toEqual([
      { target: "x.md", line: 1 },
      { target: "docs/y.md#z", line: 2 },
      { target: "w.md", line: 3 },
    ]);
  });
});
