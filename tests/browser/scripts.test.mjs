// Every script, in real Chromium with real keys: a line mixing Chinese, emoji, Arabic, Hebrew,
// Thai, Devanagari, Korean, full-width letters and a letter + combining mark is typed by one user
// and received by another exactly as typed (no normalisation), and each of its glyphs was drawn
// by a system font (none fell back to U+FFFD), emoji in colour. Also screenshots for the README.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const MIXED = [
  '你好 👋☕ 안녕하세요',
  'مرحبا بالعالم · שלום עולם',
  'สวัสดีครับ नमस्ते क्षत्रिय',
  'Ｆｕｌｌ ｗｉｄｔｈ, Jose\u0301 👨‍👩‍👧 🇫🇷',
];
const artifacts = process.env.CHAT_ARTIFACTS_DIR || path.resolve('build/browser-artifacts');
const docs = process.env.CHAT_DOCS_DIR;  // set to docs/ to refresh the README's screenshots

const suite = chatSuite('chat-scripts-data-');

const loggedIn = (name, options) => suite.loggedIn(name, options);

test('lines in every script are typed, sent as typed, and drawn with real glyphs', async () => {
  const ana = await loggedIn('Ana');
  const wen = await loggedIn('文静', { deviceScaleFactor: 2 });
  for (const line of MIXED) {
    await ana.typeInto('chat.input', line);
    await ana.press('Enter');
  }
  for (const page of [ana, wen]) {
    const s = await page.waitFor((snap) => MIXED.every((line) => hasLine(snap, 'Ana', line)) &&
                                           !snap.glyphs.pending,
                                 `${page.name}: every line, glyphs drawn`);
    await page.screenshot(path.join(artifacts, `scripts-dpr${s.devicePixelRatio}.png`));
    console.log(page.name, JSON.stringify(s.glyphs));
    assert.deepEqual(s.glyphs.missing, [], `${page.name}: drawn as U+FFFD: ${s.glyphs.missing}`);
    assert.ok(s.glyphs.colored >= 3, `${page.name}: emoji in colour (${s.glyphs.colored} colour glyphs)`);
    assert.equal(page.errors.length, 0, page.errors.join('\n'));
  }
  // Exactly as typed: the combining accent is still two code points on the receiving side.
  const received = (await wen.snapshot()).log.find((line) => line.text.startsWith('Ｆｕｌｌ'));
  assert.ok(received.text.includes('e\u0301'), 'no normalisation on the way');

  assert.equal((await wen.snapshot()).devicePixelRatio, 2);
  if (docs) {
    await ana.screenshot(path.join(docs, 'screenshot-dpr1.png'));
    await wen.screenshot(path.join(docs, 'screenshot-dpr2.png'));
  }
});
