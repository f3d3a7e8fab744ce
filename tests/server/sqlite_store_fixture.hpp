// A SqliteStore in a fresh temporary folder per test, removed afterwards; reopen() closes and
// opens it again (a restart), keeping the folder.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

#include "server/store/sqlite_store.hpp"

namespace chat {

class SqliteStoreFixture : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/chat-store-test-XXXXXX";
    dir_ = mkdtemp(pattern);
    reopen();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void reopen() {
    store_.reset();
    std::string error;
    store_ = SqliteStore::open(dir_, error);
    ASSERT_TRUE(store_) << error;
  }

  std::string dir_;
  std::unique_ptr<SqliteStore> store_;
};

}  // namespace chat
