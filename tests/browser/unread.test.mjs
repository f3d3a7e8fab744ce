// Unread counts, mentions and typing in a real browser (docs/ACCOUNTS.md, "Step 4"): alice and bob,
// two accounts in two browser contexts, with the mouse and keyboard only. Lines alice writes in a
// room bob follows but is not looking at give it a badge in his room list, a mention adds the "@"
// mark, the tab's title counts them, and opening the room clears it all (the line naming him is
// highlighted there), and the server keeps it read. While alice types, bob reads "alice is typing…" under the log, and it goes
// once she stops (5 s after her last keystroke) or once her line comes.
// The tests run in order and share the pages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const suite = chatSuite('chat-unread-data-');
const artifacts = process.env.CHAT_ARTIFACTS_DIR || path.resolve('build/browser-artifacts');
let alice;
let bob;

const unreadIn = (s, room) => s.unread[room] || { count: 0, badge: '', mention: false };

test('a room bob is not looking at counts alice\'s lines, a mention marks it, opening it clears it', async () => {
  alice = await suite.account('alice');
  bob = await suite.account('bob');
  // Bob follows general: his own line there is read (a marker), whatever he does next.
  await bob.say('hello general');
  await alice.waitFor((s) => hasLine(s, 'bob', 'hello general'), 'bob\'s line in general');

  // Bob makes a room of his own and goes there.
  await bob.typeInto('room.name', 'jeux');
  await bob.press('Enter');
  await bob.waitFor((s) => s.rooms.includes('jeux'), 'jeux in bob\'s list');
  await bob.click('room:jeux');
  await bob.waitFor((s) => s.currentRoom === 'jeux', 'bob in jeux');

  await alice.say('news 1');
  await alice.say('news 2');
  let s = await bob.waitFor((snap) => unreadIn(snap, 'general').count === 2, 'two unread lines in general');
  assert.equal(unreadIn(s, 'general').badge, '2');
  assert.equal(unreadIn(s, 'general').mention, false);
  assert.ok(!hasLine(s, 'alice', 'news 1'), 'jeux\'s log shows no line of general');
  await bob.page.waitForFunction(() => document.title === '(2) Chat');

  // A line naming bob: the count grows and the room is marked.
  await alice.say('@bob look at this');
  s = await bob.waitFor((snap) => unreadIn(snap, 'general').count === 3 && unreadIn(snap, 'general').mention,
                        'three unread, one mentioning bob');
  await bob.page.waitForFunction(() => document.title === '(3) Chat');
  await bob.frames(4);
  assert.match(await bob.page.locator('#a11y-rooms').ariaSnapshot(), /button "Room general, 3 unread, mentions you"/);
  await bob.screenshot(path.join(artifacts, 'unread-badge.png'));

  // Bob opens general: read, the badge and the title's count go; the mention is highlighted.
  await bob.click('room:general');
  s = await bob.waitFor((snap) => snap.currentRoom === 'general' && hasLine(snap, 'alice', '@bob look at this') &&
                                  !snap.unread.general, 'general read');
  assert.ok(s.log.find((line) => line.text === '@bob look at this').mentionsMe, 'the line naming bob is marked');
  assert.ok(!s.log.find((line) => line.text === 'news 1').mentionsMe);
  await bob.page.waitForFunction(() => document.title === 'Chat');
  await bob.page.waitForFunction(() => document.getElementById('a11y-log').textContent.includes('@bob look at this (mentions you)'));
  // Read on the server too: back in jeux, one more line of alice's counts one, not four.
  await bob.click('room:jeux');
  await bob.waitFor((snap) => snap.currentRoom === 'jeux', 'bob back in jeux');
  await alice.say('news 3');
  s = await bob.waitFor((snap) => unreadIn(snap, 'general').count > 0, 'a new unread line in general');
  assert.equal(unreadIn(s, 'general').count, 1);
  assert.equal(unreadIn(s, 'general').mention, false, 'the mention was read');
  await bob.click('room:general');
  await bob.waitFor((snap) => snap.currentRoom === 'general' && !snap.unread.general, 'general read again');
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});

test('bob reads "alice is typing…" while she types, and it goes when she stops or her line comes', async () => {
  await alice.typeInto('chat.input', 'I am typing some');
  await bob.waitFor((s) => s.typing === 'alice is typing\u2026', 'alice typing, for bob');
  await bob.page.waitForFunction(() => document.getElementById('a11y-typing').textContent === 'alice is typing\u2026');
  assert.equal((await alice.snapshot()).typing, '', 'nobody else types');
  // She stops: gone within its 5 s (the deadline is generous for a loaded machine).
  await bob.waitFor((s) => s.typing === '', 'the typing line gone after alice stopped', 20000);
  await bob.page.waitForFunction(() => document.getElementById('a11y-typing').textContent === '');

  // She types again and sends: her line ends it.
  await alice.page.keyboard.type(' more');
  await bob.waitFor((s) => s.typing === 'alice is typing\u2026', 'alice typing again');
  await alice.press('Enter');
  await bob.waitFor((s) => s.typing === '' && hasLine(s, 'alice', 'I am typing some more'), 'her line, and no typing');
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});
