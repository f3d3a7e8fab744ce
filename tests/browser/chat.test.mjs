// The main scenario in a real browser: two users (one refused first), a room created and joined
// by clicking it, lines with accents and emoji, a user elsewhere who sees none of it, copy and
// paste, then a server restart the clients survive on their own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ChatPage, hasLine, launchBrowser, pixelDeviation, startServer, tempDir } from './harness.mjs';

const ROOM = 'café-jeux';
const HELLO = 'Salut à tous 👋 — ça va ? Ωμέγα, Жж, ĳ ŉ';
const SECOND = 'deuxième ligne, même champ';
const REPLY = 'Très bien, merci ! 🎉';
const artifacts = process.env.CHAT_ARTIFACTS_DIR || path.resolve('build/browser-artifacts');

let browser;
let server;
const dataDir = tempDir('chat-browser-data-');
const pages = [];

before(async () => {
  server = await startServer({ dataDir });
  browser = await launchBrowser();
});

after(async () => {
  for (const page of pages) await page.close().catch(() => {});
  if (browser) await browser.close();
  if (server) await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function open(name) {
  const page = await ChatPage.open(browser, server.url, name);
  pages.push(page);
  return page;
}

async function login(page, name) {
  await page.typeInto('login.name', name);
  await page.press('Enter');
}

test('two users chat in a room; a third elsewhere sees nothing; the client survives a restart', async () => {
  const alice = await open('alice');
  const bob = await open('bob');
  const carol = await open('carol');

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

  // Restart the server on the same port: the clients say so, reconnect and log back in.
  const port = server.port;
  await server.stop();
  for (const page of [alice, bob]) {
    await page.waitFor((s) => s.connection !== 'online' && /Disconnected|Reconnecting/.test(s.status),
                       `${page.name} to report the drop`);
  }
  server = await startServer({ port, dataDir });
  for (const page of [alice, bob]) {
    await page.waitFor((s) => s.loggedIn && s.myName === page.name, `${page.name} logged back in`, 30000);
  }
  // Both went back to the same room (the old one if the server kept it, else general).
  const [a, b] = [await alice.snapshot(), await bob.snapshot()];
  await bob.waitFor((s) => s.currentRoom === a.currentRoom, 'bob in the same room as alice');
  const BACK = `de retour dans ${a.currentRoom} ✓`;
  await alice.typeInto('chat.input', BACK);
  await alice.press('Enter');
  await bob.waitFor((s) => hasLine(s, 'alice', BACK), 'a line after the restart');
  assert.ok(b.loggedIn);
  await alice.screenshot(path.join(artifacts, 'after-restart.png'));

  for (const page of [alice, bob, carol]) assert.deepEqual(page.errors, [], `${page.name} page errors`);
});
