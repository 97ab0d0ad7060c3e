#!/usr/bin/env node
// make worker-dev: the built Worker in workerd on http://127.0.0.1:8787
// (PORT to change), with the options of wrangler.toml, as the tests run it.
// Ctrl-C stops it.
import { start } from './workerd.mjs';

const port = process.env.PORT === undefined ? 8787 : Number(process.env.PORT);
const { mf, url } = await start({ port, verbose: true });
console.log(`cxaudit worker: ${url.href}  (the page; API: POST ${url.href}api/analyze, POST ${url.href}api/detect, GET ${url.href}api/health)  Ctrl-C to stop`);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await mf.dispose();
    process.exit(0);
  });
}
