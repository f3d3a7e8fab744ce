// The main scenario in a real browser: two users (one refused first), a room created and joined
// by clicking it, who is in it, lines with accents and emoji, a user elsewhere who sees none of
// it, copy and paste; then (protocol version 2) a page reloaded and a server restarted in the
// middle of the conversation, and older lines loaded by scrolling up with the mouse wheel.
// The tests run in order and share the pages: each goes on from where the previous one stopped.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { chatLines, chatSuite, hasLine, pixelDeviation } from './harness.mjs';

const ROOM = 'café-jeux';
const HELLO = 'Salut à tous 👋 — ça va ? Ωμέγα, Жж, ĳ ŉ';
const SECOND = 'deuxième ligne, même champ';
const REPLY = 'Très bien, merci ! 🎉';
const artifacts = process.env.CHAT_ARTIFACTS_DIR || path.resolve('build/browser-artifacts');

const suite = chatSuite('chat-browser-data-');
let alice;
let bob;
let carol;

const open = (name) => suite.open(name);

async function login(page, name) {
  await page.typeInto('login.name', name);
  await page.press('Enter');
}

// "user: text" of each chat line, in order.
const said = (s) => chatLines(s).map((line) => `${line.user}: ${line.text}`);

// Each chat line once, in id order; with contiguous, the ids have no hole either.
function assertOrderedOnce(s, who, { contiguous = false } = {}) {
  const ids = chatLines(s).map((line) => line.id);
  for (let i = 1; i < ids.length; ++i) {
    assert.ok(ids[i] > ids[i - 1], `${who}: ids not strictly increasing at ${i}: ${ids.join(',')}`);
    if (contiguous) assert.equal(ids[i], ids[i - 1] + 1, `${who}: a line is missing after id ${ids[i - 1]}`);
  }
}

const sameMembers = (s, names) => JSON.stringify(s.members) === JSON.stringify([...names].sort());

test('two users chat in a room; a third elsewhere sees nothing', async () => {
  alice = await open('alice');
  bob = await open('bob');
  carol = await open('carol');

  // Log in; the second "alice" is refused with the server's reason, then picks another name.
  await login(alice, 'alice');
  await alice.waitFor((s) => s.loggedIn && s.myName === 'alice', 'alice logged in');
  await login(bob, 'alice');
  const refused = await bob.waitFor((s) => s.loginError !== '', 'the name to be refused');
  assert.match(refused.loginError, /already in use/);
  assert.equal(refused.showsLogin, true);
  await bob.click('login.name');
  await bob.press('Control+A');  // replace the refused name in place
  await bob.page.keyboard.type('bob');
  await bob.press('Enter');
  await bob.waitFor((s) => s.loggedIn && s.myName === 'bob', 'bob logged in');
  await login(carol, 'carol');
  await carol.waitFor((s) => s.loggedIn, 'carol logged in');

  // Invalid input is refused in the client with the reason shown.
  await alice.typeInto('room.name', 'general');
  await alice.press('Enter');
  const exists = await alice.waitFor((s) => s.roomError !== '', 'room refusal');
  assert.match(exists.roomError, /already exists: general/);

  // Create a room; everybody's list shows it; alice and bob join it by clicking it.
  await alice.click('room.name');
  await alice.press('Control+A');
  await alice.page.keyboard.type(ROOM);
  await alice.press('Enter');
  for (const page of [alice, bob, carol]) {
    await page.waitFor((s) => s.rooms.includes(ROOM), `${page.name} to see ${ROOM}`);
  }
  for (const page of [alice, bob]) {
    await page.click(`room:${ROOM}`);
    await page.waitFor((s) => s.currentRoom === ROOM, `${page.name} in ${ROOM}`);
  }
  // Who is in the room, drawn in the side panel.
  for (const page of [alice, bob]) {
    const s = await page.waitFor((snap) => sameMembers(snap, ['alice', 'bob']), `${page.name} to list alice and bob`);
    assert.ok(s.widgets['member:alice'] && s.widgets['member:bob'], 'the members are drawn');
  }
  await carol.waitFor((s) => sameMembers(s, ['carol']), 'carol alone in general');

  // Enter sends and clears the field, which keeps the keyboard: the second line is typed at once.
  await alice.typeInto('chat.input', HELLO);
  await alice.press('Enter');
  await alice.page.keyboard.type(SECOND);
  await alice.press('Enter');
  await bob.waitFor((s) => hasLine(s, 'alice', HELLO) && hasLine(s, 'alice', SECOND), 'bob to get both lines');
  await bob.typeInto('chat.input', REPLY);
  await bob.press('Enter');
  await alice.waitFor((s) => hasLine(s, 'bob', REPLY), 'alice to get the reply');

  // An empty line is refused by the client itself.
  await alice.press('Enter');
  const empty = await alice.waitFor((s) => s.inputError !== '', 'empty line refusal');
  assert.match(empty.inputError, /empty/);

  // Copy bob's line from the log (click it, Ctrl+C) and paste it into the input (Ctrl+V).
  const snap = await alice.snapshot();
  const index = snap.log.findIndex((line) => line.user === 'bob' && line.text === REPLY);
  await alice.click(`log.line:${index}`);
  await alice.press('Control+C');
  await alice.click('chat.input');
  await alice.press('Control+V');
  await alice.press('Enter');
  await bob.waitFor((s) => hasLine(s, 'alice', `bob: ${REPLY}`), 'the pasted line');

  // Carol, in general, saw none of the room's lines.
  const carolView = await carol.snapshot();
  assert.equal(carolView.currentRoom, 'general');
  for (const text of [HELLO, SECOND, REPLY]) {
    assert.ok(!carolView.log.some((line) => line.text.includes(text)), `carol saw "${text}"`);
  }

  // The screen at the end of the scenario: saved for people to look at, and not blank.
  const png = await alice.screenshot(path.join(artifacts, 'main-scenario.png'));
  const deviation = await pixelDeviation(alice.page, png);
  assert.ok(deviation > 10, `the screenshot looks blank (deviation ${deviation})`);

  // Lines carry their time, shown as the browser's local HH:MM.
  const line = chatLines(await alice.snapshot()).at(-1);
  const local = await alice.page.evaluate((ts) => {
    const d = new Date(ts);
    return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  }, line.ts);
  assert.equal(line.time, local);
  assertOrderedOnce(await alice.snapshot(), 'alice', { contiguous: true });

  for (const page of [alice, bob, carol]) assert.deepEqual(page.errors, [], `${page.name} page errors`);
});

test('a page reloaded mid-conversation is back under its name, in its room, each line once', async () => {
  const before = said(await alice.snapshot());
  await bob.reload();
  let sawLogin = false;
  const back = await bob.waitFor((s) => {
    sawLogin ||= s.showsLogin;
    return s.loggedIn && s.currentRoom === ROOM && chatLines(s).length >= before.length;
  }, 'bob back in the room after the reload');
  assert.equal(sawLogin, false, 'the reloaded page asked for a name');
  assert.equal(back.myName, 'bob');
  assert.equal(back.hasSession, true);
  assert.deepEqual(said(back), before, 'the earlier lines, once each, in order');
  assertOrderedOnce(back, 'bob', { contiguous: true });
  await bob.waitFor((s) => sameMembers(s, ['alice', 'bob']), 'bob to list alice and bob');
  await alice.waitFor((s) => sameMembers(s, ['alice', 'bob']), 'alice to list bob again');

  // The conversation goes on both ways.
  await bob.say('rechargé, me revoilà');
  await alice.waitFor((s) => hasLine(s, 'bob', 'rechargé, me revoilà'), 'alice to get the line after the reload');
  await alice.say('bon retour');
  await bob.waitFor((s) => hasLine(s, 'alice', 'bon retour'), 'bob to get the reply');
  for (const page of [alice, bob]) assert.deepEqual(page.errors, [], `${page.name} page errors`);
});

test('the server restarts mid-conversation: both resume, miss nothing and double nothing', async () => {
  await suite.stopServer();
  for (const page of [alice, bob]) {
    await page.waitFor((s) => s.connection !== 'online' && /Disconnected|Reconnecting/.test(s.status),
                       `${page.name} to report the drop`);
  }
  await new Promise((resolve) => setTimeout(resolve, 1500));  // the clients' retries back off
  await suite.restartServer();

  // Lines said before the browsers are back: they must arrive with the resume.
  const robot = await suite.robot('robot');
  robot.send({ action: 'join_room', room: ROOM });
  await robot.waitFor((f) => f.event === 'joined', 'robot in the room');
  const missed = [1, 2, 3].map((i) => `pendant la coupure ${i}`);
  for (const text of missed) robot.send({ action: 'send_message', message: text });
  await robot.waitFor((f) => f.message === `robot: ${missed[2]}`, 'the robot\'s lines stored');

  const views = [];
  for (const page of [alice, bob]) {
    views.push(await page.waitFor((s) => s.loggedIn && s.myName === page.name && s.currentRoom === ROOM &&
                                         hasLine(s, 'robot', missed[2]),
                                  `${page.name} resumed with the missed lines`, 30000));
  }
  for (const [i, page] of [alice, bob].entries()) {
    assertOrderedOnce(views[i], page.name, { contiguous: true });
    for (const text of missed) {
      assert.equal(chatLines(views[i]).filter((l) => l.text === text).length, 1, `${page.name}: "${text}" once`);
    }
  }
  assert.deepEqual(said(views[1]), said(views[0]), 'alice and bob show the same conversation');

  const BACK = `de retour dans ${ROOM} ✓`;
  await alice.say(BACK);
  await bob.waitFor((s) => hasLine(s, 'alice', BACK), 'a line after the restart');
  await bob.say('bien reçu');
  await alice.waitFor((s) => hasLine(s, 'bob', 'bien reçu'), 'the answer after the restart');
  await alice.waitFor((s) => sameMembers(s, ['alice', 'bob', 'robot']), 'alice to list the three');
  await alice.screenshot(path.join(artifacts, 'after-restart.png'));
  for (const page of [alice, bob]) assert.deepEqual(page.errors, [], `${page.name} page errors`);
});

test('scrolling up with the mouse wheel loads older lines, once each', async () => {
  const ARCHIVE = 'archives';
  const COUNT = 120;
  const robot = suite.robots[0];
  robot.send({ action: 'create_room', room: ARCHIVE });
  await robot.waitFor((f) => f.event === 'room_created' && f.room === ARCHIVE, 'the archive room');
  robot.send({ action: 'join_room', room: ARCHIVE });
  await robot.waitFor((f) => f.event === 'joined' && f.room === ARCHIVE, 'robot in the archive room');
  for (let i = 1; i <= COUNT; ++i) robot.send({ action: 'send_message', message: `archive ${i}` });
  await robot.waitFor((f) => f.message === `robot: archive ${COUNT}`, 'the archive written');

  await carol.click(`room:${ARCHIVE}`);
  const entered = await carol.waitFor((s) => s.currentRoom === ARCHIVE && chatLines(s).length > 0,
                                      'carol in the archive room');
  assert.equal(chatLines(entered).length, 50, 'the latest page on entering');
  assert.equal(entered.hasOlder, true);

  // One turn of the wheel to the top loads one page, not every page.
  await carol.wheel('log', -100000);
  await carol.waitFor((s) => chatLines(s).length === 100, 'one older page');
  await carol.frames(30);
  const onePage = await carol.snapshot();
  assert.equal(chatLines(onePage).length, 100, 'pages load only at the top, one at a time');
  assert.ok(onePage.logScroll.y > 0, 'the lines read stay in view, not the top of the new page');

  const full = await carol.waitFor((s) => chatLines(s).length === COUNT && !s.hasOlder, 'every line', 20000,
                                   () => carol.wheel('log', -100000));
  assert.deepEqual(said(full), Array.from({ length: COUNT }, (_, i) => `robot: archive ${i + 1}`));
  assertOrderedOnce(full, 'carol', { contiguous: true });
  await carol.screenshot(path.join(artifacts, 'scrolled-back.png'));
  assert.deepEqual(carol.errors, [], 'carol page errors');
});
