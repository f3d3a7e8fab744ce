// Fast first load, cached second, in real Chromium: the bytes a visit moves over the network, read
// from Chromium's own network log (CDP Network.loadingFinished: the encoded size with headers).
// The build's gzip copies make the first visit small; on a reload the page is revalidated (a 304)
// and the content-named program comes from the browser's cache. Prints the figures that
// docs/BENCHMARKS.md records.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ChatPage, chatSuite } from './harness.mjs';

const FIRST_LOAD_LIMIT = 500 * 1024;  // issue 15: a Latin-script user's first visit
const RELOAD_LIMIT = 10 * 1024;

const suite = chatSuite('chat-load-data-');

// Records every HTTP request of the page until take() is called: url, status, bytes on the wire.
async function networkLog(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  const requests = new Map();
  cdp.on('Network.responseReceived', ({ requestId, response }) => {
    requests.set(requestId, { url: response.url, status: response.status,
                              encoding: response.headers['content-encoding'] || response.headers['Content-Encoding'] || '',
                              cached: response.fromDiskCache || response.fromMemoryCache, bytes: 0 });
  });
  cdp.on('Network.loadingFinished', ({ requestId, encodedDataLength }) => {
    const request = requests.get(requestId);
    if (request) request.bytes = encodedDataLength;
  });
  return {
    take() {
      const taken = [...requests.values()];
      requests.clear();
      return taken;
    },
  };
}

const total = (requests) => requests.reduce((sum, request) => sum + request.bytes, 0);
const describe = (requests) => requests.map((r) => `${new URL(r.url).pathname} ${r.status}${r.cached ? ' (cache)' : ''} ` +
                                                   `${r.encoding || 'plain'} ${r.bytes} B`).join('; ');

test('the first visit moves under 500 KB and a reload under 10 KB', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 960, height: 640 } });
  const page = await context.newPage();
  const chat = new ChatPage('visitor', context, page);
  const network = await networkLog(page);

  await page.goto(suite.server.url);
  await chat.waitFor((s) => s.connection === 'online', 'connected on the first visit');
  const first = network.take();
  console.log(`# first visit: ${total(first)} B: ${describe(first)}`);
  assert.ok(first.some((r) => r.url.endsWith('.wasm') && r.encoding === 'gzip'), describe(first));
  assert.ok(total(first) < FIRST_LOAD_LIMIT, `first visit ${total(first)} B: ${describe(first)}`);
  assert.ok(first.every((r) => r.status !== 404), describe(first));

  await page.reload();
  await chat.waitFor((s) => s.connection === 'online', 'connected after the reload');
  const again = network.take();
  console.log(`# reload: ${total(again)} B: ${describe(again)}`);
  // The page was revalidated: a 304's head came, not its 3 KB (CDP reports the cached 200 with the
  // 304's size).
  const pageAgain = again.find((r) => new URL(r.url).pathname === '/');
  assert.ok(pageAgain && pageAgain.bytes < 1024, describe(again));
  assert.ok(total(again) < RELOAD_LIMIT, `reload ${total(again)} B: ${describe(again)}`);
  assert.deepEqual(chat.errors, []);
  await context.close();
});
