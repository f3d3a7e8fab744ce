// The web client's files as a browser gets them: the build's gzip copy to a browser that accepts
// gzip, content-named files kept for a year, the page revalidated (ETag, 304) on every visit.
#include "chat_fixture.hpp"
#include "http_client.hpp"

#include <fstream>
#include <sstream>

namespace chat_it {
namespace {

namespace fs = std::filesystem;

constexpr const char* kProgram = "/app.0123456789ab.js";
constexpr const char* kAcceptGzip = "Accept-Encoding: gzip, deflate, br\r\n";

class StaticFilesTest : public ChatServerTest {
 protected:
  void SetUp() override {
    ChatServerTest::SetUp();
    write(kProgram, "console.log('the program');\n");
    // The server never looks inside: which bytes come back tells which file was sent.
    write(std::string(kProgram) + ".gz", "gzip bytes of the program");
    write("/index.html.gz", "gzip bytes of the page");
  }

  void write(const std::string& path, const std::string& bytes) {
    std::ofstream(server().web_root().string() + path, std::ios::binary) << bytes;
  }

  HttpResponse get(const std::string& path, const std::string& headers = "", const std::string& method = "GET") {
    return http_get(port(), path, milliseconds(5000), false, headers, method);
  }
};

TEST_F(StaticFilesTest, AClientThatAcceptsGzipGetsTheGzipCopy) {
  const auto response = get(kProgram, kAcceptGzip);
  EXPECT_EQ(response.head.status, 200) << response.head.status_line;
  EXPECT_EQ(response.head.header("content-encoding"), "gzip");
  EXPECT_EQ(response.body, "gzip bytes of the program");
  EXPECT_EQ(response.head.header("content-type"), "text/javascript");  // the type of what it unpacks to
  EXPECT_EQ(to_lower(response.head.header("vary")), "accept-encoding");
}

TEST_F(StaticFilesTest, AClientThatDoesNotAcceptGzipGetsThePlainFile) {
  const auto response = get(kProgram);
  EXPECT_EQ(response.head.status, 200) << response.head.status_line;
  EXPECT_EQ(response.head.header("content-encoding"), "");
  EXPECT_EQ(response.body, "console.log('the program');\n");
  EXPECT_EQ(to_lower(response.head.header("vary")), "accept-encoding");  // a cache must keep them apart
}

TEST_F(StaticFilesTest, AFileWithoutAGzipCopyIsSentAsItIs) {
  const auto response = get("/x.wasm", kAcceptGzip);
  EXPECT_EQ(response.head.status, 200) << response.head.status_line;
  EXPECT_EQ(response.head.header("content-encoding"), "");
  EXPECT_EQ(response.head.header("vary"), "");
  EXPECT_EQ(response.body.size(), 12u);
}

TEST_F(StaticFilesTest, ContentNamedFilesAreKeptForAYear) {
  for (const char* headers : {"", kAcceptGzip}) {
    const auto response = get(kProgram, headers);
    EXPECT_EQ(response.head.header("cache-control"), "public, max-age=31536000, immutable") << headers;
  }
}

TEST_F(StaticFilesTest, ThePageIsRevalidatedAndUnchangedCostsA304) {
  for (const char* headers : {"", kAcceptGzip}) {
    const auto first = get("/", headers);
    EXPECT_EQ(first.head.header("cache-control"), "no-cache") << headers;
    const std::string tag = first.head.header("etag");
    ASSERT_FALSE(tag.empty()) << headers;
    const auto again = get("/", std::string(headers) + "If-None-Match: " + tag + "\r\n");
    EXPECT_EQ(again.head.status, 304) << headers << again.head.status_line;
    EXPECT_EQ(again.head.header("cache-control"), "no-cache") << headers;
    EXPECT_EQ(again.body, "") << headers;
  }
}

TEST_F(StaticFilesTest, TheGzipCopyHasItsOwnTag) {
  const std::string plain_tag = get("/").head.header("etag");
  const std::string gzip_tag = get("/", kAcceptGzip).head.header("etag");
  EXPECT_NE(plain_tag, gzip_tag);
  // The plain page's tag does not validate the gzip copy: a 200 with the copy's bytes.
  const auto crossed = get("/", std::string(kAcceptGzip) + "If-None-Match: " + plain_tag + "\r\n");
  EXPECT_EQ(crossed.head.status, 200) << crossed.head.status_line;
  EXPECT_EQ(crossed.body, "gzip bytes of the page");
}

TEST_F(StaticFilesTest, HeadDescribesTheFileAGetWouldSend) {
  const auto head = get(kProgram, kAcceptGzip, "HEAD");
  EXPECT_EQ(head.head.status, 200) << head.head.status_line;
  EXPECT_EQ(head.head.header("content-encoding"), "gzip");
  EXPECT_EQ(head.head.header("content-length"), std::to_string(std::string("gzip bytes of the program").size()));
  EXPECT_EQ(head.head.header("cache-control"), "public, max-age=31536000, immutable");
  const auto plain = get(kProgram, "", "HEAD");
  EXPECT_EQ(plain.head.header("content-encoding"), "");
  EXPECT_EQ(plain.head.header("content-length"), "28");
}

TEST_F(StaticFilesTest, AGzipCopyThatIsASymbolicLinkIsNeverSent) {
  // x.wasm.gz leading out of the web root, to a file the server wrote beside it.
  fs::create_symlink("../server.stderr", server().web_root() / "x.wasm.gz");
  const auto response = get("/x.wasm", kAcceptGzip);
  EXPECT_EQ(response.head.status, 200) << response.head.status_line;
  EXPECT_EQ(response.head.header("content-encoding"), "");
  EXPECT_EQ(response.body.size(), 12u);
}

}  // namespace
}  // namespace chat_it
