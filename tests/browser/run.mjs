// ctest entry point: checks what the browser suite needs, then runs it with node's test runner.
// Exit code 77 (ctest SKIP_RETURN_CODE) when the wasm site has not been built.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const site = process.env.CHAT_SITE_DIR;
const server = process.env.CHAT_SERVER;

if (!site || !fs.existsSync(path.join(site, 'index.html'))) {
  console.log(`SKIP: no built web client in CHAT_SITE_DIR=${site} (build the wasm tree first)`);
  process.exit(77);
}
if (!server || !fs.existsSync(server)) {
  console.error(`FAIL: no server binary at CHAT_SERVER=${server}`);
  process.exit(1);
}
if (!fs.existsSync(path.join(here, 'node_modules', 'playwright-core'))) {
  console.error(`FAIL: playwright-core is not installed: run toolchains/setup.sh (npm install in ${here})`);
  process.exit(1);
}
const files = ['chat.test.mjs', 'tls.test.mjs', 'scripts.test.mjs', 'idle.test.mjs', 'compose.test.mjs', 'a11y.test.mjs', 'reading.test.mjs', 'notify.test.mjs', 'load.test.mjs', 'accounts.test.mjs', 'private.test.mjs', 'account_screen.test.mjs', 'unread.test.mjs'].map((file) => path.join(here, file));
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...files], { stdio: 'inherit', cwd: here });
process.exit(result.status ?? 1);
