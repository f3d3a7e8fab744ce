// The Redis forms of tokens, accounts and rooms (redis_cluster_codec): round trips, records written
// before accounts or private rooms existed, and malformed values refused rather than misread.
#include <gtest/gtest.h>

#include "server/engine/redis/redis_cluster_codec.hpp"

namespace chat::redis {
namespace {

StoredToken account_token() {
  StoredToken token{"0123456789abcdef", std::string(64, 'a'), "alice", 1700000000123};
  token.account = 42;
  token.created_ms = 1690000000000;
  return token;
}

StoredAccount alice() {
  StoredAccount account;
  account.id = 7;
  account.name = "Alice";
  account.identity_key = "alice";
  account.lookalike_key = "alice";
  account.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
  account.created_ms = 1700000000000;
  account.password_changed_ms = 1700000000500;
  return account;
}

void expect_same_token(const StoredToken& expected, const StoredToken& actual) {
  EXPECT_EQ(expected.id, actual.id);
  EXPECT_EQ(expected.secret_hash, actual.secret_hash);
  EXPECT_EQ(expected.user, actual.user);
  EXPECT_EQ(expected.last_used_ms, actual.last_used_ms);
  EXPECT_EQ(expected.account, actual.account);
  EXPECT_EQ(expected.created_ms, actual.created_ms);
}

TEST(RedisClusterCodecTest, AnAccountTokenRecordRoundTrips) {
  const StoredToken token = account_token();
  const auto decoded = decode_token_record(token.id, encode_token_record(token));
  ASSERT_TRUE(decoded);
  expect_same_token(token, *decoded);
}

TEST(RedisClusterCodecTest, AGuestTokenRecordRoundTripsWithAccountZero) {
  StoredToken token{"0123456789abcdef", std::string(64, 'b'), "bob", 5};
  token.created_ms = 3;
  const auto decoded = decode_token_record(token.id, encode_token_record(token));
  ASSERT_TRUE(decoded);
  expect_same_token(token, *decoded);
}

TEST(RedisClusterCodecTest, ARecordFromBeforeAccountsReadsAsAGuestTokenCreatedAtZero) {
  const auto decoded = decode_token_record("0123456789abcdef", "1700000000123:" + std::string(64, 'c') + ":carol");
  ASSERT_TRUE(decoded);
  EXPECT_EQ("carol", decoded->user);
  EXPECT_EQ(1700000000123, decoded->last_used_ms);
  EXPECT_EQ(0, decoded->account);
  EXPECT_EQ(0, decoded->created_ms);
}

// Names may hold colons: an old record of "x:1:2" must stay a guest token of "x:1:2", never
// become account 1's session.
TEST(RedisClusterCodecTest, AnOldRecordWhoseNameLooksLikeAnAccountPartStaysAGuestToken) {
  const auto decoded = decode_token_record("0123456789abcdef", "9:" + std::string(64, 'd') + ":x:1:2");
  ASSERT_TRUE(decoded);
  EXPECT_EQ("x:1:2", decoded->user);
  EXPECT_EQ(0, decoded->account);
  StoredToken token = account_token();
  token.user = "x:1:2";
  const auto again = decode_token_record(token.id, encode_token_record(token));
  ASSERT_TRUE(again);
  expect_same_token(token, *again);
}

TEST(RedisClusterCodecTest, AMalformedAccountPartIsRefused) {
  const std::string head = "9:" + std::string(64, 'e') + ":erin";
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark + "12"));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark + "x:5"));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", head + kTokenAccountMark + "1:-5"));
  EXPECT_FALSE(decode_token_record("0123456789abcdef", std::string(1, kTokenAccountMark) + "1:5"));
}

TEST(RedisClusterCodecTest, TheTokenSavedEventCarriesTheAccountAndCreationTime) {
  const StoredToken token = account_token();
  const auto event = decode_token_event(encode_token_saved(token));
  ASSERT_TRUE(event);
  const auto* saved = std::get_if<StoredToken>(&*event);
  ASSERT_NE(nullptr, saved);
  expect_same_token(token, *saved);
}

TEST(RedisClusterCodecTest, AccountFieldsRoundTripWithTheHashOnlyWhenAsked) {
  const StoredAccount account = alice();
  const auto flat = encode_account_fields(account);
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) fields.emplace_back(flat[i], flat[i + 1]);
  const auto with_hash = decode_account_fields(account.id, fields, true);
  ASSERT_TRUE(with_hash);
  EXPECT_EQ(account.name, with_hash->name);
  EXPECT_EQ(account.identity_key, with_hash->identity_key);
  EXPECT_EQ(account.lookalike_key, with_hash->lookalike_key);
  EXPECT_EQ(account.password_hash, with_hash->password_hash);
  EXPECT_EQ(account.created_ms, with_hash->created_ms);
  EXPECT_EQ(account.password_changed_ms, with_hash->password_changed_ms);
  const auto without = decode_account_fields(account.id, fields, false);
  ASSERT_TRUE(without);
  EXPECT_TRUE(without->password_hash.empty());
}

TEST(RedisClusterCodecTest, MalformedAccountFieldsAreRefused) {
  const StoredAccount account = alice();
  const auto flat = encode_account_fields(account);
  for (std::size_t skip = 0; skip + 1 < flat.size(); skip += 2) {
    std::vector<std::pair<std::string, std::string>> fields;
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
      if (i != skip) fields.emplace_back(flat[i], flat[i + 1]);
    }
    EXPECT_FALSE(decode_account_fields(account.id, fields, true)) << "without " << flat[skip];
  }
  std::vector<std::pair<std::string, std::string>> fields;
  for (std::size_t i = 0; i + 1 < flat.size(); i += 2) fields.emplace_back(flat[i], flat[i + 1]);
  EXPECT_FALSE(decode_account_fields(0, fields, true));
  auto bad = fields;
  bad[2].second = "soon";  // created_ms
  EXPECT_FALSE(decode_account_fields(account.id, bad, true));
  bad = fields;
  bad[0].second = "\xff\xfe";  // name not UTF-8
  EXPECT_FALSE(decode_account_fields(account.id, bad, true));
  bad = fields;
  bad[1].second = "has space";  // hash
  EXPECT_FALSE(decode_account_fields(account.id, bad, true));
}

TEST(RedisClusterCodecTest, TheAccountEventRoundTripsWithoutTheHash) {
  StoredAccount account = alice();
  account.name = "a:b 3:c";  // colons and digits in the name, different keys
  account.identity_key = "a:b 3:c";
  account.lookalike_key = "a:b3:c";
  const std::string event = encode_account_created(account);
  EXPECT_EQ(std::string::npos, event.find(account.password_hash));
  const auto decoded = decode_account_created(event);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(account.id, decoded->id);
  EXPECT_EQ(account.name, decoded->name);
  EXPECT_EQ(account.identity_key, decoded->identity_key);
  EXPECT_EQ(account.lookalike_key, decoded->lookalike_key);
  EXPECT_EQ(account.created_ms, decoded->created_ms);
  EXPECT_EQ(account.password_changed_ms, decoded->password_changed_ms);
  EXPECT_TRUE(decoded->password_hash.empty());
}

TEST(RedisClusterCodecTest, MalformedAccountEventsAreRefused) {
  for (const std::string payload : {"", "7", "7:1:2:99:alice5:alice", "x:1:2:5:alice5:alicealice", "7:1:2:5:alice0:",
                                    "0:1:2:5:alice5:alicealice", "7:1:2:5:alice9:alice"}) {
    EXPECT_FALSE(decode_account_created(payload)) << payload;
  }
  EXPECT_TRUE(decode_account_created("7:1:2:5:alice5:alicealice"));
}

// ---- Rooms (docs/ACCOUNTS.md step 3: private rooms and conversations) ----

StoredRoom room_named(const std::string& name, const std::string& creator, std::int64_t created_ms) {
  StoredRoom room;
  room.name = name;
  room.creator = creator;
  room.created_ms = created_ms;
  return room;
}

StoredRoom secret_room() {
  StoredRoom room = room_named("a:b 3", "alice", 1700000000000);
  room.is_private = true;
  room.owner = 7;
  room.members = {7, 12, 3};
  return room;
}

TEST(RedisClusterCodecTest, APrivateRoomRecordKeepsItsOwnerAndAPublicOneIsAsBefore) {
  const auto record = decode_room_record("a:b 3", encode_room_record(secret_room()));
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->is_private);
  EXPECT_EQ(7, record->owner);
  EXPECT_EQ("alice", record->creator);
  EXPECT_TRUE(record->members.empty());  // the record has none: they are in the members set
  EXPECT_EQ("1700000000000:bob", encode_room_record(room_named("x", "bob", 1700000000000)));
  const auto old = decode_room_record("x", "1700000000000:bob");
  ASSERT_TRUE(old);
  EXPECT_FALSE(old->is_private);
  EXPECT_EQ("bob", old->creator);
}

TEST(RedisClusterCodecTest, ThePrivateRoomCreatedEventCarriesItsMembersAndAConversationsNameSurvives) {
  for (StoredRoom room : {secret_room(), room_named(dm_room_name(9, 4), "", 5)}) {
    if (room.creator.empty()) room.is_private = true, room.owner = 0, room.members = {4, 9};
    const auto event = decode_room_event(encode_room_created(room));
    ASSERT_TRUE(event);
    const auto* created = std::get_if<StoredRoom>(&*event);
    ASSERT_NE(nullptr, created);
    EXPECT_EQ(room.name, created->name);
    EXPECT_EQ(room.creator, created->creator);
    EXPECT_EQ(room.created_ms, created->created_ms);
    EXPECT_TRUE(created->is_private);
    EXPECT_EQ(room.owner, created->owner);
    EXPECT_EQ(room.members, created->members);
  }
}

TEST(RedisClusterCodecTest, MemberEventsRoundTripWhateverTheRoomName) {
  for (const bool added : {true, false}) {
    for (const std::string& room : {std::string("general"), std::string("a:b"), dm_room_name(1, 2)}) {
      const auto event = decode_room_event(encode_room_member_changed(RoomMemberChanged{room, 42, added}));
      ASSERT_TRUE(event);
      const auto* change = std::get_if<RoomMemberChanged>(&*event);
      ASSERT_NE(nullptr, change);
      EXPECT_EQ(room, change->room);
      EXPECT_EQ(42, change->account);
      EXPECT_EQ(added, change->added);
    }
  }
}

TEST(RedisClusterCodecTest, MalformedPrivateRoomsAndMemberEventsAreRefused) {
  for (const std::string record : {"1:bob\x1f", "1:bob\x1fq7", "1:bob\x1fp", "1:bob\x1fpx", "1:bob\x1fp7\x1fm1,2"}) {
    EXPECT_FALSE(decode_room_record("x", record)) << record;
  }
  for (const std::string event : {"+1:1:xbob\x1fp7\x1fm1,", "+1:1:xbob\x1fp7\x1fm1,x", "+1:1:xbob\x1fp7\x1fn1",
                                  "+1:1:xbob\x1fp7\x1fm0", "a", "a7", "a7:", "ax:room", "a0:room", "r-1:room",
                                  "a7:\xff"}) {
    EXPECT_FALSE(decode_room_event(event)) << event;
  }
  EXPECT_TRUE(decode_room_event("+1:1:xbob\x1fp7\x1fm"));  // a private room with nobody: tolerated
}

TEST(RedisClusterCodecTest, TheRoomsSnapshotGivesPrivateRoomsTheirMembersAndSkipsBrokenOnes) {
  const auto text = [](std::string value) {
    RedisReply reply;
    reply.type = RedisReply::Type::string;
    reply.text = std::move(value);
    return reply;
  };
  const auto array = [](std::vector<RedisReply> elements) {
    RedisReply reply;
    reply.type = RedisReply::Type::array;
    reply.elements = std::move(elements);
    return reply;
  };
  const RedisReply snapshot = array({
      array({text("open"), text("1:bob"), text("secret"), text("2:al\x1fp7"), text("broken"), text("3:al\x1fp7"),
             text("junk"), text("nope")}),
      text("secret"), array({text("7"), text("9")}),
      text("broken"), array({text("7"), text("x")}),
  });
  std::size_t skipped = 0;
  const auto rooms = decode_rooms_snapshot(snapshot, skipped);
  ASSERT_TRUE(rooms);
  EXPECT_EQ(2u, skipped);
  ASSERT_EQ(2u, rooms->size());
  EXPECT_EQ("open", (*rooms)[0].name);
  EXPECT_FALSE((*rooms)[0].is_private);
  EXPECT_EQ("secret", (*rooms)[1].name);
  EXPECT_EQ((std::vector<AccountId>{7, 9}), (*rooms)[1].members);
  EXPECT_FALSE(decode_rooms_snapshot(text("x"), skipped));
  EXPECT_FALSE(decode_rooms_snapshot(array({}), skipped));
}

}  // namespace
}  // namespace chat::redis
