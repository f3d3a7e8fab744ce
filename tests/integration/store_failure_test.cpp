// A store failure under the running server (docs/PROTOCOL.md, "Guarantees" and "Refusals":
// store_unavailable): the data folder's file system fills up, or turns read-only after an error.
// A line that could not be stored is refused to its sender and delivered to no one, the sender
// included; the server stays up and goes on serving what needs no write (connections, the room
// list, logins, joins, history), every line stored before is still read back, and once space is
// free again new lines are stored and delivered as before.
//
// The failures are real file systems under the real server, mounted by the test for each test.
// A plain `mount -o remount,ro` cannot stand for "the data folder becomes read-only": Linux refuses
// it (EBUSY) while a process holds files there open for writing, as the server does with chat.db,
// its WAL and its shm. A file system turns read-only under a running program only by itself, after
// an error: ext4 mounted with errors=remount-ro, whose error the test triggers through sysfs.
#include "chat_fixture.hpp"
#include "http_client.hpp"

#include <fcntl.h>
#include <linux/loop.h>
#include <sched.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>

extern char** environ;

namespace chat_it {
namespace {

namespace fs = std::filesystem;

std::string failed(const std::string& what) { return what + ": " + std::strerror(errno); }

// Mounts made by the tests stay inside this process: the main thread (which runs the tests and
// forks the servers, which inherit its namespace) moves once into a mount namespace of its own,
// with / private so that no mount propagates back to the machine. The namespace, with any mount a
// crashed test left behind, ends with the process. Empty if that worked, else why not.
std::string enter_own_mount_namespace() {
  static const std::string why_not = []() -> std::string {
    if (::unshare(CLONE_NEWNS) != 0) return failed("unshare(CLONE_NEWNS)");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return failed("making / private");
    return "";
  }();
  return why_not;
}

fs::path make_temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "chat-store-failure-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw HarnessFailure(failed("mkdtemp"));
  return pattern;
}

// Runs a program to its end with its output discarded; true if it exited 0.
bool run_quietly(std::vector<std::string> args) {
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  const int spawned = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  return spawned == 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool write_file(const fs::path& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool written = ::write(fd, bytes.data(), bytes.size()) == static_cast<ssize_t>(bytes.size());
  return ::close(fd) == 0 && written;
}

// The server's --data-dir is a mount point in a temporary folder. Subclasses mount a file system
// there before the server starts (or say why they cannot, and the test is skipped); it is unmounted
// after the server has stopped, since the server's open files keep it busy until then.
class StoreFailureTest : public ChatServerTest {
 protected:
  void SetUp() override {
    if (const std::string why = enter_own_mount_namespace(); !why.empty()) skip(why);
    if (IsSkipped()) return;
    folder_ = make_temp_dir();
    data_dir_ = folder_ / "data";
    fs::create_directory(data_dir_);
    if (const std::string why = mount_data_dir(); !why.empty()) skip(why);
    if (IsSkipped()) return;
    mounted_ = true;
    ChatServerTest::SetUp();
  }

  void TearDown() override {
    ChatServerTest::TearDown();
    if (mounted_ && ::umount2(data_dir_.c_str(), 0) != 0) {
      ADD_FAILURE() << failed("unmounting " + data_dir_.string());
      ::umount2(data_dir_.c_str(), MNT_DETACH);  // gone with the namespace anyway, at the latest
    }
    std::error_code ignored;
    if (!folder_.empty()) fs::remove_all(folder_, ignored);
  }

  // Rate limits off: the full-disk test sends a few hundred long lines, which is not flooding here.
  std::vector<std::string> server_flags() const override { return {"--no-limits", "--data-dir", data_dir_.string()}; }

  // Mounts the file system under test on data_dir(); empty if done, else why it cannot be.
  virtual std::string mount_data_dir() = 0;

  const fs::path& data_dir() const { return data_dir_; }
  const fs::path& folder() const { return folder_; }

  // gtest prints the reason with the test's SKIPPED line: a machine that cannot mount is seen, not
  // taken for a pass.
  void skip(const std::string& why) { GTEST_SKIP() << "cannot stage a store failure here: " << why; }

  // Two v2 users in general, and a room jeux to join later.
  void meet(std::unique_ptr<ChatTestClient>& alice, std::unique_ptr<ChatTestClient>& bob) {
    alice = connect_v2("alice");
    bob = connect_v2("bob");
    alice->expect_presence("general", "bob", true);
    alice->send(chat::CreateRoom{"jeux"});
    alice->expect_room_created("jeux");
    bob->expect_room_created("jeux");
  }

  // The server's log (stderr) names the cause, as SQLite words it, and what it means for the chat.
  void expect_log_says(const std::string& cause) {
    const std::string log = server().output();
    EXPECT_NE(log.find(" error sqlite: COMMIT: " + cause), std::string::npos) << "no \"" << cause << "\" in the log";
    EXPECT_NE(log.find(" error store: a batch of 1 requests failed, none of it is stored"), std::string::npos);
  }

  void expect_server_running() {
    const auto status = server().wait_exit(milliseconds(0));
    EXPECT_FALSE(status.has_value()) << "the server died: " << ServerProcess::describe_status(status.value_or(-1));
  }

  // What needs no write still works while the store is failing: a new connection gets the room
  // list, a v1 login and a join are answered, and a history request returns the lines of
  // `general` stored so far (the two v2 users there hear of the newcomer's arrival and departure).
  void expect_still_serves_reads(ChatTestClient& alice, ChatTestClient& bob, const std::vector<chat::ChatLine>& general) {
    ChatTestClient dave(port());
    EXPECT_EQ(dave.expect_rooms(), (std::vector<std::string>{"general", "jeux"}));
    dave.login("dave");
    for (auto* c : {&alice, &bob}) c->expect_presence("general", "dave", true);
    dave.send(chat::JoinRoom{"jeux"});
    dave.expect_joined("jeux");
    for (auto* c : {&alice, &bob}) c->expect_presence("general", "dave", false);
    EXPECT_EQ(describe_lines(read_whole_history(alice, "general", 50)), describe_lines(general));
    dave.expect_no_frame(milliseconds(100));
  }

 private:
  fs::path folder_;
  fs::path data_dir_;
  bool mounted_ = false;
};

// `speaker` says `text` (plain ASCII: written into the JSON as it is) in `room`, with a request id.
// Returns the line if it was stored: the speaker's echo and the listener's copy are then the same
// v2 line. Returns nullopt if it was refused: a store_unavailable refusal that echoes the request
// id, with no event.
std::optional<chat::ChatLine> say(ChatTestClient& speaker, ChatTestClient& listener, const std::string& room,
                                  const std::string& text) {
  static int requests = 0;
  const std::string request_id = std::to_string(++requests);
  speaker.send_text(R"({"action":"send_message","message":")" + text + R"(","request_id":)" + request_id + "}");
  const chat::MessageFrame reply = speaker.expect_message();
  if (reply.error) {
    if (reply.error != chat::ErrorCode::store_unavailable || reply.request_id != request_id || reply.message.empty()) {
      speaker.fail("expected the line or a store_unavailable refusal with request_id " + request_id + ", got " +
                   preview(speaker.last_raw()));
    }
    return std::nullopt;
  }
  const chat::ChatLine line{reply.id, reply.ts, speaker.name(), text};
  if (reply.event != chat::Event::chat || speaker.last_raw() != chat::encode(chat::ServerFrame{chat::chat_line(room, line, true)})) {
    speaker.fail("expected the v2 chat line \"" + preview(text, 60) + "\" or a store_unavailable refusal, got " +
                 preview(speaker.last_raw()));
  }
  EXPECT_EQ(describe_lines({listener.expect_chat_v2(speaker.name(), room, text)}), describe_lines({line}));
  return line;
}

// Stored and delivered, or the test stops here.
chat::ChatLine say_stored(ChatTestClient& speaker, ChatTestClient& listener, const std::string& room,
                          const std::string& text) {
  const auto line = say(speaker, listener, room, text);
  if (!line) speaker.fail("line refused with store_unavailable although the store works: " + text);
  return *line;
}

// ---- The disk fills up -------------------------------------------------------------------------

// A 1 MiB tmpfs, filled to the last byte by a file of the test's, and emptied again by removing it.
class StoreFailureOnFullDisk : public StoreFailureTest {
 protected:
  std::string mount_data_dir() override {
    if (::mount("tmpfs", data_dir().c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0700") != 0) {
      return failed("mount -t tmpfs");
    }
    return "";
  }

  fs::path filler() const { return data_dir() / "filler"; }

  // Writes until the file system says ENOSPC (tmpfs allocates pages as they are written).
  void fill_disk() {
    const int fd = ::open(filler().c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    ASSERT_GE(fd, 0) << failed("creating " + filler().string());
    const std::string block(4096, 'f');
    std::size_t total = 0;
    ssize_t written;
    while ((written = ::write(fd, block.data(), block.size())) > 0) total += static_cast<std::size_t>(written);
    const int error = errno;
    ::close(fd);
    ASSERT_EQ(error, ENOSPC) << "filling the disk stopped after " << total << " bytes: " << std::strerror(error);
  }
};

// The longest text allowed (4096 bytes), unique: every line needs new pages in the database.
std::string long_text(const std::string& tag) {
  std::string text = unique_text(tag) + " ";
  text.resize(4000, 'x');
  return text;
}

TEST_F(StoreFailureOnFullDisk, LinesAreRefusedNotDeliveredAndStoredAgainOnceSpaceIsFree) {
  std::unique_ptr<ChatTestClient> alice, bob;
  meet(alice, bob);
  std::vector<chat::ChatLine> general;
  for (int i = 0; i < 3; ++i) general.push_back(say_stored(*alice, *bob, "general", unique_text("before the disk filled")));

  fill_disk();
  if (HasFatalFailure()) return;
  // The WAL still has room for a few lines (SQLite reuses it from the start after a checkpoint),
  // but a checkpoint cannot grow the database any more, so the WAL soon needs new pages too. A
  // line is never accepted without being stored: every one before the refusal was delivered to
  // both users and is in the history below.
  std::optional<std::string> refused;
  for (int i = 0; i < 300 && !refused; ++i) {  // 300 lines of 4000 bytes are more than the 1 MiB disk
    const std::string text = long_text("on a full disk");
    if (auto line = say(*alice, *bob, "general", text)) {
      general.push_back(*line);
    } else {
      refused = text;
    }
  }
  ASSERT_TRUE(refused) << "300 long lines all stored on a full 1 MiB disk";
  std::cerr << "refused the line after " << general.size() - 3 << " more stored on the full disk\n";
  // The refused line reaches no one, not even its sender, later.
  for (auto* c : {alice.get(), bob.get()}) c->expect_no_frame(milliseconds(500));
  expect_server_running();
  expect_still_serves_reads(*alice, *bob, general);
  expect_log_says("database or disk is full");
  // Not ready while writes fail, reads served meanwhile or not.
  const HttpResponse failing = http_get(port(), "/readyz");
  EXPECT_EQ(failing.head.status, 503) << "/readyz while the last write failed: " << failing.head.status_line;
  EXPECT_EQ(failing.body, "store: the last write failed\n");

  ASSERT_TRUE(fs::remove(filler()));
  const chat::ChatLine after = say_stored(*alice, *bob, "general", unique_text("once space was free"));
  EXPECT_EQ(http_get(port(), "/readyz").head.status, 200) << "/readyz once a write succeeded again";
  EXPECT_GT(after.id, general.back().id);
  general.push_back(after);
  // Also a bigger write than a line: a room is created and announced again.
  alice->send(chat::CreateRoom{"salon"});
  alice->expect_room_created("salon");
  bob->expect_room_created("salon");
  EXPECT_EQ(describe_lines(read_whole_history(*bob, "general", 50)), describe_lines(general));
  for (auto* c : {alice.get(), bob.get()}) c->expect_no_frame(milliseconds(100));
}

// ---- The disk turns read-only ------------------------------------------------------------------

// ext4 on a loop device over a sparse image file, mounted with errors=remount-ro. Writing to
// /sys/fs/ext4/<device>/trigger_fs_error makes the kernel report an error on it, as when the disk
// fails: the journal is aborted and the file system turns read-only under the running server
// (writes fail with EIO or EROFS). Only unmounting it ends that, so there is no recovery to test
// with the same server; the loop device detaches by itself once unmounted (autoclear).
class StoreFailureOnReadOnlyDisk : public StoreFailureTest {
 protected:
  std::string mount_data_dir() override {
    const fs::path image = folder() / "disk.img";
    std::string mkfs;
    for (const char* candidate : {"/usr/sbin/mkfs.ext4", "/sbin/mkfs.ext4"}) {
      if (::access(candidate, X_OK) == 0) mkfs = candidate;
    }
    if (mkfs.empty()) return "no mkfs.ext4 (e2fsprogs) in /usr/sbin or /sbin";
    std::string why;
    const int image_fd = ::open(image.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    const bool sized = image_fd >= 0 && ::ftruncate(image_fd, 16 << 20) == 0;
    if (!sized) why = failed("creating " + image.string());
    if (image_fd >= 0) ::close(image_fd);
    if (!sized) return why;
    if (!run_quietly({mkfs, "-q", "-F", image.string()})) return mkfs + " failed on " + image.string();
    const int loop = attach_loop_device(image, why);
    if (loop < 0) return why;
    const bool mounted = ::mount(device_.c_str(), data_dir().c_str(), "ext4", MS_NOSUID | MS_NODEV, "errors=remount-ro") == 0;
    if (!mounted) why = failed("mounting " + device_ + " (ext4)");
    ::close(loop);  // autoclear: from now on the mount alone keeps the device attached
    if (!mounted) return why;
    trigger_ = "/sys/fs/ext4/" + fs::path(device_).filename().string() + "/trigger_fs_error";
    if (::access(trigger_.c_str(), W_OK) != 0) return failed(trigger_.string());  // after mounting: TearDown unmounts
    return "";
  }

  void fail_disk() { ASSERT_TRUE(write_file(trigger_, "1")) << failed("writing " + trigger_.string()); }

 private:
  // A free loop device on `image`; its open fd, or -1 with `why`. Retried: another process may
  // take the device the kernel named as free before we configure it.
  int attach_loop_device(const fs::path& image, std::string& why) {
    const int control = ::open("/dev/loop-control", O_RDWR | O_CLOEXEC);
    if (control < 0) return why = failed("/dev/loop-control"), -1;
    const int backing = ::open(image.c_str(), O_RDWR | O_CLOEXEC);
    int loop = -1;
    for (int attempt = 0; attempt < 10 && loop < 0; ++attempt) {
      const int number = ::ioctl(control, LOOP_CTL_GET_FREE);
      if (number < 0) {
        why = failed("LOOP_CTL_GET_FREE");
        break;
      }
      device_ = "/dev/loop" + std::to_string(number);
      loop = ::open(device_.c_str(), O_RDWR | O_CLOEXEC);
      if (loop < 0) {
        why = failed(device_);
        break;
      }
      loop_config config{};
      config.fd = static_cast<__u32>(backing);
      config.info.lo_flags = LO_FLAGS_AUTOCLEAR;
      if (::ioctl(loop, LOOP_CONFIGURE, &config) != 0) {
        why = failed("LOOP_CONFIGURE " + device_);
        ::close(loop);
        loop = -1;
      }
    }
    ::close(backing);
    ::close(control);
    return loop;
  }

  std::string device_;
  fs::path trigger_;
};

TEST_F(StoreFailureOnReadOnlyDisk, LinesAndRoomsAreRefusedNotDeliveredWhileReadsGoOn) {
  std::unique_ptr<ChatTestClient> alice, bob;
  meet(alice, bob);
  std::vector<chat::ChatLine> general;
  for (int i = 0; i < 3; ++i) general.push_back(say_stored(*alice, *bob, "general", unique_text("before the disk failed")));

  fail_disk();
  if (HasFatalFailure()) return;
  // From the first line on, and for every line after it.
  for (int i = 0; i < 3; ++i) {
    ASSERT_FALSE(say(*alice, *bob, "general", unique_text("on a read-only disk"))) << "line " << i << " was stored";
    for (auto* c : {alice.get(), bob.get()}) c->expect_no_frame(milliseconds(300));
  }
  // A room that cannot be stored is not created: refused, and no new room list for anyone.
  alice->send(chat::CreateRoom{"salon"});
  alice->expect_refusal(chat::ErrorCode::store_unavailable);
  for (auto* c : {alice.get(), bob.get()}) c->expect_no_frame(milliseconds(300));
  expect_server_running();
  expect_still_serves_reads(*alice, *bob, general);

  // A v2 login is welcomed, told its resume token was not stored, then gets members and history.
  ChatTestClient carol(port());
  carol.expect_rooms();
  carol.login_v2("carol");
  carol.expect_refusal(chat::ErrorCode::store_unavailable);
  carol.expect_members("general");
  EXPECT_EQ(describe_lines(carol.expect_history("general").lines), describe_lines(general));
  for (auto* c : {alice.get(), bob.get()}) c->expect_presence("general", "carol", true);

  expect_log_says("disk I/O error");
}

}  // namespace
}  // namespace chat_it
