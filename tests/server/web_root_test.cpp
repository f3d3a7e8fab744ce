// WebRoot on a real temporary folder: files inside are found, symbolic links leading out are not.
#include "server/web_root.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace chat {
namespace {

namespace fs = std::filesystem;

class WebRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "web-root-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    root_ = base_ / "web";
    fs::create_directories(root_ / "docs");
    std::ofstream(root_ / "index.html") << "index";
    std::ofstream(root_ / "docs" / "index.html") << "docs";
    std::ofstream(root_ / "app.js") << "js";
    std::ofstream(base_ / "secret.txt") << "secret";
    fs::create_directories(base_ / "outside");
    fs::create_symlink("../secret.txt", root_ / "link.txt");
    fs::create_symlink("../outside", root_ / "linked-dir");
    std::ofstream(base_ / "outside" / "index.html") << "outside";
    fs::create_symlink("app.js", root_ / "alias.js");
    fs::create_symlink(root_ / "docs", root_ / "docs-alias");
  }
  void TearDown() override { fs::remove_all(base_); }

  fs::path base_;
  fs::path root_;
};

TEST_F(WebRootTest, FilesInsideAreFound) {
  const WebRoot web(root_.string());
  const std::string real_root = fs::canonical(root_).string();
  EXPECT_EQ(web.file_for("/"), real_root + "/index.html");
  EXPECT_EQ(web.file_for("/app.js"), real_root + "/app.js");
  EXPECT_EQ(web.file_for("/docs/"), real_root + "/docs/index.html");
  EXPECT_EQ(web.file_for("/docs"), real_root + "/docs/index.html");
}

TEST_F(WebRootTest, SymlinksStayingInsideAreFollowed) {
  const WebRoot web(root_.string());
  const std::string real_root = fs::canonical(root_).string();
  EXPECT_EQ(web.file_for("/alias.js"), real_root + "/app.js");
  EXPECT_EQ(web.file_for("/docs-alias/"), real_root + "/docs/index.html");
}

TEST_F(WebRootTest, SymlinksLeadingOutAreNotServed) {
  const WebRoot web(root_.string());
  EXPECT_EQ(web.file_for("/link.txt"), std::nullopt);
  EXPECT_EQ(web.file_for("/linked-dir/"), std::nullopt);
  EXPECT_EQ(web.file_for("/linked-dir/index.html"), std::nullopt);
}

TEST_F(WebRootTest, MissingFilesAndEscapesAreNotServed) {
  const WebRoot web(root_.string());
  EXPECT_EQ(web.file_for("/missing.js"), std::nullopt);
  EXPECT_EQ(web.file_for("/../secret.txt"), std::nullopt);
  EXPECT_EQ(web.file_for("/" + std::string(300, 'a')), std::nullopt);
}

TEST_F(WebRootTest, ARootThatIsItselfASymlinkWorks) {
  fs::create_symlink(root_, base_ / "current");
  const WebRoot web((base_ / "current").string());
  EXPECT_EQ(web.file_for("/app.js"), fs::canonical(root_).string() + "/app.js");
  EXPECT_EQ(web.file_for("/link.txt"), std::nullopt);
}

TEST_F(WebRootTest, AGzipSiblingStandsInForItsFile) {
  std::ofstream(root_ / "app.js.gz") << "gz";
  const std::string file = fs::canonical(root_).string() + "/app.js";
  EXPECT_EQ(precompressed_sibling(file), file + ".gz");
}

TEST_F(WebRootTest, NoGzipSiblingMeansTheFileItself) {
  EXPECT_EQ(precompressed_sibling(fs::canonical(root_).string() + "/app.js"), std::nullopt);
}

TEST_F(WebRootTest, AGzipSiblingThatIsASymlinkIsNotTaken) {
  fs::create_symlink("../secret.txt", root_ / "app.js.gz");
  fs::create_directories(root_ / "index.html.gz.d");
  fs::create_directory_symlink(root_ / "index.html.gz.d", root_ / "index.html.gz");
  EXPECT_EQ(precompressed_sibling(fs::canonical(root_).string() + "/app.js"), std::nullopt);
  EXPECT_EQ(precompressed_sibling(fs::canonical(root_).string() + "/index.html"), std::nullopt);
}

TEST_F(WebRootTest, AGzipSiblingThatIsAFolderIsNotTaken) {
  fs::create_directories(root_ / "app.js.gz");
  EXPECT_EQ(precompressed_sibling(fs::canonical(root_).string() + "/app.js"), std::nullopt);
}

}  // namespace
}  // namespace chat
