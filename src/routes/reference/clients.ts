import { EMBED_VERSION } from "../../client/dist/embed.gen";
import type { ReferenceWords } from "./types";

export const clientsReference: ReferenceWords = {
  operations: {
    "GET /sdk/{file}": {
      summary: "The <qr-bridge> web embed (ES module)",
      description: `\`qrbridge.js\` (short cache, ETag) or \`qrbridge.${EMBED_VERSION}.js\` (this version, cached for a year). Load it as a module script (\`type="module"\`).`,
      params: {
        file: {
          example: "qrbridge.js",
        },
      },
    },
  },
};
