import { MAX_PDF_LOGO_IMAGES, POSTERS_PER_PDF } from "../response-limits";
import type { FieldsWords, ReferenceWords } from "./types";

/** A poster's id in a path. */
const POSTER_ID: FieldsWords = { id: { example: "7K2M9Q" } };

/** The print files' texts (the SVG and PDF of a sheet and of one card). */
const PRINT_TEXT_QUERY: FieldsWords = {
  cta: {
    description: 'Call to action, default "Scan with your phone camera"',
  },
  lang: {
    description:
      "Language of the printed texts: en, zh (Simplified), zh-Hant (Traditional), ja, ko, es, fr, de, pt (Brazil), it, id, vi, th (Thai), tr, ru, he (Hebrew) and ar (Arabic), the last two right to left. Han characters take that region's glyph forms (kana → Japanese, Hangul → Korean whatever the language)",
  },
  text_lang: {
    example: "mr",
    description:
      "Language the store names, labels and `cta` are written in (BCP 47, e.g. mr, ne, hi), when it is not what their script says: their letters take that language's forms where the font has them (Marathi ल and श, Nepali झ and ५ ८ ९ in Devanagari). Default: the script's default forms (Hindi's for Devanagari)",
  },
};

/** A sheet's status filter (print-sheet.svg and .pdf). */
const STATUS_FILTER = {
  description:
    "With `store_id`/`campaign_id`: only posters of this status (`active` leaves out paused, revoked and ended ones, which would print codes that do not open the app; not yet started ones print)",
};

/** A QR style's fields, in `QrStyle` and in a poster's `style`. */
const QR_STYLE_FIELDS: FieldsWords = {
  fg: {
    example: "#1a237e",
    description: "Modules, #rrggbb",
  },
  bg: {
    example: "#ffffff",
    description: "Background, #rrggbb",
  },
  finder_color: {
    description: "Finder patterns, #rrggbb",
  },
  invert: {
    description: "Light modules on a dark background; refused unless true",
  },
  logo: {
    description: "Id from POST /v1/logos (forces ec H)",
  },
  logo_size: {
    description: "Logo side ÷ code side, 0.1–0.33 (default 0.22)",
  },
};

/** The fields a poster is created and changed with. */
const POSTER_FIELDS: FieldsWords = {
  path: {
    example: "/menu/lunch",
    description:
      'In-app path: one leading "/", no "//", "\\", spaces or control characters, no encoded "/" or "\\" and no "." or ".." segments before the query',
  },
  params: {
    example: { table: "12" },
  },
  active_from: {
    example: "2026-07-01T00:00:00Z",
    description: "Unix ms or ISO 8601",
  },
  active_until: {
    example: "2026-07-01T00:00:00Z",
    description: "Unix ms or ISO 8601",
  },
  label: {
    example: "Window A",
    description: "Printed small under the card in the print kit; never shown to people scanning",
  },
};

export const postersReference: ReferenceWords = {
  operations: {
    "GET /v1/posters/print-sheet.svg": {
      summary: "A4 sheet of poster cards with crop marks (12 per page)",
      description:
        "Select posters by `ids` (comma-separated, up to 120, printed in that order) or by `store_id`/`campaign_id` (in the order they were created: a batch in its request's order). Texts are glyph outlines of the embedded print fonts (`X-Print-Fonts: outlines`; `system` when the deployment has no PRINT_FONTS binding). One A4 page per request: `page` (from 1); `X-Total-Pages` and a `Link: rel=next` header tell how many.",
      query: { ...PRINT_TEXT_QUERY, status: STATUS_FILTER },
    },
    "GET /v1/posters/{id}/print.svg": {
      summary:
        "Print-ready card of one poster: QR at a physical size, store, call to action, manual code",
      description:
        "`size` is the printed width of the QR symbol (15–200 mm; `50mm`, `5cm`, `2in`); a 4-module quiet zone is added around it. The SVG is sized in mm.",
      params: POSTER_ID,
      query: PRINT_TEXT_QUERY,
    },
    "GET /v1/posters/print-sheet.pdf": {
      summary: "A batch of poster cards as one PDF: A4 pages of 12 with crop marks",
      description: `Select posters as for print-sheet.svg: \`ids\` (up to 120, in that order) or \`store_id\`/\`campaign_id\` (newest first). Up to ${POSTERS_PER_PDF} posters per file; a larger selection comes in parts: \`part\` (from 1), with \`X-Total-Parts\`. At most ${MAX_PDF_LOGO_IMAGES} logo images (a logo once per background it is printed on), else 400. Its texts set at most 20,000 glyphs from 800 glyph blocks (LIMITS in limits.ts), else 400. Every font is embedded (subsets of Noto Sans: Latin, Chinese, Japanese, Korean); PDF/X-1a-shaped: CMYK black ink, trim and bleed boxes. 503 when the print fonts are not deployed.`,
      query: { ...PRINT_TEXT_QUERY, status: STATUS_FILTER },
    },
    "GET /v1/posters/{id}/print.pdf": {
      summary: "Print-ready card of one poster as PDF",
      description:
        "The card of print.svg as a one-page PDF sized in mm around it. `size` is the printed width of the QR symbol (15–200 mm; `50mm`, `5cm`, `2in`).",
      params: POSTER_ID,
      query: PRINT_TEXT_QUERY,
    },
    "POST /v1/posters/batch": {
      summary: "Create up to 1,000 posters, all or nothing",
      description:
        "On any invalid row nothing is written; the 400 body's `details.field` names the first bad field (`posters.37.path`), `details.fields` lists `{field, message}` and `details.rows` `{index, field, message}` (first 50 rows).",
      query: {
        dry_run: {
          description:
            "`true`: check every row exactly as a real batch would (the same 400), write nothing, answer 200 `{valid: true, count}`. An import sent in several batches checks the whole file first.",
        },
      },
    },
    "POST /v1/posters": {
      summary: "Create a poster (a long-lived printed code)",
    },
    "GET /v1/posters": {
      summary: "List posters, newest first (deleted ones are left out)",
    },
    "GET /v1/posters/{id}": {
      summary: "Read a poster (deleted ones too, with deleted_at)",
      params: POSTER_ID,
    },
    "PATCH /v1/posters/{id}": {
      summary: "Change a poster: pause, revoke, re-target (new path) without reprinting",
      params: POSTER_ID,
    },
    "DELETE /v1/posters/{id}": {
      summary: "Delete a poster: revoked for good and hidden from lists; its row stays for stats",
      params: POSTER_ID,
    },
    "POST /v1/logos": {
      summary: "Upload a centre logo for QR styles (PNG, base64)",
      description: "PNG, 16–512 px a side, ≤ 4:1, ≤ 40 KiB. The same file again: 200.",
    },
    "GET /v1/logos/{id}": {
      summary: "A logo's size and date",
      params: {
        id: {
          example: "lg_9f86d081884c7d659a2feaa0",
        },
      },
    },
  },
  schemas: {
    Poster: {
      fields: {
        id: {
          example: "7K2M9Q",
        },
        code: {
          example: "7K2M9QX4AB",
        },
        display_code: {
          example: "7K2M9-QX4AB",
        },
        url: {
          example: "HTTPS://QR.EXAMPLE.COM/P/7K2M9QX4AB",
        },
        style: {
          description: "The QR style its images and print files use; null: black on white",
          fields: QR_STYLE_FIELDS,
        },
      },
    },
    CreatePosterRequest: {
      fields: {
        ...POSTER_FIELDS,
        campaign: {
          description: "Campaign name; created on first use",
        },
      },
    },
    QrStyle: {
      description:
        "Colours need a contrast of at least 4.5:1 (WCAG) against the background, modules darker than it unless `invert`; every accepted style decodes",
      fields: QR_STYLE_FIELDS,
    },
    PatchPosterRequest: {
      fields: {
        ...POSTER_FIELDS,
        version: {
          description: "Apply only if the poster is still at this version (else 409)",
        },
      },
    },
    Logo: {
      fields: {
        id: {
          example: "lg_9f86d081884c7d659a2feaa0",
        },
      },
    },
    UploadLogoRequest: {
      fields: {
        png: {
          description: "The PNG, base64",
        },
      },
    },
  },
};
