// The account screen in a real browser (docs/PROTOCOL.md, "Accounts"): alice, signed in on two
// devices (two browser contexts), opens "Account" with the mouse: both sessions are listed, this
// device marked; "End" beside the other one closes that page back to its sign-in form. She
// changes her password: a wrong current one and a too short new one are told at the form, the
// right change says so, and the new password signs her in on the other device. The screen's
// controls are in the accessibility tree, and the keyboard alone changes the password again.
// The tests run in order and share the page.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { chatSuite } from './harness.mjs';

const suite = chatSuite('chat-account-screen-data-');
const artifacts = process.env.CHAT_ARTIFACTS_DIR || path.resolve('build/browser-artifacts');
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'staple cow lamp wire';
const THIRD_PASSWORD = 'a third password, typed';
let laptop;

// Replaces what a field holds (a refused form keeps its text) with `text`, by the keyboard.
async function retype(page, widget, text) {
  await page.click(widget);
  await page.waitFor((s) => s.activeField === widget, `${widget} to be active`);
  await page.press('Control+A');
  await page.page.keyboard.type(text);
  await page.frames();
}

test('the sessions listed, the other one ended, the password changed and used', async () => {
  laptop = await suite.account('alice', PASSWORD);
  const phone = await suite.open('alice on her phone');
  await phone.enterAccount('alice', PASSWORD);

  await laptop.click('account');
  // The list is state as soon as it arrives; its rows are widgets once a frame has drawn them.
  const listed = await laptop.waitFor((s) => s.accountOpen && s.sessions.length === 2 && s.widgets['account.close'] &&
                                      s.sessions.every((session) => session.current || s.widgets[`session.end:${session.id}`]),
                                      'two sessions listed, each drawn');
  const mine = listed.sessions.find((session) => session.current);
  const other = listed.sessions.find((session) => !session.current);
  assert.ok(mine && other, 'this device marked, the other not');
  assert.ok(other.created > 0 && other.lastUsed >= other.created);
  const end = listed.widgets[`session.end:${other.id}`];
  assert.ok(end, '"End" beside the other device');
  assert.ok(end.x >= 0 && end.x + end.width <= 960 && end.y + end.height <= 640, '"End" on screen');
  assert.equal(listed.widgets[`session.end:${mine.id}`], undefined, 'not beside this one: "Sign out" ends it');
  await laptop.frames(4);
  const tree = await laptop.page.locator('#a11y-account').ariaSnapshot();
  assert.match(tree, /textbox "Current password"/);
  assert.match(tree, new RegExp(`button "End session of device ${other.id}"`));
  await laptop.screenshot(path.join(artifacts, 'account-screen.png'));

  // "End": the phone's page is closed back to the sign-in form; the list keeps this device.
  await laptop.click(`session.end:${other.id}`);
  await phone.waitFor((s) => s.showsLogin && !s.signedIn && s.loginMode === 'sign_in', 'the phone signed out');
  await laptop.waitFor((s) => s.sessions.length === 1 && s.sessions[0].current, 'one session left');

  // A wrong current password, then a new one too short: told at the form.
  await laptop.typeInto('account.password', 'not my password');
  await laptop.typeInto('account.new_password', NEW_PASSWORD);
  await laptop.press('Enter');
  await laptop.waitFor((s) => s.passwordError !== '', 'the wrong password refused');
  await retype(laptop, 'account.password', PASSWORD);
  await retype(laptop, 'account.new_password', 'short');
  await laptop.click('account.change');
  const short = await laptop.waitFor((s) => /8/.test(s.passwordError), 'the short password refused');
  assert.equal(short.passwordNotice, '');

  // The right change.
  await retype(laptop, 'account.password', PASSWORD);
  await retype(laptop, 'account.new_password', NEW_PASSWORD);
  await laptop.click('account.change');
  await laptop.waitFor((s) => s.passwordNotice !== '' && s.passwordError === '', 'the password changed');
  await laptop.page.waitForFunction(() => document.getElementById('a11y-account-message').textContent !== '');
  const fields = await laptop.snapshot();
  assert.ok(fields.signedIn, 'this device stays signed in');

  // Back to the chat; the phone signs in with the new password.
  await laptop.click('account.close');
  await laptop.waitFor((s) => !s.accountOpen && s.widgets['chat.input'], 'the chat shown again');
  await phone.typeInto('login.password', NEW_PASSWORD);
  await phone.press('Enter');
  await phone.waitFor((s) => s.signedIn && s.myName === 'alice', 'the phone signed in with the new password');
  assert.deepEqual(laptop.errors, []);
  assert.deepEqual(phone.errors, []);
});

test('by the keyboard alone: Account, both passwords, Change password, Back to chat', async () => {
  // Escape leaves the message field for the rooms; "Account" is before them.
  await laptop.press('Escape');
  await laptop.tabTo('Account', 20, 'Shift+Tab');
  await laptop.press('Enter');
  await laptop.waitFor((s) => s.accountOpen && s.widgets['account.password'], 'the account screen open');
  await laptop.page.waitForFunction(() => document.getElementById('a11y-account-open').getAttribute('aria-expanded') === 'true');

  await laptop.tabTo('Current password');
  await laptop.waitFor((s) => s.activeField === 'account.password', 'the current password field to have the keyboard');
  assert.equal(await laptop.page.evaluate(() => document.activeElement.type), 'password', 'a password input: not read out');
  await laptop.page.keyboard.type(NEW_PASSWORD);
  await laptop.frames();
  await laptop.press('Tab');
  await laptop.waitFor((s) => s.activeField === 'account.new_password', 'the new password field to have the keyboard');
  await laptop.page.keyboard.type(THIRD_PASSWORD);
  await laptop.frames();
  await laptop.tabTo('Change password');
  await laptop.press('Enter');
  await laptop.waitFor((s) => s.passwordNotice !== '' && s.passwordError === '', 'the password changed from the keyboard');
  await laptop.page.waitForFunction(() => document.getElementById('a11y-account-message').textContent !== '');

  await laptop.tabTo('Back to chat');
  await laptop.press('Enter');
  await laptop.waitFor((s) => !s.accountOpen, 'the chat shown again');
  assert.deepEqual(laptop.errors, []);
});
