// Being told, in real Chromium: lines that come while the tab is hidden are counted in its title
// until it is seen again; desktop notifications only once the person pressed "Notify me" (the
// permission is asked then, never on load; the choice is kept for the next visit) and the
// browser allowed them: one for each line from someone else while the tab is hidden, one for a
// mention (@name) while the page is visible but not focused, none while the person is looking,
// none once turned off (from the keyboard); a browser that refuses leaves the switch saying so.
// Headless Chromium never reports a page hidden (harness.mjs, VISIBILITY_STAND_IN): the test
// hides the tab with a stand-in for document.hidden, visibilityState and hasFocus().
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const suite = chatSuite('chat-notify-data-');

test('unread lines in the title; desktop notices once allowed', async () => {
  const ana = await suite.loggedIn('ana', { notifications: true });
  const robot = await suite.robot('robot');
  const say = async (text) => {
    robot.send({ action: 'send_message', message: text });
    await ana.waitFor((s) => hasLine(s, 'robot', text), `"${text}" received`);
  };
  const notifying = (on) => ana.page.waitForFunction(
    (pressed) => document.getElementById('a11y-notify').getAttribute('aria-pressed') === pressed, String(on));

  // Hidden, not yet allowed: the title counts the lines, no notice, nothing asked.
  await ana.setHidden(true);
  await say('before allowing 1');
  await say('before allowing 2');
  assert.equal(await ana.page.title(), '(2) Chat');
  await ana.setHidden(false);
  await ana.page.waitForFunction(() => document.title === 'Chat');
  assert.deepEqual(await ana.notices(), []);
  assert.equal(await ana.page.evaluate(() => window.chatTestPermissionAsks), 0, 'no permission asked on load');

  // "Notify me", clicked: the permission is asked, granted, and the button says so.
  await ana.click('notify');
  await notifying(true);
  assert.equal(await ana.page.evaluate(() => window.chatTestPermissionAsks), 1);
  await ana.waitFor((s) => s.notices === 'Notifying', 'the switch drawn as on');

  // Looking at the page: no notice, not even for a mention.
  await say('while looking');
  await say('@ana while looking');
  assert.deepEqual(await ana.notices(), []);

  // Hidden: a notice for each line, the title counts them; own lines are not news.
  await ana.setHidden(true);
  await say('ping 1');
  await say('hey @ana, ping 2');
  assert.equal(await ana.page.title(), '(2) Chat');
  assert.deepEqual(await ana.notices(), [
    { title: 'robot in general', body: 'ping 1', tag: 'chat:general' },
    { title: 'robot mentioned you in general', body: 'hey @ana, ping 2', tag: 'chat:general' },
  ]);
  await ana.setHidden(false);
  await ana.page.waitForFunction(() => document.title === 'Chat');

  // Visible but another window has the focus: only a mention is worth a notice.
  await ana.page.evaluate(() => { Document.prototype.hasFocus = () => false; });
  await say('not for ana');
  await say('@ana look here');
  assert.deepEqual((await ana.notices()).slice(2).map((n) => n.title), ['robot mentioned you in general']);

  // The choice is kept for the next visit (the browser still allows notices).
  await ana.reload();
  await ana.waitFor((s) => s.loggedIn && s.activeField === 'chat.input', 'ana back after the reload');
  await notifying(true);

  // Turned off from the keyboard (the switch is just before the rooms): no more notices.
  await ana.press('Escape');
  await ana.press('Shift+Tab');
  const focused = await ana.focused();
  assert.equal(focused.name, 'Notify me');
  assert.equal(focused.outline, 'solid', 'a visible focus ring');
  const drawn = (await ana.snapshot()).widgets.notify;
  assert.ok(Math.abs(focused.x - drawn.x) < 2 && Math.abs(focused.y - drawn.y) < 2, 'the ring is over the switch');
  await ana.press('Enter');
  await notifying(false);
  await ana.setHidden(true);
  await say('after turning off');
  assert.deepEqual(await ana.notices(), [], 'none since the reload');
  assert.deepEqual(ana.errors, []);
});

// The browser says no (no permission granted to this page: headless Chromium refuses): the
// switch stays off and says it is blocked, on the canvas and to screen readers.
test('notifications refused by the browser: the switch says so', async () => {
  const bea = await suite.loggedIn('bea');
  await bea.click('notify');
  await bea.page.waitForFunction(() => document.getElementById('a11y-notify').getAttribute('aria-description') === 'blocked by the browser');
  assert.equal(await bea.page.evaluate(() => document.getElementById('a11y-notify').getAttribute('aria-pressed')), 'false');
  await bea.waitFor((s) => s.notices === 'Notices blocked', 'the switch drawn as blocked');
  assert.deepEqual(bea.errors, []);
});
