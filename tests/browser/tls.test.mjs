// The client served over https:// (a certificate made at test time, accepted by the browser
// context) chats over wss:// on the same port: two pages log in and exchange a line each way.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chatSuite, hasLine, makeCertificate } from './harness.mjs';

const suite = chatSuite('chat-browser-tls-', { serverArgs: makeCertificate });

const openLoggedIn = (name) => suite.loggedIn(name);

async function send(page, text) {
  await page.typeInto('chat.input', text);
  await page.press('Enter');
}

test('over https the client chats on wss:// with another page', async () => {
  assert.match(suite.server.url, /^https:/);
  const alice = await openLoggedIn('alice');
  const bob = await openLoggedIn('bob');
  // The port speaks only TLS, so being online means the client's WebSocket is wss://.
  assert.equal(await alice.page.evaluate(() => location.protocol), 'https:');

  await send(alice, 'chiffré de bout en bout 🔒');
  await bob.waitFor((s) => hasLine(s, 'alice', 'chiffré de bout en bout 🔒'), 'bob to get the line over wss');
  await send(bob, 'bien reçu');
  await alice.waitFor((s) => hasLine(s, 'bob', 'bien reçu'), 'alice to get the reply over wss');
  for (const page of [alice, bob]) assert.deepEqual(page.errors, [], `${page.name} page errors`);
});
