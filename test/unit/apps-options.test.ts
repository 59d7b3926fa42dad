// The app settings checked when the bridge resolves its configuration: malformed values refuse
// to serve (naming the variable), well-formed but doubtful ones are warnings.
import { describe, expect, it } from "vitest";
import { checkAppsOptions } from "../../src/apps-options";
import { ConfigError, resolveConfig } from "../../src/config";
import type { Env } from "../../src/env";
import { optionsFromEnv } from "../../src/env-options";
import { TEST_VARS } from "../vars";

const SHA = TEST_VARS.QB_ANDROID_SHA256;
const secrets = { adminKey: TEST_VARS.QB_ADMIN_KEY, signingKeys: TEST_VARS.QB_SIGNING_KEYS };

describe("checkAppsOptions", () => {
  it("accepts the test deployment's settings with nothing to say", () => {
    const { apps, env } = optionsFromEnv(TEST_VARS as unknown as Env);
    expect(checkAppsOptions(apps!, env!)).toEqual({ errors: [], warnings: [] });
  });

  it("refuses iOS app ids that are not TEAMID.bundle.id, naming the variable and the entry", () => {
    for (const id of [
      "com.acme.shop",
      "ABCDE1234.com.acme.shop", // 9-character team id
      "abcde12345.com.acme.shop", // team ids are upper case
      "ABCDE12345",
      "ABCDE12345.",
      "ABCDE12345.com..shop",
      "ABCDE12345.com.acme shop",
    ]) {
      const { errors } = checkAppsOptions({ iosAppIds: ["ZZZZZ99999.com.example.ok", id] }, "test");
      expect(errors, id).toHaveLength(1);
      expect(errors[0]).toContain("QB_IOS_APP_IDS");
      expect(errors[0]).toContain(JSON.stringify(id));
      expect(errors[0]).toContain("TEAMID.bundle.id");
    }
    for (const id of ["ABCDE12345.com.acme.shop", "A1B2C3D4E5.app", "ABCDE12345.com.acme-shop.ios"])
      expect(checkAppsOptions({ iosAppIds: [id] }, "production").errors, id).toEqual([]);
  });

  it("refuses App Clip ids that are not TEAMID.bundle.id, naming the variable", () => {
    const { errors } = checkAppsOptions({ appClipIds: ["com.acme.shop.Clip"] }, "test");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain("QB_APP_CLIP_IDS");
    expect(errors[0]).toContain('"com.acme.shop.Clip"');
    const ok = checkAppsOptions({ appClipIds: ["ABCDE12345.com.acme.shop.Clip"] }, "production");
    expect(ok).toEqual({ errors: [], warnings: [] });
  });

  it("refuses fingerprints that are not 32 hex bytes, in colon form or bare", () => {
    const bare = SHA.replace(/:/g, "");
    for (const ok of [SHA, SHA.toLowerCase(), bare])
      expect(checkAppsOptions({ androidPackage: "com.x", androidSha256: [ok] }, "test")).toEqual({
        errors: [],
        warnings: [],
      });
    for (const bad of [
      SHA.slice(3), // 31 bytes
      `${SHA}:00`, // 33 bytes
      SHA.replace("14", "1G"),
      SHA.replace(/:/g, "-"),
      bare.slice(2), // 62 digits
      "SHA256:146DE983",
    ]) {
      const { errors } = checkAppsOptions(
        { androidPackage: "com.x", androidSha256: [bad] },
        "test",
      );
      expect(errors, bad).toHaveLength(1);
      expect(errors[0]).toContain("QB_ANDROID_SHA256");
    }
  });

  it("refuses store and fallback URLs that are not https, and plain http in production only", () => {
    const fields = [
      ["appStoreUrl", "QB_APP_STORE_URL"],
      ["playStoreUrl", "QB_PLAY_STORE_URL"],
      ["webFallbackUrl", "QB_WEB_FALLBACK_URL"],
    ] as const;
    for (const [field, variable] of fields) {
      for (const bad of [
        "apps.apple.com/app/id1",
        "javascript:alert(1)",
        "itms-apps://apps.apple.com/app/id1",
        "market://details?id=com.x",
        "https://user:pw@example.com/x",
        "https://example.com/a b",
      ]) {
        const { errors } = checkAppsOptions({ [field]: bad }, "development");
        expect(errors, `${field} ${bad}`).toHaveLength(1);
        expect(errors[0]).toContain(variable);
      }
      const http = "http://localhost:3000/continue";
      expect(checkAppsOptions({ [field]: http }, "production").errors).toHaveLength(1);
      const dev = checkAppsOptions({ [field]: http }, "development");
      expect(dev.errors).toEqual([]);
      expect(dev.warnings.some((w) => w.startsWith(variable) && w.includes("plain http"))).toBe(
        true,
      );
    }
  });

  it("warns about store links to other hosts and an Android half-configured", () => {
    expect(
      checkAppsOptions(
        {
          appStoreUrl: "https://acme.onelink.me/abc",
          playStoreUrl: "https://play.google.com/store/apps/details?id=com.x",
        },
        "production",
      ),
    ).toEqual({
      errors: [],
      warnings: [expect.stringMatching(/^QB_APP_STORE_URL .*acme\.onelink\.me.*apps\.apple\.com/)],
    });
    expect(checkAppsOptions({ androidPackage: "com.x" }, "test").warnings).toEqual([
      expect.stringContaining("without QB_ANDROID_SHA256"),
    ]);
    expect(checkAppsOptions({ androidSha256: [SHA] }, "test").warnings).toEqual([
      expect.stringContaining("without QB_ANDROID_PACKAGE"),
    ]);
  });

  it("warns that QB_LOGIN_APP_LINKS has no effect without an iOS app id", () => {
    for (const iosAppIds of [undefined, [], [" "]]) {
      expect(
        checkAppsOptions({ loginAppLinks: true, iosAppIds }, "test"),
        String(iosAppIds),
      ).toEqual({
        errors: [],
        warnings: [expect.stringMatching(/^QB_LOGIN_APP_LINKS .* without QB_IOS_APP_IDS/)],
      });
    }
    const ids = ["ABCDE12345.com.acme.shop"];
    expect(checkAppsOptions({ loginAppLinks: true, iosAppIds: ids }, "test").warnings).toEqual([]);
    expect(checkAppsOptions({ loginAppLinks: false }, "test").warnings).toEqual([]);
  });

  it("treats empty and blank values as unset", () => {
    expect(
      checkAppsOptions(
        { iosAppIds: ["", " "], androidSha256: [" "], appStoreUrl: " ", webFallbackUrl: "" },
        "production",
      ),
    ).toEqual({ errors: [], warnings: [] });
  });
});

describe("resolveConfig", () => {
  it("refuses to serve with every malformed app setting in one message", async () => {
    const err = await resolveConfig({
      ...secrets,
      apps: { iosAppIds: ["com.acme.shop"], androidSha256: ["AB:CD"], androidPackage: "com.x" },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(
      /^QB_IOS_APP_IDS .*"com\.acme\.shop".*; QB_ANDROID_SHA256 /,
    );
  });

  it("keeps warnings in the configuration, and never a secret in them", async () => {
    const config = await resolveConfig({
      ...secrets,
      env: "production",
      ipSalt: "a-secret-salt-value",
      publicUrl: "http://qr.example.com",
      apps: { androidPackage: "com.x" },
    });
    expect(config.warnings).toEqual([
      expect.stringContaining("QB_ANDROID_PACKAGE"),
      expect.stringContaining("QB_PUBLIC_URL is plain http"),
    ]);
    const text = config.warnings.join(" ");
    for (const secret of [secrets.adminKey, "test-signing-key", "a-secret-salt-value"])
      expect(text).not.toContain(secret);
    expect((await resolveConfig(secrets)).warnings).toEqual([]);
  });
});
