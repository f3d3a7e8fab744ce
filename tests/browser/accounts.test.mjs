// Accounts in a real browser (docs/PROTOCOL.md, "Accounts"): a person creates an account with the
// mouse and keyboard (the password field masked), reloads the page and is still signed in, signs
// out, signs in again with the password; a guest in a second browser context who asks for that
// name is refused and asked for its password, and a wrong one is told at the form; the name
// screen's controls are in the accessibility tree; and a session ended from elsewhere (a password
// changed by a script signed in to the same account) returns the page to the sign-in form.
// The tests run in order and share the pages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { SeedClient, chatSuite } from './harness.mjs';

const suite = chatSuite('chat-accounts-data-');
const artifacts = process.env.CHAT_ARTIFACTS_DIR || path.resolve('build/browser-artifacts');
const PASSWORD = 'correct horse battery';
const NEW_PASSWORD = 'staple cow lamp wire';
let alice;

const signedInAs = (name) => (s) => s.loggedIn && s.signedIn && s.myName === name && s.status === `Signed in as ${name}`;

test('create an account, reload still signed in, sign out, sign in again with the password', async () => {
  alice = await suite.open('alice');
  await alice.chooseForm('create_account');
  await alice.waitFor((s) => s.widgets['login.password'], 'the password field');
  await alice.typeInto('login.name', 'alice');
  await alice.typeInto('login.password', PASSWORD);
  await alice.press('Enter');
  await alice.waitFor(signedInAs('alice'), 'alice signed in to her new account');

  // The session is kept as a guest's token is (sessionStorage); the password is kept nowhere.
  const stored = await alice.page.evaluate(() => JSON.stringify(Object.entries(sessionStorage)));
  assert.ok(!stored.includes(PASSWORD), 'the password is not stored');
  assert.match(stored, /"chat\.account","1"/);
  const snapshot = JSON.stringify(await alice.snapshot());
  assert.ok(!snapshot.includes(PASSWORD), 'the password is not in the view');

  // A reload resumes the session: never the name screen, still signed in.
  await alice.reload();
  let sawLogin = false;
  const back = await alice.waitFor((s) => {
    sawLogin ||= s.showsLogin;
    return signedInAs('alice')(s);
  }, 'alice still signed in after the reload');
  assert.equal(sawLogin, false, 'the reloaded page asked for a name');
  assert.equal(back.hasSession, true);

  // Sign out: the sign-in form, the name offered again, nothing left to resume.
  await alice.click('signout');
  const out = await alice.waitFor((s) => s.showsLogin && !s.loggedIn && !s.signedIn && !s.hasSession,
                                  'alice signed out');
  assert.equal(out.loginMode, 'sign_in');
  assert.match(out.loginNotice, /signed out/);
  await alice.reload();
  await alice.waitFor((s) => s.connection === 'online' && s.showsLogin && !s.hasSession,
                      'still signed out after a reload');
  await alice.frames(10);

  // Sign in again with the password, by the form's own fields and button.
  await alice.chooseForm('sign_in');
  await alice.typeInto('login.name', 'alice');
  await alice.typeInto('login.password', PASSWORD);
  await alice.click('login.button');
  await alice.waitFor(signedInAs('alice'), 'alice signed in again');
  await alice.screenshot(path.join(artifacts, 'signed-in.png'));  // for people to look at
  await alice.page.waitForFunction(() => document.getElementById('text-input').type === 'text');
  assert.deepEqual(alice.errors, []);
});

test('a guest asking for the name is refused and asked for its password', async () => {
  const guest = await suite.open('guest');
  assert.equal((await guest.snapshot()).loginMode, 'guest', 'a guest by default');
  await guest.typeInto('login.name', 'Alice');  // a spelling of the same name
  await guest.press('Enter');
  const asked = await guest.waitFor((s) => s.loginMode === 'sign_in' && /belongs to an account/.test(s.loginError),
                                    'the guest asked for the password');
  await guest.screenshot(path.join(artifacts, 'guest-asked-for-password.png'));
  assert.equal(asked.loggedIn, false);
  assert.equal(asked.showsLogin, true);
  // The name is there; the keyboard is in the password field, masked: what is typed lands there.
  await guest.waitFor((s) => s.activeField === 'login.password', 'the keyboard in the password field');
  // The page's hidden input that carries the keys is a password input meanwhile: no echo.
  await guest.page.waitForFunction(() => document.getElementById('text-input').type === 'password');
  await guest.page.keyboard.type('not her password');
  await guest.press('Enter');
  const refused = await guest.waitFor((s) => /wrong name or password/.test(s.loginError), 'a wrong password told');
  assert.equal(refused.loggedIn, false);
  assert.equal(refused.signedIn, false);

  // The name screen's controls, for a screen reader and the keyboard.
  await guest.frames(4);
  const tree = await guest.page.locator('body').ariaSnapshot();
  assert.match(tree, /group "How to join"/);
  assert.match(tree, /button "Join as guest"/);
  assert.match(tree, /button "Sign in" \[pressed\]/);
  assert.match(tree, /button "Create account"/);
  assert.match(tree, /textbox "Name"/);
  assert.match(tree, /textbox "Password"/);
  assert.match(tree, /alert: .*wrong name or password/);
  assert.equal(await guest.page.locator('#a11y-login-password').getAttribute('type'), 'password');

  // Joining as a guest under another name still works.
  await guest.chooseForm('guest');
  await guest.click('login.name');
  await guest.press('Control+A');
  await guest.page.keyboard.type('invité');
  await guest.press('Enter');
  await guest.waitFor((s) => s.loggedIn && !s.signedIn && s.myName === 'invité', 'the guest logged in');
  assert.deepEqual(guest.errors, []);
});

test('a session ended from elsewhere returns the page to the sign-in form', async () => {
  // Another device signs in to alice and changes the password: every other session ends (4001).
  const script = await SeedClient.connect(suite.server.port);
  suite.robots.push(script);
  script.send({ action: 'login', user: 'alice', password: PASSWORD });
  await script.waitFor((f) => f.event === 'logged_in' && f.account === true, 'the script signed in');
  script.send({ action: 'change_password', password: PASSWORD, new_password: NEW_PASSWORD });
  await script.waitFor((f) => f.event === 'password_changed', 'the password changed');

  const ended = await alice.waitFor((s) => s.showsLogin && !s.signedIn && /session was ended/.test(s.loginError),
                                    'alice told her session was ended');
  assert.equal(ended.loginMode, 'sign_in');
  assert.equal(ended.hasSession, false, 'the dead token is forgotten');
  await alice.waitFor((s) => s.connection === 'online' && s.showsLogin, 'connected again, asking for the password');
  await alice.typeInto('login.password', NEW_PASSWORD);
  await alice.press('Enter');
  await alice.waitFor(signedInAs('alice'), 'alice signed in with the new password');
  assert.deepEqual(alice.errors, []);
});
