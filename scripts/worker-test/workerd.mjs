// Runs the built Worker (build/worker + build/worker-assets, from make
// worker) in workerd through miniflare v4: no account, no network. The
// options come from wrangler.toml through wrangler's own reader
// (unstable_getMiniflareWorkerOptions: assets, _headers, run_worker_first,
// [vars], module rules), so the tests and make worker-dev run what
// `wrangler deploy` uploads.
import path from 'node:path';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Miniflare, Log, LogLevel } from 'miniflare';
import { unstable_getMiniflareWorkerOptions } from 'wrangler';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// start launches workerd and resolves when it answers. opts: port (0 =
// any free port), host, vars (extra [vars], e.g. smaller limits), verbose,
// output (called with every chunk workerd writes to stdout/stderr: what
// the Worker logs; default: passed through).
export async function start({ port = 0, host = '127.0.0.1', vars = {}, verbose = false, output } = {}) {
  const config = path.join(root, 'wrangler.toml');
  const cwd = process.cwd();
  process.chdir(root); // wrangler resolves the assets directory from the cwd
  let workerOptions, main;
  try {
    ({ workerOptions, main } = unstable_getMiniflareWorkerOptions(config));
  } finally {
    process.chdir(cwd);
  }
  const scriptPath = path.resolve(root, main ?? 'build/worker/worker.mjs');
  for (const f of [scriptPath, path.join(path.dirname(scriptPath), 'app.wasm'), path.join(root, 'build/worker-assets/_headers')]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(root, f)} is missing: run make worker first`);
  }
  const mf = new Miniflare({
    ...workerOptions,
    name: 'cxaudit',
    modules: true,
    scriptPath,
    modulesRoot: root,
    bindings: { ...workerOptions.bindings, ...vars },
    host,
    port,
    cf: false, // no fetch of Request.cf from workers.cloudflare.com: no network
    log: new Log(verbose ? LogLevel.INFO : LogLevel.WARN),
    ...(output && {
      handleRuntimeStdio(stdout, stderr) {
        stdout.on('data', (b) => output(String(b)));
        stderr.on('data', (b) => output(String(b)));
      },
    }),
  });
  try {
    const url = await mf.ready;
    return { mf, url: new URL(url) };
  } catch (err) {
    // Without this the runtime keeps the test process alive forever.
    await mf.dispose().catch(() => {});
    throw err;
  }
}
