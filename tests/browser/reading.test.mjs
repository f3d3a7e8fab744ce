// Reading, in real Chromium: after the server comes back the log says "Reconnected" (not the
// server's "Welcome"), the people listed are greyed during the outage, and the "not connected"
// refusal typed during it is cleared; a day separator comes before the day's first line, and a
// line's time shows its full date on hover; a click on a link inside a line opens it in a new tab
// without an opener (and the accessible mirror holds it as a real link); dragging over part of a
// line selects just that part, which Ctrl+C copies. (Unread lines in the title: notify.test.mjs.)
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const suite = chatSuite('chat-reading-data-');

test('reconnected, stale errors cleared, dates, links and a part of a line copied', async () => {
  const ana = await suite.loggedIn('ana');

  await suite.stopServer();
  await ana.waitFor((s) => s.connection !== 'online' && s.membersGreyed, 'the outage seen, the people greyed');
  await ana.typeInto('chat.input', 'anyone?');
  await ana.press('Enter');
  await ana.waitFor((s) => s.inputError !== '', 'the refusal under the input');
  await suite.restartServer();
  const s = await ana.waitFor((snap) => snap.connection === 'online' && snap.loggedIn &&
                                        snap.log.some((l) => l.text === 'Reconnected as ana.'),
                              'reconnected', 30000);
  assert.equal(s.inputError, '', 'the stale refusal is cleared');
  await ana.waitFor((snap) => !snap.membersGreyed, 'the people in colour again');
  assert.equal(s.input, 'anyone?', 'the refused line is still in the field');

  const robot = await suite.robot('robot');
  robot.send({ action: 'send_message', message: 'ping 1' });
  robot.send({ action: 'send_message', message: 'ping 2' });
  await ana.waitFor((snap) => hasLine(snap, 'robot', 'ping 2'), 'the two lines');

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

  // A link in a line: drawn as a link; a click on it opens it in a new tab, without an opener.
  const URL = 'https://example.test/page?x=1';
  await ana.context.route('https://example.test/**', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<p>linked</p>' }));
  robot.send({ action: 'send_message', message: `look: ${URL}! and more words after it` });
  const withLink = await ana.waitFor((snap) => hasLine(snap, 'robot', `look: ${URL}! and more words after it`),
                                     'the link line');
  const linkLine = withLink.log.findIndex((l) => l.text.startsWith('look:'));
  const linkWidget = `log.link:${linkLine}:0`;
  const popup = ana.context.waitForEvent('page');
  await ana.click(linkWidget);
  const opened = await popup;
  await opened.waitForLoadState();
  assert.equal(opened.url(), URL);
  assert.equal(await opened.evaluate(() => window.opener), null, 'noopener');
  await opened.close();

  // In the accessible mirror the link is a real one, opening a new tab without an opener.
  const anchor = await ana.page.evaluate(() => {
    const a = document.querySelector('#a11y-log a');
    return a && { href: a.href, target: a.target, rel: a.rel, text: a.textContent,
                  line: a.parentElement.textContent };
  });
  assert.deepEqual(anchor, { href: URL, target: '_blank', rel: 'noopener noreferrer', text: URL,
                             line: `robot: look: ${URL}! and more words after it` });
  assert.match(await ana.page.locator('#a11y-log').ariaSnapshot(), /link "https:\/\/example\.test\/page\?x=1"/);

  // From the keyboard alone: Escape into the mirror, Tab until the link has the focus (its
  // address shown), Enter opens it in a new tab.
  await ana.press('Escape');
  for (let presses = 0; presses < 40; ++presses) {
    if (await ana.page.evaluate(() => document.activeElement && document.activeElement.tagName === 'A')) break;
    await ana.press('Tab');
  }
  assert.equal(await ana.page.evaluate(() => document.activeElement.href), URL, 'Tab reaches the link');
  assert.ok(await ana.page.locator('#link-focus').isVisible(), 'the focused link is shown');
  assert.equal(await ana.page.locator('#link-focus').textContent(), `Enter opens ${URL}`);
  const keyboardPopup = ana.context.waitForEvent('page');
  await ana.press('Enter');
  const openedByKey = await keyboardPopup;
  await openedByKey.waitForLoadState();
  assert.equal(openedByKey.url(), URL);
  assert.equal(await openedByKey.evaluate(() => window.opener), null, 'noopener');
  await openedByKey.close();
  await ana.press('Escape');  // back to the message field

  // Part of a line: a drag from the link's first letter to its last selects just the link (not
  // opening it), and Ctrl+C copies exactly that.
  const pagesBefore = ana.context.pages().length;
  const link = (await ana.snapshot()).widgets[linkWidget];
  const y = link.y + link.height / 2;
  await ana.page.mouse.move(link.x + 1, y);
  await ana.page.mouse.down();
  await ana.frames();
  await ana.page.mouse.move(link.x + link.width - 1, y, { steps: 8 });
  await ana.frames();
  await ana.page.mouse.up();
  await ana.waitFor((snap) => snap.selection === URL, 'the link selected by the drag');
  await ana.press('Control+C');
  await ana.page.waitForFunction((expected) => navigator.clipboard.readText().then((text) => text === expected), URL);
  assert.equal(ana.context.pages().length, pagesBefore, 'a drag over a link does not open it');
  assert.deepEqual(ana.errors, []);
});
