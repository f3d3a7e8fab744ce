// Writing messages in real Chromium with real keys: Shift+Enter and a pasted block keep their line
// breaks to the other side, Tab completes a member's name, each room keeps its draft across a
// room switch, Up in an emptied field brings the unsent draft back, and an IME composition shows
// at the caret and is committed into the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const suite = chatSuite('chat-compose-data-');

const loggedIn = (name, options) => suite.loggedIn(name, options);

test('line breaks, name completion, drafts per room and the unsent draft', async () => {
  const ana = await loggedIn('ana');
  const bob = await loggedIn('bob');

  await ana.typeInto('chat.input', 'ligne A');
  await ana.press('Shift+Enter');
  await ana.page.keyboard.type('ligne B');
  await ana.press('Enter');
  await bob.waitFor((s) => hasLine(s, 'ana', 'ligne A\nligne B'), 'the two-line message');

  await ana.page.evaluate(() => navigator.clipboard.writeText('p1\np2\np3'));
  await ana.click('chat.input');
  await ana.press('Control+V');
  await ana.press('Enter');
  await bob.waitFor((s) => hasLine(s, 'ana', 'p1\np2\np3'), 'the pasted block');

  await ana.typeInto('chat.input', 'bo');
  await ana.press('Tab');
  await ana.page.keyboard.type('salut');
  await ana.press('Enter');
  await bob.waitFor((s) => hasLine(s, 'ana', 'bob: salut'), 'the completed name');

  await ana.typeInto('room.name', 'jeux');
  await ana.press('Enter');
  await ana.waitFor((s) => s.rooms.includes('jeux'), 'the new room');
  await ana.typeInto('chat.input', 'brouillon');
  await ana.click('room:jeux');
  // The field follows at the first frame drawn in the new room.
  await ana.waitFor((snap) => snap.currentRoom === 'jeux' && snap.input === '', 'in jeux, which has no draft');
  await ana.click('room:general');
  await ana.waitFor((snap) => snap.currentRoom === 'general' && snap.input === 'brouillon',
                        'the draft of general back');

  await ana.click('chat.input');
  await ana.press('Control+A');
  await ana.press('Backspace');
  await ana.waitFor((snap) => snap.input === '', 'the field emptied');
  await ana.press('ArrowUp');
  await ana.waitFor((snap) => snap.input === 'brouillon', 'the unsent draft recalled');

  // An IME composition (CDP, as an input method sends it): shown at the caret, then committed.
  await ana.press('Control+A');
  await ana.press('Backspace');
  await ana.waitFor((snap) => snap.input === '', 'the field emptied again');
  const cdp = await ana.context.newCDPSession(ana.page);
  await cdp.send('Input.imeSetComposition', { text: 'にほん', selectionStart: 3, selectionEnd: 3 });
  await ana.frames();
  const ime = await ana.page.evaluate(() => {
    const input = document.getElementById('text-input');
    const r = input.getBoundingClientRect();
    return { value: input.value, composing: input.classList.contains('composing'), x: r.x, y: r.y,
             opacity: getComputedStyle(input).opacity };
  });
  assert.equal(ime.value, 'にほん');
  assert.ok(ime.composing && ime.opacity === '1', 'the composition is visible');
  const field = (await ana.snapshot()).widgets['chat.input'];
  assert.ok(ime.x >= field.x && ime.x <= field.x + field.width &&
            ime.y >= field.y - 2 && ime.y <= field.y + field.height,
            `composition at the caret: ${JSON.stringify(ime)} in ${JSON.stringify(field)}`);
  await cdp.send('Input.insertText', { text: '日本' });
  await ana.waitFor((snap) => snap.input === '日本', 'the composition committed into the field');
  await ana.press('Enter');
  await bob.waitFor((snap) => hasLine(snap, 'ana', '日本'), 'the composed line');
  assert.equal(ana.errors.length, 0, ana.errors.join('\n'));
});
