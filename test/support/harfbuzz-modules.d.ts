// Modules the Devanagari spike imports (test/integration/harfbuzz-spike.test.ts): a wasm file is
// a compiled module in workerd (wrangler's default module rules, which the vitest pool applies);
// `?inline` is Vite's: the file as a base64 data URL.
declare module "harfbuzzjs/dist/harfbuzz.wasm" {
  const module: WebAssembly.Module;
  export default module;
}
declare module "*.ttf?inline" {
  const dataUrl: string;
  export default dataUrl;
}
