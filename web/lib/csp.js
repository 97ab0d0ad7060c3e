// The page's Content-Security-Policy. The dev server sends it as a header
// (with frame-ancestors, which a meta tag cannot carry) and index.html
// carries it in a meta tag; scripts/build-web.mjs fails if the two differ.
//
// connect-src 'self' is the privacy guarantee: the page and its worker can
// fetch only from their own origin (the wasm, the samples), so a dropped
// file has nowhere to go. 'wasm-unsafe-eval' lets the worker compile the
// engine; nothing else is evaluated. The one inline script is web/boot.js,
// which scripts/build-web.mjs puts into the page and allows by the hash of
// its text (the build fails, saying the new hash, when the script changes
// and this does not). Styles allow inline because the chart library sets
// style attributes; blob: images are the PNG export.

// BOOT_SCRIPT_HASH is the hash of web/boot.js, inlined in the page.
const BOOT_SCRIPT_HASH = "'sha256-5EJUm3Ss3SxCqMNVZEckMZ4aMBTfajTMKVAGkFmILG0='";

export const CSP = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${BOOT_SCRIPT_HASH}`,
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export const CSP_HEADER = `${CSP}; frame-ancestors 'none'`;
