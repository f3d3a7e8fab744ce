// Quiet when idle, in real Chromium: once logged in and settled, the page draws no frame while
// nothing happens (no input, no network, no visible timer); a key press, a line from another user
// and the reconnect countdown each draw again. Prints the idle CPU (CDP's TaskDuration over 10 s)
// that docs/BENCHMARKS.md records.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const suite = chatSuite('chat-idle-data-');

const framesDrawn = (page) => page.page.evaluate(() => window.chatFramesDrawn());
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Waits until no frame has been drawn for a whole second.
async function settled(page) {
  for (let tries = 0; tries < 30; ++tries) {
    const before = await framesDrawn(page);
    await pause(1000);
    if ((await framesDrawn(page)) === before) return before;
  }
  throw new Error(`${page.name}: still drawing after 30 s`);
}

const loggedIn = (name, options) => suite.loggedIn(name, options);

test('no frame is drawn while idle; input, a new line and a countdown draw', async () => {
  const idle = await loggedIn('idle');
  const other = await loggedIn('other');
  const start = await settled(idle);
  await pause(3000);
  assert.equal(await framesDrawn(idle), start, 'frames drawn over 3 idle seconds');

  // CPU over 10 idle seconds, as Chromium's own task time for this page: a figure for
  // BENCHMARKS.md, not a check (a busy machine stretches every task); the frames are the check.
  const cdp = await idle.context.newCDPSession(idle.page);
  await cdp.send('Performance.enable');
  const task = async () => (await cdp.send('Performance.getMetrics')).metrics
    .find((m) => m.name === 'TaskDuration').value;
  const t0 = await task();
  await pause(10000);
  const busy = (await task()) - t0;
  console.log(`idle CPU over 10 s: ${(busy * 1000).toFixed(0)} ms of tasks (${(busy * 10).toFixed(2)} % of a core)`);

  // A key press draws (the field shows the letter), and so does a line from someone else.
  const beforeKey = await framesDrawn(idle);
  await idle.typeInto('chat.input', 'x');
  assert.ok((await framesDrawn(idle)) > beforeKey, 'typing drew frames');
  await settled(idle);
  const beforeLine = await framesDrawn(idle);
  await other.typeInto('chat.input', 'are you there?');
  await other.press('Enter');
  await idle.waitFor((s) => hasLine(s, 'other', 'are you there?'), 'the line');
  assert.ok((await framesDrawn(idle)) > beforeLine, 'a received line drew frames');

  // The server goes away: the reconnect countdown is a visible timer, so frames go on.
  await settled(idle);
  await suite.stopServer();
  await idle.waitFor((s) => s.connection !== 'online', 'offline');
  const offline = await framesDrawn(idle);
  await idle.waitFor((s) => /retrying|Connecting/i.test(s.status), 'a countdown');
  await pause(2500);
  assert.ok((await framesDrawn(idle)) > offline, 'the countdown drew frames');
});
