// Private rooms and direct conversations in a real browser (docs/ACCOUNTS.md, "Step 3"): two
// people, each with an account, in two browser contexts, with the mouse and keyboard only. Alice
// creates a private room (bob does not see it), invites bob (it appears in his list, marked
// private), they chat in it, she removes him (it leaves his list and he is back in general); then
// bob leaves one himself. A conversation started from the members list ("Message") reaches the
// other person while they look at a room, and the answer comes back.
// The tests run in order and share the pages.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';

import { chatSuite, hasLine } from './harness.mjs';

const suite = chatSuite('chat-private-data-');
const artifacts = process.env.CHAT_ARTIFACTS_DIR || path.resolve('build/browser-artifacts');
let alice;
let bob;

test('a private room: created, invited into, chatted in, and the removed person loses it', async () => {
  alice = await suite.account('alice');
  bob = await suite.account('bob');

  // Alice ticks "Private" and creates the room.
  await alice.typeInto('room.name', 'secret');
  await alice.click('room.private');
  await alice.click('room.create');
  await alice.waitFor((s) => s.rooms.includes('secret') && s.privateRooms.includes('secret'),
                      'the private room in alice\'s list');
  await bob.frames(10);
  assert.ok(!(await bob.snapshot()).rooms.includes('secret'), 'bob does not see a room he is not in');

  // In it, she is its owner: the member list and the Invite field.
  await alice.click('room:secret');
  await alice.waitFor((s) => s.currentRoom === 'secret' && s.roomOwner === 'alice' && s.widgets['member.invite.name'],
                      'alice in her room, its members shown');
  await alice.typeInto('member.invite.name', 'bob');
  await alice.press('Enter');
  await alice.waitFor((s) => s.roomMembers.includes('bob'), 'bob among the members');

  // Bob sees the room appear, marked private, and goes in.
  await bob.waitFor((s) => s.rooms.includes('secret') && s.privateRooms.includes('secret'), 'the room in bob\'s list');
  await bob.frames(4);
  const tree = await bob.page.locator('#a11y-rooms').ariaSnapshot();
  assert.match(tree, /button "Room secret, private"/);
  await bob.click('room:secret');
  await bob.waitFor((s) => s.currentRoom === 'secret' && s.roomOwner === 'alice' && s.widgets['room.leave'],
                    'bob in the room, offered to leave it');
  assert.equal((await bob.snapshot()).widgets['member.invite.name'], undefined, 'only the owner invites');
  await bob.say('hello from bob');
  await alice.waitFor((s) => hasLine(s, 'bob', 'hello from bob'), 'bob\'s line in the room');
  await alice.screenshot(path.join(artifacts, 'private-room.png'));

  // The owner's controls are in the accessibility tree too.
  await alice.waitFor((s) => s.widgets['member.remove:bob'], 'Remove beside bob');
  await alice.frames(4);
  const controls = await alice.page.locator('#a11y-private').ariaSnapshot();
  assert.match(controls, /button "Remove bob from secret"/);
  assert.match(controls, /textbox "Invite by name"/);

  // Alice removes him: the room leaves his list and the server puts him in general.
  await alice.click('member.remove:bob');
  await alice.waitFor((s) => !s.roomMembers.includes('bob'), 'bob no longer a member');
  await bob.waitFor((s) => !s.rooms.includes('secret') && !s.privateRooms.includes('secret') && s.currentRoom === 'general',
                    'the room gone from bob\'s list, bob in general');
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});

test('a member leaves a private room with "Leave room"', async () => {
  await alice.typeInto('member.invite.name', 'bob');
  await alice.click('member.invite');
  await bob.waitFor((s) => s.rooms.includes('secret'), 'the room back in bob\'s list');
  await bob.click('room:secret');
  // The members' answer redraws the panel around "Leave room": click once it has come (under a
  // loaded machine it can come between the snapshot a click aims by and the click itself).
  await bob.waitFor((s) => s.currentRoom === 'secret' && s.roomOwner === 'alice' && s.roomMembers.includes('bob') &&
                           s.widgets['room.leave'], 'bob in the room, its members shown');
  await bob.frames(2);
  await bob.click('room.leave');
  await bob.waitFor((s) => !s.rooms.includes('secret') && s.currentRoom === 'general', 'bob left the room');
  await alice.waitFor((s) => !s.roomMembers.includes('bob'), 'alice sees bob gone');
});

test('a conversation started from the members list reaches the other person', async () => {
  await suite.robot('visitor');  // a guest: no one can write to a guest
  await alice.click('room:general');
  await alice.waitFor((s) => s.currentRoom === 'general' && s.members.includes('bob') && s.members.includes('visitor'),
                      'alice with bob and a guest in general');

  await alice.frames(4);
  const mirror = await alice.page.locator('#a11y-message').ariaSnapshot();
  assert.match(mirror, /button "Message bob"/);
  assert.doesNotMatch(mirror, /Message visitor/);
  await alice.click('member:visitor');
  assert.equal((await alice.snapshot()).widgets['member.message'], undefined, 'no menu on a guest\'s name');
  // Alice clicks bob's name, then "Message".
  await alice.click('member:bob');
  await alice.click('member.message');
  await alice.waitFor((s) => s.currentDm === 'bob' && s.dms.includes('bob'), 'the conversation with bob shown');
  await alice.say('psst, bob');
  await alice.waitFor((s) => hasLine(s, 'alice', 'psst, bob'), 'alice\'s own copy in the conversation');

  // Bob, looking at general, sees the conversation listed; its line is not in the room's log.
  const listed = await bob.waitFor((s) => s.dms.includes('alice'), 'the conversation in bob\'s list');
  assert.equal(listed.currentRoom, 'general');
  assert.ok(!hasLine(listed, 'alice', 'psst, bob'), 'a direct line is not shown in the room');
  await bob.click('dm:alice');
  await bob.waitFor((s) => s.currentDm === 'alice' && hasLine(s, 'alice', 'psst, bob'), 'bob reads the conversation');
  await bob.say('hi alice');
  await alice.waitFor((s) => hasLine(s, 'bob', 'hi alice'), 'bob\'s answer reaches alice');
  await bob.screenshot(path.join(artifacts, 'direct-messages.png'));

  // Choosing the room again shows the room's log.
  await bob.click('room:general');
  await bob.waitFor((s) => s.currentDm === '' && s.currentRoom === 'general', 'bob back in general');
  assert.deepEqual(alice.errors, []);
  assert.deepEqual(bob.errors, []);
});
