// scripts/provision.sh points wrangler.toml at the custom domain with
// scripts/public-url-config.mjs; wrangler must then accept the file, with the route at the top
// level (the script used to append it after [alias], which wrangler refused) and the public URL
// among the vars, however often provisioning is run.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of our wrangler.toml in a folder of its own. */
function copyOfConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), "qb-provision-"));
  dirs.push(dir);
  const file = join(dir, "wrangler.toml");
  copyFileSync("wrangler.toml", file);
  return file;
}

const setDomain = (domain: string, file: string) =>
  execFileSync(process.execPath, ["scripts/public-url-config.mjs", domain, file], {
    encoding: "utf8",
    stdio: "pipe",
  });

describe("scripts/public-url-config.mjs (provision.sh's domain step)", () => {
  it("leaves a wrangler.toml that wrangler reads, with the custom domain and QB_PUBLIC_URL", () => {
    const file = copyOfConfig();
    setDomain("qr.example.com", file);
    const config = unstable_readConfig({ config: file });
    expect(config.routes).toEqual([{ pattern: "qr.example.com", custom_domain: true }]);
    expect(config.vars.QB_PUBLIC_URL).toBe("https://qr.example.com");
    expect(config.vars.QB_ENV).toBe("development");
    expect(config.alias).toEqual({
      zod: "./src/vendor/zod-slim.js",
      "@asteasolutions/zod-to-openapi": "./src/vendor/zod-to-openapi-slim.js",
    });
  });

  it("run again, with another domain, replaces both instead of repeating them", () => {
    const file = copyOfConfig();
    setDomain("qr.example.com", file);
    setDomain("go.acme.example", file);
    const text = readFileSync(file, "utf8");
    expect(text.match(/^QB_PUBLIC_URL = /gm)).toHaveLength(1);
    expect(text.match(/^routes = /gm)).toHaveLength(1);
    const config = unstable_readConfig({ config: file });
    expect(config.routes).toEqual([{ pattern: "go.acme.example", custom_domain: true }]);
    expect(config.vars.QB_PUBLIC_URL).toBe("https://go.acme.example");
  });

  it("runs from a checkout whose path has a space and an accent", () => {
    const file = copyOfConfig();
    // As a URL that path is escaped (%20, %C3%A9): the script must still see that it was run.
    const checkout = join(file, "..", "my checkouts", "qrbridge-é");
    mkdirSync(join(checkout, "scripts"), { recursive: true });
    copyFileSync("scripts/public-url-config.mjs", join(checkout, "scripts/public-url-config.mjs"));
    execFileSync(process.execPath, ["scripts/public-url-config.mjs", "qr.example.com", file], {
      cwd: checkout,
      stdio: "pipe",
    });
    const config = unstable_readConfig({ config: file });
    expect(config.routes).toEqual([{ pattern: "qr.example.com", custom_domain: true }]);
    expect(config.vars.QB_PUBLIC_URL).toBe("https://qr.example.com");
  });

  it("refuses what is not a plain host name, leaving the file as it was", () => {
    const file = copyOfConfig();
    const before = readFileSync(file, "utf8");
    expect(() => setDomain('qr.example.com"\n[vars]\nQB_ENV = "x', file)).toThrow(
      /not a plain host name/,
    );
    expect(() => setDomain("https://qr.example.com/", file)).toThrow(/not a plain host name/);
    expect(readFileSync(file, "utf8")).toBe(before);
  });
});
