// Online backup: `chat_server backup` copies the store while the server is busy storing lines,
// and a new server started on the copy serves the same history: a consistent prefix of what was
// said (every line acknowledged before the backup began, ids without a gap, each line as it was).
#include "chat_fixture.hpp"

#include <sys/wait.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace chat_it {
namespace {

namespace fs = std::filesystem;

// Runs `chat_server backup ...`; returns its exit code, its output in `output`.
int run_backup(const std::string& arguments, std::string& output) {
  const fs::path log = fs::temp_directory_path() / ("chat-backup-" + std::to_string(::getpid()) + ".log");
  const std::string command = "'" + server_binary() + "' backup " + arguments + " >'" + log.string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  output = text.str();
  fs::remove(log);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST_F(UnlimitedChatServerTest, ABackupUnderLoadRestoresIntoAServerWithTheSameHistory) {
  const fs::path folder = fs::path(::testing::TempDir()) / ("chat-backup-test-" + std::to_string(::getpid()));
  fs::remove_all(folder);
  fs::create_directories(folder / "restored");
  const fs::path copy = folder / "chat-backup.db";

  auto alice = connect_v2("alice");
  auto bob = connect_v2("bob");
  alice->expect_presence("general", "bob", true);
  std::vector<chat::ChatLine> said;  // as bob received them, in order
  std::atomic<std::size_t> acknowledged{0};
  std::atomic<bool> backed_up{false};
  std::string load_failure;
  std::string output;
  int exit_code = -1;
  std::size_t before_backup = 0;
  {
    JoinedThread load([&] {
      try {
        while (!backed_up || said.size() < before_backup + 100) {  // on until well after the backup
          const std::string text = unique_text("under backup");
          alice->send(chat::SendMessage{text});
          alice->expect_message();  // her own line
          said.push_back(bob->expect_chat_v2("alice", "general", text));
          acknowledged = said.size();
        }
      } catch (const std::exception& failure) {
        load_failure = failure.what();
        backed_up = true;
      }
    });
    while (acknowledged < 200 && load_failure.empty()) std::this_thread::sleep_for(milliseconds(5));
    before_backup = acknowledged;  // stored before the backup began: must all be in it
    exit_code = run_backup("--data-dir '" + server().data_dir().string() + "' --to '" + copy.string() + "'", output);
    backed_up = true;
  }
  ASSERT_EQ(load_failure, "");
  ASSERT_EQ(exit_code, 0) << output;
  EXPECT_NE(output.find("backed up"), std::string::npos) << output;
  std::string again;
  EXPECT_EQ(run_backup("--data-dir '" + server().data_dir().string() + "' --to '" + copy.string() + "'", again), 1)
      << "a backup must never overwrite a file: " << again;

  // Restore, as README says: the copy becomes chat.db of a fresh data folder.
  fs::copy_file(copy, folder / "restored" / "chat.db");
  ServerProcess restored({"--no-limits", "--data-dir", (folder / "restored").string()});
  auto reader = std::make_unique<ChatTestClient>(restored.port());
  reader->expect_rooms();
  reader->login_v2("reader");
  reader->expect_members("general");
  reader->expect_history("general");
  const std::vector<chat::ChatLine> history = read_whole_history(*reader, "general", 100);
  EXPECT_TRUE(ids_are_consecutive(history, 1));
  EXPECT_GE(history.size(), before_backup);
  ASSERT_LE(history.size(), said.size());
  EXPECT_EQ(describe_lines(history), describe_lines({said.begin(), said.begin() + history.size()}));
  std::cerr << before_backup << " lines before the backup began, " << history.size() << " in it, " << said.size()
            << " said in all\n";
  reader.reset();
  EXPECT_EQ(restored.stop(), 0);
  fs::remove_all(folder);
}

}  // namespace
}  // namespace chat_it
