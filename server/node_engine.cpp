#include "server/node_engine.hpp"

#include <filesystem>
#include <system_error>

#include "server/engine/local/local_engine.hpp"
#include "server/engine/redis/redis_engine.hpp"
#include "server/log.hpp"
#include "server/store/sqlite_store.hpp"

namespace chat {
namespace {

class SqliteNode final : public NodeEngine {
 public:
  explicit SqliteNode(std::unique_ptr<SqliteStore> store) : store_(std::move(store)), engine_(*store_) {}
  Engine& engine() override { return engine_; }
  LocalEngine& local() { return engine_; }
  std::string unready_reason(std::size_t backlog_cap) const override {
    if (store_->last_write_failed()) return "store: the last write failed";
    if (store_->pending() >= backlog_cap) return "store: backlog full";
    return "";
  }
  StoreStats stats() const override { return store_->stats(); }
  void start(uv_loop_s*, std::function<void()> ready) override { ready(); }
  void end_of_iteration() override { store_->commit(); }
  bool commit_waiting() const override { return store_->pending() > 0; }
  void stop() override { store_->commit(); }  // while the core can still complete it

 private:
  std::unique_ptr<SqliteStore> store_;
  LocalEngine engine_;
};

class RedisNode final : public NodeEngine {
 public:
  RedisNode(redis::RedisUrl url, std::string prefix)
      : url_text_(redis::to_string(url)), engine_(std::move(url), redis::RedisKeys{std::move(prefix)}) {}
  Engine& engine() override { return engine_; }
  redis::RedisEngine& redis() { return engine_; }
  std::string unready_reason(std::size_t backlog_cap) const override {
    if (!engine_.available()) return "redis: a link to " + url_text_ + " is down";
    if (engine_.pending() >= backlog_cap) return "redis: backlog full";
    return "";
  }
  StoreStats stats() const override { return engine_.stats(); }
  void start(uv_loop_s* loop, std::function<void()> ready) override { engine_.start(loop, std::move(ready)); }
  void end_of_iteration() override {}
  bool commit_waiting() const override { return false; }  // each publish is its own script
  void stop() override { engine_.stop(); }

 private:
  std::string url_text_;
  redis::RedisEngine engine_;
};

std::unique_ptr<NodeEngine> open_sqlite(const ServerConfig& config, StoredState& stored) {
  std::error_code ignored;
  std::filesystem::create_directories(config.data_dir, ignored);
  std::string error;
  auto store = SqliteStore::open(config.data_dir, error);
  if (!store) {
    log_line(LogLevel::error, "store: %s", error.empty() ? "cannot open" : error.c_str());
    return nullptr;
  }
  auto node = std::make_unique<SqliteNode>(std::move(store));
  if (!node->local().load(stored)) {
    log_line(LogLevel::error, "store: cannot load %s/chat.db", config.data_dir.c_str());
    return nullptr;
  }
  log_line(LogLevel::info, "store: %s/chat.db, %zu rooms", config.data_dir.c_str(), stored.rooms.size());
  return node;
}

std::unique_ptr<NodeEngine> open_redis(const ServerConfig& config, StoredState& stored) {
  const auto parsed = redis::parse_redis_url(config.redis_url);
  if (!parsed.url) {
    log_line(LogLevel::error, "--redis: %s", parsed.error.c_str());
    return nullptr;
  }
  auto node = std::make_unique<RedisNode>(*parsed.url, config.redis_prefix);
  if (!node->redis().load(stored)) {
    log_line(LogLevel::error, "%s", node->redis().error().c_str());
    return nullptr;
  }
  log_line(LogLevel::info, "cluster engine: %s (keys %s*), %zu rooms", redis::to_string(*parsed.url).c_str(),
           config.redis_prefix.c_str(), stored.rooms.size());
  return node;
}

}  // namespace

std::unique_ptr<NodeEngine> NodeEngine::open(const ServerConfig& config, StoredState& stored) {
  return config.redis_url.empty() ? open_sqlite(config, stored) : open_redis(config, stored);
}

}  // namespace chat
