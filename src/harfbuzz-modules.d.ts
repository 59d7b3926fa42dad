// The compiled HarfBuzz the print kit shapes Devanagari with (src/store/print-shaping.ts): a
// wasm file is a compiled module in workerd (wrangler's default module rules, which the vitest
// pool applies; scripts/build-lazy-modules.mjs uploads it beside the print kit).
declare module "*/harfbuzzjs/dist/harfbuzz.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
