import { EMBED_VERSION } from "../../client/dist/embed.gen";
import { I18N_VERSION } from "../../client/dist/i18n.gen";
import { LANGUAGES } from "../../core/languages";
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
    "GET /sdk/i18n/{file}": {
      summary: "The <qr-bridge> element's texts in one language",
      description: `What the element fetches, once per page, for a language it does not carry (all but \`en\` and \`zh\`): \`<lang>.${I18N_VERSION}.json\` (this version, cached for a year) or \`<lang>.json\` (short cache, ETag; so is another version's name, which gets this version's texts). \`<lang>\` is one of ${LANGUAGES.map((lang) => `\`${lang}\``).join(", ")}; any other is a \`404\`. An object of strings by text name, with \`{placeholders}\` as in English.`,
      params: {
        file: {
          example: `ja.${I18N_VERSION}.json`,
        },
      },
    },
  },
};
