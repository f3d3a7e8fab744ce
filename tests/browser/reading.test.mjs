// Reading, in real Chromium: after the server comes back the log says "Reconnected" (not the
// server's "Welcome"), the people listed are greyed during the outage, and the "not connected"
// refusal typed during it is cleared; lines that arrive while the tab is hidden are counted in its
// title; a day separator comes before the day's first line, and a line's time shows its full date
// on hover; a link in a line opens from the line's menu in a new tab without an opener.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { ChatPage, SeedClient, hasLine, launchBrowser, startServer, tempDir } from './harness.mjs';

let browser;
let server;
const dataDir = tempDir('chat-reading-data-');
const pages = [];
let robot;

before(async () => {
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});

after(async () => {
  if (robot) robot.close();
  for (const page of pages) await page.close().catch(() => {});
  if (browser) await browser.close();
  if (server) await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('reconnected, stale errors cleared, unread lines in the title', async () => {
  const ana = await ChatPage.open(browser, server.url, 'ana');
  pages.push(ana);
  await ana.typeInto('login.name', 'ana');
  await ana.press('Enter');
  await ana.waitFor((s) => s.loggedIn, 'ana logged in');

  const port = server.port;
  await server.stop();
  await ana.waitFor((s) => s.connection !== 'online' && s.membersGreyed, 'the outage seen, the people greyed');
  await ana.typeInto('chat.input', 'anyone?');
  await ana.press('Enter');
  await ana.waitFor((s) => s.inputError !== '', 'the refusal under the input');
  server = await startServer({ port, dataDir });
  const s = await ana.waitFor((snap) => snap.connection === 'online' && snap.loggedIn &&
                                        snap.log.some((l) => l.text === 'Reconnected as ana.'),
                              'reconnected', 30000);
  assert.equal(s.inputError, '', 'the stale refusal is cleared');
  await ana.waitFor((snap) => !snap.membersGreyed, 'the people in colour again');
  assert.equal(s.input, 'anyone?', 'the refused line is still in the field');

  // Hidden tab: Chromium reports it hidden when the window is minimised (CDP).
  const cdp = await ana.context.newCDPSession(ana.page);
  const { windowId } = await cdp.send('Browser.getWindowForTarget');
  await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'minimized' } });
  const hidden = await ana.page.evaluate(() => document.hidden);
  robot = await SeedClient.connect(server.port);
  robot.send({ action: 'login', user: 'robot' });
  await robot.waitFor((f) => f.event === 'logged_in', 'robot logged in');
  robot.send({ action: 'send_message', message: 'ping 1' });
  robot.send({ action: 'send_message', message: 'ping 2' });
  await ana.waitFor((snap) => hasLine(snap, 'robot', 'ping 2'), 'the two lines');
  if (hidden) {
    assert.equal(await ana.page.title(), '(2) Chat');
    await cdp.send('Browser.setWindowBounds', { windowId, bounds: { windowState: 'normal' } });
    await ana.page.waitForFunction(() => document.title === 'Chat');
  } else {
    console.log('# this Chromium does not hide a minimised headless window: unread title not checked');
  }

  // Dates: a separator before the day's first line, the full date when hovering a line's time.
  // Waits for a frame that drew both (under load the separator can be drawn a frame before the
  // line's time is laid out).
  const timeOf = (snap) => {
    const index = snap.log.findIndex((l) => l.kind === 'chat' && l.text === 'ping 2');
    return index >= 0 ? snap.widgets[`log.time:${index}`] : undefined;
  };
  const dated = await ana.waitFor((snap) => snap.days.includes('Today') && timeOf(snap) !== undefined,
                                  'the day separator and the line\'s time', 15000,
                                  () => ana.page.mouse.move(5 + Math.random() * 5, 5));  // a frame, if idle
  const time = timeOf(dated);
  await ana.page.mouse.move(time.x + time.width / 2, time.y + time.height / 2);
  const hovered = await ana.waitFor((snap) => snap.tooltip !== '', 'the tooltip', 15000,
                                    () => ana.page.mouse.move(time.x + time.width / 2 + 1, time.y + time.height / 2));
  assert.match(hovered.tooltip, /^[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d:\d\d$/);

  // A link in a line: the line's menu opens it in a new tab, without an opener.
  await ana.context.route('https://example.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<p>linked</p>' }));
  robot.send({ action: 'send_message', message: 'look: https://example.test/page?x=1!' });
  const withLink = await ana.waitFor((snap) => hasLine(snap, 'robot', 'look: https://example.test/page?x=1!'), 'the link line');
  const linkLine = withLink.log.findIndex((l) => l.text.startsWith('look:'));
  await ana.click(`log.line:${linkLine}`, 'right');
  const popup = ana.context.waitForEvent('page');
  await ana.click('menu.link:0');
  const opened = await popup;
  await opened.waitForLoadState();
  assert.equal(opened.url(), 'https://example.test/page?x=1');
  assert.equal(await opened.evaluate(() => window.opener), null, 'noopener');
  await opened.close();
});
