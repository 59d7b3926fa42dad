import type { ReferenceWords } from "./types";

export const appsReference: ReferenceWords = {
  operations: {
    "GET /.well-known/apple-app-site-association": {
      summary: "iOS universal links and App Clips association",
    },
    "GET /.well-known/assetlinks.json": {
      summary: "Android App Links association (from QB_ANDROID_PACKAGE, QB_ANDROID_SHA256)",
    },
  },
  schemas: {
    AppleAppSiteAssociation: {
      fields: {
        applinks: {
          fields: {
            apps: {
              description: "Always empty (required by iOS 12 and earlier)",
            },
          },
        },
      },
    },
  },
};
