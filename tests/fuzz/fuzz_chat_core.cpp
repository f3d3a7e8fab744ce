// Fuzz target for the chat core: the input is a script of operations by four connections (connect,
// frames, drops, store completions, time, restarts) run against ChatService with the test fakes;
// every frame the core sends is checked, as it is sent, against the protocol's guarantees.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fakes/fake_clock.hpp"
#include "fakes/fake_hasher.hpp"
#include "fakes/fake_password_hasher.hpp"
#include "fakes/memory_store.hpp"
#include "fuzz/fuzz_check.hpp"
#include "server/core/chat_service.hpp"
#include "server/engine/local/local_engine.hpp"
#include "shared/codec.hpp"

namespace chat::fuzz {
namespace {

constexpr int kSlots = 4;

// CHAT_FUZZ_TRACE=1 prints the script as it runs: what to read when a saved input fails.
bool tracing() {
  static const bool on = std::getenv("CHAT_FUZZ_TRACE") != nullptr;
  return on;
}
void trace(const char* who, std::uint64_t session, std::string_view what) {
  if (tracing()) std::fprintf(stderr, "%s %llu: %.*s\n", who, static_cast<unsigned long long>(session),
                              static_cast<int>(what.size()), what.data());
}

// Reads the script; past the end it yields zeros, so every input is a complete script.
class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  int pick(int choices) { return byte() % choices; }
  std::string bytes(std::size_t max) {
    const std::size_t count = std::min<std::size_t>(byte() % (max + 1), size_ - pos_);
    std::string out(reinterpret_cast<const char*>(data_ + pos_), count);
    pos_ += count;
    return out;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

// What the checks know of one connection.
struct Peer {
  bool asked_v2 = false;  // it sent a v2 login or a resume (accepted or not)
  // The core answers an explicit `history` request whatever the version: a v1 session may get
  // one history frame per such request.
  int history_asked = 0;
  bool got_first = false;
  std::map<std::string, std::int64_t> last_live_id;  // by room: v2 live lines arrive in id order
};

// A Transport that checks each frame as the core sends it.
class CheckingTransport final : public Transport {
 public:
  explicit CheckingTransport(MemoryStore& store) : store_(store) {}

  void send(SessionId session, const SharedText& text) override {
    trace("  <-", session, *text);
    const auto peer = peers.find(session);
    require(peer != peers.end(), "frame sent to a session that is not connected", *text);
    const auto decoded = decode_server_frame(*text, unbounded_);
    require(decoded.ok(), "the core sent a frame that does not decode", *text);
    check(peer->second, decoded.value(), *text);
  }
  void pause_reading(SessionId, bool) override {}
  void close(SessionId session, int, const std::string&) override {
    trace("  closed by the core", session, "");
    require(peers.erase(session) == 1, "close of a session that is not connected");
    closed.push_back(session);
  }

  std::map<SessionId, Peer> peers;
  std::vector<SessionId> closed;   // by the core, since the harness last looked
  std::vector<std::string> tokens;  // resume tokens seen, for the script's resume frames

 private:
  void check(Peer& peer, const ServerFrame& frame, const std::string& text) {
    require(peer.got_first || std::holds_alternative<RoomsFrame>(frame), "first frame is not rooms", text);
    peer.got_first = true;
    if (const auto* message = std::get_if<MessageFrame>(&frame)) return check_message(peer, *message, text);
    const auto* history = std::get_if<HistoryFrame>(&frame);
    const bool asked = history && !peer.asked_v2 && peer.history_asked-- > 0;
    require(peer.asked_v2 || asked || std::holds_alternative<RoomsFrame>(frame), "v2 frame sent to a v1 session", text);
    if (history) check_history(*history, text);
  }

  void check_message(Peer& peer, const MessageFrame& message, const std::string& text) {
    const bool v2_fields = message.id != 0 || message.ts != 0 || message.has_text || !message.token.empty() ||
                           message.version != 0;
    require(peer.asked_v2 || !v2_fields, "v2 field sent to a v1 session", text);
    if (!message.token.empty() && tokens.size() < 16) tokens.push_back(message.token);
    if (message.event != Event::chat) return;
    const std::string prefix = message.user + ": ";
    require(message.message.compare(0, prefix.size(), prefix) == 0, "chat line is not USER: TEXT", text);
    const ChatLine line{message.id, message.ts, message.user, message.message.substr(prefix.size())};
    require(is_stored(message.room, line), "chat line delivered before the store committed it", text);
    if (message.id == 0) return;
    auto& last = peer.last_live_id[message.room];
    require(message.id > last, "live chat lines out of id order", text);
    last = message.id;
  }

  void check_history(const HistoryFrame& history, const std::string& text) {
    std::int64_t previous = 0;
    for (const auto& line : history.lines) {
      require(line.id > previous, "history lines not oldest first", text);
      require(is_stored(history.room, line), "history line that the store does not hold", text);
      previous = line.id;
    }
  }

  // A v1 line carries no id: then any stored line with the same author and text will do.
  bool is_stored(const std::string& room, const ChatLine& line) {
    for (const auto& stored : store_.lines(room)) {
      const bool same_id = line.id == 0 || (stored.id == line.id && stored.ts == line.ts);
      if (same_id && stored.user == line.user && stored.text == line.text) return true;
    }
    return false;
  }

  MemoryStore& store_;
  // The size limit is the edge's business; here any well-formed frame counts.
  const Limits unbounded_{32, 32, 4096, std::numeric_limits<std::size_t>::max(), 8};
};

// Frames a real client would send, with parameters from the script, so the fuzzer reaches the
// logged-in states quickly; raw bytes cover the rest.
class FrameMaker {
 public:
  FrameMaker(ByteReader& in, const std::vector<std::string>& tokens) : in_(in), tokens_(tokens) {}

  // Also says whether the frame asks for protocol v2.
  std::string make(bool& asks_v2) {
    asks_v2 = false;
    std::string frame;
    switch (in_.pick(8)) {
      case 0: frame = encode(ClientFrame{Login{name()}}); break;
      case 1: frame = encode(ClientFrame{Login{name(), 2 + in_.pick(2)}}), asks_v2 = true; break;
      case 2: frame = encode(ClientFrame{SendMessage{text()}}); break;
      case 3: frame = encode(ClientFrame{CreateRoom{room()}}); break;
      case 4: frame = encode(ClientFrame{JoinRoom{room()}}); break;
      case 5: frame = encode(ClientFrame{History{room(), in_.pick(8), 1 + in_.pick(4)}}); break;
      case 6: frame = encode(ClientFrame{Resume{token(), room(), in_.pick(8)}}), asks_v2 = true; break;
      default: frame = "{\"action\":\"send_message\",\"message\":\"x\"}";
    }
    if (in_.pick(4) == 0) frame = "{\"request_id\":" + std::to_string(in_.byte()) + "," + frame.substr(1);
    return frame;
  }

 private:
  std::string name() {
    static const std::array<const char*, 5> kNames{"alice", "bob", "carol", "dave", " bad"};
    const int choice = in_.pick(6);
    return choice < 5 ? kNames[choice] : in_.bytes(8);
  }
  std::string room() {
    static const std::array<const char*, 3> kRooms{"general", "jeux", "musique"};
    const int choice = in_.pick(4);
    return choice < 3 ? kRooms[choice] : in_.bytes(8);
  }
  std::string text() {
    static const std::array<const char*, 3> kTexts{"hi", "salut \xF0\x9F\x91\x8B", " "};
    const int choice = in_.pick(4);
    return choice < 3 ? kTexts[choice] : in_.bytes(16);
  }
  std::string token() {
    const int choice = in_.pick(4);
    if (tokens_.empty() || choice == 3) return in_.bytes(8);
    std::string token = tokens_[in_.byte() % tokens_.size()];
    if (choice == 2 && !token.empty()) token.back() ^= 1;  // right id, wrong secret
    return token;
  }

  ByteReader& in_;
  const std::vector<std::string>& tokens_;
};

class CoreHarness {
 public:
  CoreHarness() : transport_(store_) { start(); }

  void run(ByteReader& in) {
    for (int steps = 0; !in.done() && steps < 500; ++steps) {
      step(in);
      after_step();
    }
  }

 private:
  // A new core on the same store, as after a server restart: every connection is gone.
  void start() {
    store_.run_completions();
    for (auto& slot : slots_) slot = 0;
    transport_.peers.clear();
    service_ = std::make_unique<ChatService>(Ports{transport_, engine_, clock_, random_, hasher_, passwords_}, ServiceOptions{});
    StoredState state;
    engine_.load(state);
    service_->restore(state);
  }

  void step(ByteReader& in) {
    const int op = in.pick(10);
    SessionId& slot = slots_[in.pick(kSlots)];
    static const char* const kOps[] = {"connect", "disconnect", "raw", "frame", "frame", "binary", "complete",
                                       "time", "store", "restart"};
    trace(kOps[op], slot, "");
    switch (op) {
      case 0: return connect(slot);
      case 1: return disconnect(slot);
      case 2: return send_text(slot, in.bytes(64), false);
      case 3: case 4: return send_made_frame(slot, in);
      case 5: if (slot != 0) service_->receive_binary(slot); return;
      case 6: return store_.run_completions();
      case 7: clock_.now += static_cast<std::int64_t>(in.byte()) * 1000; return;
      case 8: store_.failing = in.pick(4) == 0; return;
      default: if (in.pick(8) == 0) start(); return;
    }
  }

  void connect(SessionId& slot) {
    disconnect(slot);
    slot = next_id_++;
    transport_.peers[slot] = Peer{};
    service_->connect(slot, "192.0.2.1");
  }

  // What the edge does when a socket closes; the peer is forgotten first, so any frame sent to it
  // from now on fails the check.
  void disconnect(SessionId& slot) {
    if (slot == 0) return;
    transport_.peers.erase(slot);
    service_->disconnect(slot);
    slot = 0;
  }

  void send_made_frame(SessionId& slot, ByteReader& in) {
    bool asks_v2 = false;
    const std::string frame = FrameMaker(in, transport_.tokens).make(asks_v2);
    send_text(slot, frame, asks_v2);
  }

  void send_text(SessionId slot, const std::string& text, bool asks_v2) {
    if (slot == 0) return;
    // A raw frame may be a v2 request too: ask the codec, as the core does.
    const auto decoded = decode_client_request(text, Limits{});
    if (decoded.frame) {
      const auto& frame = decoded.frame.value();
      const auto* login = std::get_if<Login>(&frame);
      asks_v2 = asks_v2 || std::holds_alternative<Resume>(frame) || (login && login->version >= 2);
      transport_.peers[slot].history_asked += std::holds_alternative<History>(frame);
    }
    if (asks_v2) transport_.peers[slot].asked_v2 = true;
    trace("  ->", slot, text);
    service_->receive_text(slot, text);
  }

  // Connections the core closed are then reported closed by the edge, as lws would.
  void after_step() {
    for (const SessionId closed : transport_.closed) {
      for (auto& slot : slots_) {
        if (slot == closed) slot = 0;
      }
      service_->disconnect(closed);
    }
    transport_.closed.clear();
    std::size_t open = 0;
    for (const SessionId slot : slots_) open += slot != 0;
    require(service_->session_count() == open, "the core's session count differs from the open connections");
  }

  MemoryStore store_;
  LocalEngine engine_{store_};
  CheckingTransport transport_;
  FakeClock clock_;
  CountingRandom random_;
  FakeHasher hasher_;
  FakePasswordHasher passwords_;
  std::unique_ptr<ChatService> service_;
  std::array<SessionId, kSlots> slots_{};
  SessionId next_id_ = 1;
};

}  // namespace
}  // namespace chat::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  chat::fuzz::ByteReader in(data, size);
  chat::fuzz::CoreHarness harness;
  harness.run(in);
  return 0;
}
