// The codec's accounts frames (docs/PROTOCOL.md, "Accounts"): the exact bytes of each new client
// frame and of the new server fields and frames, round trips, refusals of wrong types and missing
// fields, and the seed's `login` left byte for byte as it was. A file of its own: codec_test.cpp
// covers the frames that existed before accounts.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "shared/codec.hpp"
#include "codec_test_support.hpp"

namespace chat {
namespace {

using namespace codec_test;

MessageFrame decoded_message(std::string_view text) {
  auto result = decode_server_frame(text, kLimits);
  EXPECT_TRUE(result.ok()) << text;
  if (!result.ok()) return {};
  const auto* frame = std::get_if<MessageFrame>(&result.value());
  EXPECT_NE(frame, nullptr) << text;
  return frame ? *frame : MessageFrame{};
}

// ---- Client frames ----------------------------------------------------------------------------

TEST(CodecAccountsClient, EachNewFrameHasItsExactBytes) {
  EXPECT_EQ(encode(ClientFrame{PasswordLogin{"alice", "correct horse"}}),
            R"({"action":"login","user":"alice","password":"correct horse"})");
  EXPECT_EQ(encode(ClientFrame{Register{"alice", "correct horse"}}),
            R"({"action":"register","user":"alice","password":"correct horse"})");
  EXPECT_EQ(encode(ClientFrame{Logout{}}), R"({"action":"logout"})");
  EXPECT_EQ(encode(ClientFrame{ChangePassword{"old one!", "new one!"}}),
            R"({"action":"change_password","password":"old one!","new_password":"new one!"})");
  EXPECT_EQ(encode(ClientFrame{ListSessions{}}), R"({"action":"sessions"})");
  EXPECT_EQ(encode(ClientFrame{EndSession{"465c1a131b47671a"}}),
            R"({"action":"end_session","session":"465c1a131b47671a"})");
}

TEST(CodecAccountsClient, TheRequestIdComesLast) {
  EXPECT_EQ(encode(ClientFrame{Logout{}}, "3"), R"({"action":"logout","request_id":3})");
  EXPECT_EQ(encode(ClientFrame{ListSessions{}}, "\"s\""), R"({"action":"sessions","request_id":"s"})");
  EXPECT_EQ(encode(ClientFrame{PasswordLogin{"bob", "12345678"}}, "9"),
            R"({"action":"login","user":"bob","password":"12345678","request_id":9})");
  const ClientRequest request = decode_client_request(R"({"action":"register","user":"a","password":"p","request_id":4})", kLimits);
  ASSERT_TRUE(request.frame.ok());
  EXPECT_EQ(request.request_id, "4");
}

TEST(CodecAccountsClient, EachNewFrameRoundTrips) {
  const std::vector<ClientFrame> frames = {
      PasswordLogin{"Zoë", "pass \"word\" \\ é 😀"}, Register{"café", "x\ty"},   Logout{},
      ChangePassword{"old", "new \n line"},            ListSessions{},           EndSession{"0011223344556677"},
      PasswordLogin{"bob", ""},  // an empty password is the policy's or the hasher's to refuse, not the codec's
  };
  for (const auto& frame : frames) {
    const std::string text = encode(frame);
    auto decoded = decode_client_frame(text, kLimits);
    ASSERT_TRUE(decoded.ok()) << text;
    EXPECT_EQ(decoded.value().index(), frame.index()) << text;
    EXPECT_EQ(encode(decoded.value()), text);
  }
}

TEST(CodecAccountsClient, DecodesEachFieldAsSent) {
  const auto login = decoded_client<PasswordLogin>(R"({"action":"login","user":"alice","password":"s\u00e9cret 😀"})");
  EXPECT_EQ(login.user, "alice");
  EXPECT_EQ(login.password, "sécret 😀");
  const auto reg = decoded_client<Register>(R"({"password":"p4ssw0rd!","user":"bob","action":"register"})");
  EXPECT_EQ(reg.user, "bob");
  EXPECT_EQ(reg.password, "p4ssw0rd!");
  const auto change = decoded_client<ChangePassword>(R"({"action":"change_password","password":"a","new_password":"b"})");
  EXPECT_EQ(change.password, "a");
  EXPECT_EQ(change.new_password, "b");
  EXPECT_EQ(decoded_client<EndSession>(R"({"action":"end_session","session":"abc"})").session, "abc");
  decoded_client<Logout>(R"({"action":"logout","x":[1]})");  // unknown fields ignored, as everywhere
  decoded_client<ListSessions>(R"({"action":"sessions","all":true})");
}

// A "password" makes a login an account's, whatever "version" says (it needs a session token).
TEST(CodecAccountsClient, APasswordMakesALoginAnAccountsWhateverTheVersion) {
  for (const char* text : {R"({"action":"login","user":"alice","password":"p"})",
                           R"({"action":"login","user":"alice","password":"p","version":1})",
                           R"({"action":"login","user":"alice","password":"p","version":2})",
                           R"({"action":"login","user":"alice","version":7,"password":"p"})"}) {
    EXPECT_EQ(decoded_client<PasswordLogin>(text).user, "alice") << text;
  }
  EXPECT_EQ(client_error(R"({"action":"login","user":"alice","password":"p","version":0})"), ErrorCode::bad_value);
}

TEST(CodecAccountsClient, TheSeedLoginIsByteForByteUnchanged) {
  const std::string seed = R"({"action":"login","user":"alice"})";
  EXPECT_EQ(encode(ClientFrame{Login{"alice"}}), seed);
  const auto login = decoded_client<Login>(seed);
  EXPECT_EQ(login.user, "alice");
  EXPECT_EQ(login.version, kSeedVersion);
  EXPECT_EQ(encode(ClientFrame{login}), seed);
  // The version-2 guest login too: still a Login, still its bytes.
  const std::string v2 = R"({"action":"login","user":"alice","version":2})";
  EXPECT_EQ(decoded_client<Login>(v2).version, kCurrentVersion);
  EXPECT_EQ(encode(ClientFrame{Login{"alice", kCurrentVersion}}), v2);
}

struct AccountsRefusal {
  const char* name;
  const char* text;
  ErrorCode expected;
};

void PrintTo(const AccountsRefusal& c, std::ostream* os) { *os << c.name; }

class CodecAccountsRefusal : public testing::TestWithParam<AccountsRefusal> {};

TEST_P(CodecAccountsRefusal, GivesTheTypedReason) { EXPECT_EQ(client_error(GetParam().text), GetParam().expected); }

INSTANTIATE_TEST_SUITE_P(
    EveryField, CodecAccountsRefusal,
    testing::Values(
        AccountsRefusal{"login_password_number", R"({"action":"login","user":"a","password":12345678})", ErrorCode::wrong_type},
        AccountsRefusal{"login_password_null", R"({"action":"login","user":"a","password":null})", ErrorCode::wrong_type},
        AccountsRefusal{"login_password_array", R"({"action":"login","user":"a","password":["p"]})", ErrorCode::wrong_type},
        AccountsRefusal{"login_password_no_user", R"({"action":"login","password":"p"})", ErrorCode::missing_field},
        AccountsRefusal{"login_password_user_number", R"({"action":"login","user":1,"password":"p"})", ErrorCode::wrong_type},
        AccountsRefusal{"register_no_user", R"({"action":"register","password":"p"})", ErrorCode::missing_field},
        AccountsRefusal{"register_no_password", R"({"action":"register","user":"a"})", ErrorCode::missing_field},
        AccountsRefusal{"register_nothing", R"({"action":"register"})", ErrorCode::missing_field},
        AccountsRefusal{"register_user_object", R"({"action":"register","user":{},"password":"p"})", ErrorCode::wrong_type},
        AccountsRefusal{"register_password_bool", R"({"action":"register","user":"a","password":true})", ErrorCode::wrong_type},
        AccountsRefusal{"change_no_password", R"({"action":"change_password","new_password":"n"})", ErrorCode::missing_field},
        AccountsRefusal{"change_no_new_password", R"({"action":"change_password","password":"o"})", ErrorCode::missing_field},
        AccountsRefusal{"change_password_number", R"({"action":"change_password","password":1,"new_password":"n"})", ErrorCode::wrong_type},
        AccountsRefusal{"change_new_password_null", R"({"action":"change_password","password":"o","new_password":null})", ErrorCode::wrong_type},
        AccountsRefusal{"end_session_no_session", R"({"action":"end_session"})", ErrorCode::missing_field},
        AccountsRefusal{"end_session_number", R"({"action":"end_session","session":17})", ErrorCode::wrong_type},
        AccountsRefusal{"register_duplicate_password", R"({"action":"register","user":"a","password":"p","password":"q"})", ErrorCode::duplicate_key},
        AccountsRefusal{"actions_are_case_sensitive", R"({"action":"Register","user":"a","password":"p"})", ErrorCode::unknown_action}),
    [](const testing::TestParamInfo<AccountsRefusal>& info) { return std::string(info.param.name); });

// ---- Server fields and frames -----------------------------------------------------------------

MessageFrame account_login(const std::string& name) {
  MessageFrame frame = notice(Event::logged_in, "Welcome, " + name + "!", name, "");
  frame.token = "465c1a131b47671a.5599041afcbeb08976355cb5e44feb7a";
  frame.version = kCurrentVersion;
  frame.account = true;
  frame.request_id = "1";
  return frame;
}

TEST(CodecAccountsServer, AnAccountsLoginSaysSo) {
  const std::string json = encode(ServerFrame{account_login("alice")});
  EXPECT_EQ(json, R"({"action":"message","message":"Welcome, alice!","event":"logged_in","user":"alice",)"
                  R"("token":"465c1a131b47671a.5599041afcbeb08976355cb5e44feb7a","version":2,"account":true,"request_id":1})");
  const MessageFrame frame = decoded_message(json);
  EXPECT_TRUE(frame.account);
  EXPECT_FALSE(frame.registered);
  EXPECT_EQ(frame.event, Event::logged_in);
  EXPECT_EQ(encode(ServerFrame{frame}), json);
}

// A server without accounts ignores "password" and answers a guest's login: no "account".
TEST(CodecAccountsServer, AGuestLoginHasNoAccountField) {
  MessageFrame guest = account_login("alice");
  guest.account = false;
  const std::string json = encode(ServerFrame{guest});
  EXPECT_EQ(json.find("account"), std::string::npos) << json;
  EXPECT_FALSE(decoded_message(json).account);
  // Only true counts: anything else an odd server writes there reads as a guest's.
  EXPECT_FALSE(decoded_message(R"({"action":"message","message":"m","event":"logged_in","account":"true"})").account);
  EXPECT_FALSE(decoded_message(R"({"action":"message","message":"m","event":"logged_in","account":false})").account);
  EXPECT_TRUE(decoded_message(R"({"action":"message","message":"m","event":"resumed","account":true})").account);
}

TEST(CodecAccountsServer, AGuestRefusedARegisteredNameIsToldSo) {
  MessageFrame refused = refusal(Error{ErrorCode::name_taken, "alice"});
  refused.registered = true;
  refused.request_id = "2";
  const std::string json = encode(ServerFrame{refused});
  EXPECT_EQ(json, R"({"action":"message","message":"this name is already in use: alice","error":"name_taken",)"
                  R"("registered":true,"request_id":2})");
  const MessageFrame frame = decoded_message(json);
  EXPECT_TRUE(frame.registered);
  EXPECT_EQ(frame.error, ErrorCode::name_taken);
  EXPECT_EQ(encode(ServerFrame{frame}), json);
  // The seed's name_taken is unchanged.
  EXPECT_EQ(encode(ServerFrame{refusal(Error{ErrorCode::name_taken, "alice"})}),
            R"({"action":"message","message":"this name is already in use: alice","error":"name_taken"})");
}

TEST(CodecAccountsServer, TheNewEventsHaveTheirExactBytes) {
  MessageFrame out = notice(Event::logged_out, "You are signed out", "", "");
  out.request_id = "5";
  EXPECT_EQ(encode(ServerFrame{out}),
            R"({"action":"message","message":"You are signed out","event":"logged_out","request_id":5})");
  EXPECT_EQ(encode(ServerFrame{notice(Event::password_changed, "Password changed", "", "")}),
            R"({"action":"message","message":"Password changed","event":"password_changed"})");
  MessageFrame ended = notice(Event::session_ended, "Session ended", "", "");
  ended.session = "465c1a131b47671a";
  EXPECT_EQ(encode(ServerFrame{ended}),
            R"({"action":"message","message":"Session ended","event":"session_ended","session":"465c1a131b47671a"})");
  for (const MessageFrame& frame : {out, notice(Event::password_changed, "p", "", ""), ended}) {
    const std::string json = encode(ServerFrame{frame});
    const MessageFrame back = decoded_message(json);
    EXPECT_EQ(back.event, frame.event) << json;
    EXPECT_EQ(back.session, frame.session) << json;
    EXPECT_EQ(encode(ServerFrame{back}), json);
  }
  EXPECT_EQ(to_string(Event::logged_out), "logged_out");
  EXPECT_EQ(event_from_string("password_changed"), Event::password_changed);
  EXPECT_EQ(event_from_string("session_ended"), Event::session_ended);
}

TEST(CodecAccountsServer, TheNewErrorCodesHaveTheirNames) {
  EXPECT_EQ(encode(ServerFrame{refusal(Error{ErrorCode::bad_password, ""})}),
            R"({"action":"message","message":"wrong name or password","error":"bad_password"})");
  EXPECT_EQ(encode(ServerFrame{refusal(Error{ErrorCode::invalid_password, "the password is shorter than 8 characters"})}),
            R"({"action":"message","message":"this password cannot be used: the password is shorter than 8 characters",)"
            R"("error":"invalid_password"})");
  EXPECT_EQ(decoded_message(R"({"action":"message","message":"m","error":"bad_password"})").error, ErrorCode::bad_password);
  EXPECT_EQ(decoded_message(R"({"action":"message","message":"m","error":"invalid_password"})").error,
            ErrorCode::invalid_password);
}

TEST(CodecAccountsServer, TheSessionsFrameHasItsExactBytes) {
  const SessionsFrame frame{{SessionInfo{"465c1a131b47671a", 1795564868970, 1795564999000, true},
                             SessionInfo{"0011223344556677", 1795000000000, 1795100000000, false}},
                            "8"};
  const std::string json = encode(ServerFrame{frame});
  EXPECT_EQ(json, R"({"action":"sessions","sessions":[)"
                  R"({"id":"465c1a131b47671a","created_ms":1795564868970,"last_used_ms":1795564999000,"current":true},)"
                  R"({"id":"0011223344556677","created_ms":1795000000000,"last_used_ms":1795100000000,"current":false}],)"
                  R"("request_id":8})");
  auto decoded = decode_server_frame(json, kLimits);
  ASSERT_TRUE(decoded.ok());
  const auto& back = std::get<SessionsFrame>(decoded.value());
  ASSERT_EQ(back.sessions.size(), 2u);
  EXPECT_EQ(back.sessions[0].id, "465c1a131b47671a");
  EXPECT_EQ(back.sessions[0].created_ms, 1795564868970);
  EXPECT_EQ(back.sessions[0].last_used_ms, 1795564999000);
  EXPECT_TRUE(back.sessions[0].current);
  EXPECT_FALSE(back.sessions[1].current);
  EXPECT_EQ(back.request_id, "8");
  EXPECT_EQ(encode(decoded.value()), json);
  EXPECT_EQ(encode(ServerFrame{SessionsFrame{}}), R"({"action":"sessions","sessions":[]})");
}

TEST(CodecAccountsServer, ASessionWithoutCurrentIsNotTheCurrentOne) {
  auto decoded = decode_server_frame(R"({"action":"sessions","sessions":[{"id":"a","created_ms":1,"last_used_ms":2}]})", kLimits);
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(std::get<SessionsFrame>(decoded.value()).sessions.at(0).current);
}

TEST(CodecAccountsServer, RefusesMalformedSessionsFrames) {
  EXPECT_EQ(server_error(R"({"action":"sessions"})"), ErrorCode::wrong_type);
  EXPECT_EQ(server_error(R"({"action":"sessions","sessions":{}})"), ErrorCode::wrong_type);
  EXPECT_EQ(server_error(R"({"action":"sessions","sessions":["a"]})"), ErrorCode::wrong_type);
  EXPECT_EQ(server_error(R"({"action":"sessions","sessions":[{"created_ms":1,"last_used_ms":2}]})"), ErrorCode::missing_field);
  EXPECT_EQ(server_error(R"({"action":"sessions","sessions":[{"id":5,"created_ms":1,"last_used_ms":2}]})"), ErrorCode::wrong_type);
  EXPECT_EQ(server_error(R"({"action":"sessions","sessions":[{"id":"a","created_ms":"1","last_used_ms":2}]})"), ErrorCode::wrong_type);
  EXPECT_EQ(server_error(R"({"action":"sessions","sessions":[{"id":"a","created_ms":-1,"last_used_ms":2}]})"), ErrorCode::bad_value);
  EXPECT_EQ(server_error(R"({"action":"sessions","sessions":[],"request_id":[1]})"), ErrorCode::wrong_type);
  EXPECT_EQ(server_error(R"({"action":"message","message":"m","event":"session_ended","session":7})"), ErrorCode::wrong_type);
}

}  // namespace
}  // namespace chat
