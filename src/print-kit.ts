/**
 * The print kit's renderers as one module, built by scripts/build-lazy-modules.mjs into
 * src/generated/print-kit.js and uploaded beside the Worker as an additional module
 * (wrangler.toml `find_additional_modules`). The routes import it when a print file is asked
 * for (routes/lazy-modules.ts), so fonts, subsetting and PDF writing never weigh on the scan
 * path's bundle or its start-up.
 */
export { decodePng } from "./core/png-decode";
export { checkLogoFile } from "./core/qr-logo";
export { renderStyledPng, renderStyledSvg } from "./core/qr-styled";
export { renderPosterCard, renderPrintSheet } from "./pages/print";
export { printTexts } from "./pages/print-layout";
export { MissingFontError, renderPosterCardPdf, renderPrintSheetsPdf } from "./pages/print-pdf";
export { loadLogo } from "./store/logo-loader";
export { loadPrintFonts } from "./store/print-fonts";
