// Which files a browser may keep without asking: only those named after their content.
#include "server/site_caching.hpp"

#include <gtest/gtest.h>

namespace chat {
namespace {

TEST(SiteCachingTest, ContentNamedFilesAreKeptForAYear) {
  EXPECT_TRUE(is_content_named("/chat_client.3f9a1c0e4b2d.wasm"));
  EXPECT_TRUE(is_content_named("style.0123456789abcdef.css"));
  EXPECT_TRUE(is_content_named("/deep/dir/app.min.3f9a1c0e4b2d.js"));
  EXPECT_EQ(cache_control_for("/chat_client.3f9a1c0e4b2d.js"), "public, max-age=31536000, immutable");
}

TEST(SiteCachingTest, ThePageAndOtherNamesAreRevalidated) {
  for (const char* path : {"/", "/index.html", "/chat_client.js", "/chat_client.wasm", "/style.css",
                           "/a.3f9a1c0e4b2.js",      // 11 digits: too short to be a content hash
                           "/a.3F9A1C0E4B2D.js",     // upper case: not what the build writes
                           "/a.3f9a1c0e4b2g.js",     // not hexadecimal
                           "/.3f9a1c0e4b2d.js",      // no stem
                           "/3f9a1c0e4b2d.js",       // the hash is the stem
                           "/dir.3f9a1c0e4b2d/app.js"}) {  // the hash is in a folder's name
    EXPECT_FALSE(is_content_named(path)) << path;
    EXPECT_EQ(cache_control_for(path), "no-cache") << path;
  }
}

}  // namespace
}  // namespace chat
