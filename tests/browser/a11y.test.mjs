// Keyboard and screen reader, in real Chromium: the accessibility tree (Playwright's aria
// snapshot) lists the connection status, the rooms as buttons, the people, the new-room form,
// Send, and the log as a live region that gains each new line; the keyboard moves from the
// message field to the rooms with Escape, Tab, and joins one with Enter, the focused button
// showing a ring; PageUp, PageDown, Home and End scroll the log. A keyboard-only session, no
// mouse at all, logs in, creates a room, joins it and sends a line with the Send button.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const suite = chatSuite('chat-a11y-data-');

test('the accessibility tree, a keyboard-only session and the log keys', async () => {
  const ana = await suite.loggedIn('ana');
  await ana.typeInto('room.name', 'jeux');
  await ana.press('Enter');
  await ana.waitFor((s) => s.rooms.includes('jeux'), 'the room jeux');
  await ana.click('chat.input');

  const robot = await suite.robot('robot');
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
  assert.match(tree, /textbox "New room name"/);
  assert.match(tree, /button "Create room"/);
  assert.match(tree, /button "Send"/);
  assert.match(tree, /button "Notify me"/);
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

// Every step by keys alone, each focused control showing its ring over its drawing.
test('keyboard only: log in, create a room, join it, send with the Send button', async () => {
  const kim = await suite.open('kim');
  await kim.waitFor((s) => s.activeField === 'login.name', 'the nickname field to have the keyboard');
  await kim.page.keyboard.type('kim');
  await kim.press('Enter');
  await kim.waitFor((s) => s.loggedIn && s.activeField === 'chat.input', 'kim logged in, typing in the message field');

  const assertRingOver = async (name, widget) => {
    const focused = await kim.focused();
    assert.equal(focused.name, name);
    assert.equal(focused.outline, 'solid', `a visible focus ring on ${name}`);
    const r = (await kim.snapshot()).widgets[widget];
    assert.ok(Math.abs(focused.x - r.x) < 2 && Math.abs(focused.y - r.y) < 2, `the ring is over ${widget} as drawn`);
  };

  // Escape leaves the message field for the mirror; Tab goes on to the new room's field, which
  // gives the keyboard to the drawn field: what is typed lands there.
  await kim.press('Escape');
  await kim.tabTo('New room name');
  await kim.waitFor((s) => s.activeField === 'room.name', 'the new room field to have the keyboard');
  await assertRingOver('New room name', 'room.name');
  await kim.page.keyboard.type('clavier');
  await kim.frames();
  await kim.press('Tab');
  await assertRingOver('Create room', 'room.create');
  await kim.press('Enter');
  await kim.waitFor((s) => s.rooms.includes('clavier'), 'the room created from the keyboard');

  // Join it: back to the rooms (Escape twice: to the message field, then to the first room).
  await kim.press('Escape');
  await kim.press('Escape');
  await kim.tabTo('Room clavier');
  await kim.press('Enter');
  await kim.waitFor((s) => s.currentRoom === 'clavier', 'joined from the keyboard');

  // A line typed in the message field, sent with the Send button reached by Tab.
  await kim.press('Escape');
  assert.equal((await kim.focused()).id, 'text-input');
  await kim.waitFor((s) => s.activeField === 'chat.input', 'the message field to have the keyboard');
  await kim.page.keyboard.type('tout au clavier');
  await kim.waitFor((s) => s.input === 'tout au clavier', 'the line typed');
  await kim.press('Escape');
  await kim.tabTo('Send');
  await assertRingOver('Send', 'chat.send');
  await kim.press('Enter');
  await kim.waitFor((s) => hasLine(s, 'kim', 'tout au clavier') && s.input === '', 'the line sent by the Send button');
  assert.deepEqual(kim.errors, []);
});
