// Keyboard and screen reader, in real Chromium: the accessibility tree (Playwright's aria
// snapshot) lists the connection status, the rooms as buttons, the people, and the log as a live
// region that gains each new line; a keyboard-only session moves from the message field to the
// rooms with Escape, Tab, and joins one with Enter, the focused button showing a ring; PageUp,
// PageDown, Home and End scroll the log.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { ChatPage, SeedClient, hasLine, launchBrowser, startServer, tempDir } from './harness.mjs';

let browser;
let server;
const dataDir = tempDir('chat-a11y-data-');
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

test('the accessibility tree, a keyboard-only session and the log keys', async () => {
  const ana = await ChatPage.open(browser, server.url, 'ana');
  pages.push(ana);
  await ana.typeInto('login.name', 'ana');
  await ana.press('Enter');
  await ana.waitFor((s) => s.loggedIn, 'ana logged in');
  await ana.typeInto('room.name', 'jeux');
  await ana.press('Enter');
  await ana.waitFor((s) => s.rooms.includes('jeux'), 'the room jeux');
  await ana.click('chat.input');

  robot = await SeedClient.connect(server.port);
  robot.send({ action: 'login', user: 'robot' });
  await robot.waitFor((f) => f.event === 'logged_in', 'robot logged in');
  for (let i = 1; i <= 60; ++i) robot.send({ action: 'send_message', message: `line ${i}` });
  await ana.waitFor((s) => hasLine(s, 'robot', 'line 60'), 'the sixty lines');
  await ana.frames(6);

  const tree = await ana.page.locator('body').ariaSnapshot();
  assert.match(tree, /status: Connected as ana/);
  assert.match(tree, /navigation "Rooms"/);
  assert.match(tree, /button "Room general \(current\)"/);
  assert.match(tree, /button "Room jeux"/);
  assert.match(tree, /region "People in this room"/);
  assert.match(tree, /button "ana \(you\)"/);
  assert.match(tree, /button "robot"/);
  assert.match(tree, /log "Messages in general"/);
  assert.match(tree, /robot: line 60/);

  // The log is a live region: a new line is added to it, the older ones stay.
  robot.send({ action: 'send_message', message: 'one more' });
  await ana.waitFor((s) => hasLine(s, 'robot', 'one more'), 'one more line');
  await ana.frames(4);
  assert.match(await ana.page.locator('#a11y-log').ariaSnapshot(), /robot: line 60[\s\S]*robot: one more/);

  // The log keys: at the bottom after the lines; PageUp goes up, Home to the top, End back down.
  let s = await ana.waitFor((snap) => snap.logScroll.max > 0 && snap.logScroll.y >= snap.logScroll.max - 1,
                            'the log at its bottom');
  await ana.press('PageUp');
  s = await ana.waitFor((snap) => snap.logScroll.y < snap.logScroll.max - 100, 'PageUp to scroll up');
  const afterPageUp = s.logScroll.y;
  await ana.press('PageDown');
  await ana.waitFor((snap) => snap.logScroll.y > afterPageUp, 'PageDown to scroll down');
  await ana.press('Home');
  await ana.waitFor((snap) => snap.logScroll.y === 0, 'Home to the top');
  await ana.press('End');
  await ana.waitFor((snap) => snap.logScroll.y >= snap.logScroll.max - 1, 'End to the bottom');

  // Keyboard only: Escape leaves the message field for the rooms, Tab goes to the next room, its
  // button shows a focus ring over its drawing, Enter joins it, Escape goes back to the field.
  await ana.press('Escape');
  let focused = await ana.page.evaluate(() => document.activeElement.textContent);
  assert.equal(focused, 'Room general (current)');
  await ana.press('Tab');
  const ring = await ana.page.evaluate(() => {
    const e = document.activeElement;
    const style = getComputedStyle(e);
    const r = e.getBoundingClientRect();
    return { text: e.textContent, outline: style.outlineStyle, x: r.x, y: r.y };
  });
  assert.equal(ring.text, 'Room jeux');
  assert.equal(ring.outline, 'solid', 'a visible focus ring');
  s = await ana.snapshot();
  assert.ok(Math.abs(ring.x - s.widgets['room:jeux'].x) < 2 && Math.abs(ring.y - s.widgets['room:jeux'].y) < 2,
            'the ring is over the room as drawn');
  await ana.press('Enter');
  await ana.waitFor((snap) => snap.currentRoom === 'jeux', 'joined jeux from the keyboard');
  await ana.press('Escape');
  focused = await ana.page.evaluate(() => document.activeElement.id);
  assert.equal(focused, 'text-input');
  await ana.page.keyboard.type('au clavier');
  await ana.press('Enter');
  await ana.waitFor((snap) => hasLine(snap, 'ana', 'au clavier'), 'a line typed after it');
  assert.equal(ana.errors.length, 0, ana.errors.join('\n'));
});
