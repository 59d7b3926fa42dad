import type { ReferenceWords } from "./types";

export const qrReference: ReferenceWords = {
  operations: {
    "GET /qr/{kind}/{file}": {
      summary: "QR image of a bridge link of this deployment",
      description:
        "`kind` is `h` (handoff token), `l` (QR login token) or `p` (poster code); `file` is `<code>.svg` or `<code>.png`. Options: `ec` (L/M/Q/H), `margin` (0–16), `fg`, `bg` (#rrggbb), `size`, `scale` (PNG px per module; a styled PNG at most 1,024 px wide), `modules`, `finder`, `finder_color`. A poster's code is drawn in its `style` (options here override it); `v` is the style's tag: at the current one the image is immutable. A forged code spends the client IP's failure budget (429 past it), as on `/p`.",
    },
  },
};
