// websocket_rules: the handshake's version and key, and the close frames a peer may send.
#include "server/lws/websocket_rules.hpp"

#include <gtest/gtest.h>

#include <string>

namespace chat {
namespace {

std::string close_payload(int code, const std::string& reason = {}) {
  return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)} + reason;
}

TEST(CheckUpgrade, AcceptsVersion13WithAKeyOf16Bytes) {
  EXPECT_EQ(check_upgrade("13", "dGhlIHNhbXBsZSBub25jZQ=="), UpgradeVerdict::accept);  // RFC 6455's example
  EXPECT_EQ(check_upgrade(" 13 ", "AAAAAAAAAAAAAAAAAAAAAA=="), UpgradeVerdict::accept);
  EXPECT_EQ(check_upgrade("13", "x3JJHMbDL1EzLkh9GBhXDw=="), UpgradeVerdict::accept);
}

TEST(CheckUpgrade, OtherVersionsGet426) {
  for (const char* version : {"", "8", "12", "14", "13, 8", "abc", "013"}) {
    EXPECT_EQ(check_upgrade(version, "dGhlIHNhbXBsZSBub25jZQ=="), UpgradeVerdict::unsupported_version) << version;
  }
}

TEST(CheckUpgrade, KeysThatAreNotBase64Of16BytesGet400) {
  for (const char* key : {"", "hello", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25jZR==",
                          "dGhlIHNhbXBsZSBub25j!Q==", "dGhlIHNhbXBsZSBub25jZQ==AAAA", "dGhlIHNhbXBsZSBub25jZXM=",
                          "dGhlIHNhbXBsZSBub25jZQ=a"}) {
    EXPECT_EQ(check_upgrade("13", key), UpgradeVerdict::bad_key) << key;
  }
}

TEST(CloseFrameError, ValidCloseFramesAreEchoed) {
  EXPECT_EQ(close_frame_error(""), 0);
  for (const int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
    EXPECT_EQ(close_frame_error(close_payload(code)), 0) << code;
  }
  EXPECT_EQ(close_frame_error(close_payload(1000, "bye \xc3\xa9t\xc3\xa9")), 0);
}

TEST(CloseFrameError, ForbiddenCodesAndOneBytePayloadsFailWith1002) {
  EXPECT_EQ(close_frame_error("\x03"), 1002);
  for (const int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
    EXPECT_EQ(close_frame_error(close_payload(code)), 1002) << code;
  }
}

TEST(CloseFrameError, AReasonThatIsNotUtf8FailsWith1007) {
  EXPECT_EQ(close_frame_error(close_payload(1000, "\xff\xfe")), 1007);
  EXPECT_EQ(close_frame_error(close_payload(1000, "cut \xc3")), 1007);
  EXPECT_EQ(close_frame_error(close_payload(5000, "\xff")), 1002);  // the code is judged first
}

}  // namespace
}  // namespace chat
