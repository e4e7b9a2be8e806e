#include "app/output_folder.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace osprey {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kOwned = {"osprey.db",         "osprey.db-wal", "osprey.db-shm",
                                         "osprey.db-journal", "report.html",   "result.json",
                                         "osprey.log"};

void WriteFile(const fs::path& p, const std::string& content) {
  std::ofstream out(p, std::ios::binary);
  out << content;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Names of the entries of `dir`, sorted.
std::set<std::string> Entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename());
  return names;
}

std::string Pid(pid_t pid) { return "(pid " + std::to_string(pid) + ")"; }

// Each test gets a fresh folder `root_` holding the --out folder `out_` (not created).
class OutputFolderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    root_ = fs::temp_directory_path() /
            ("osprey-output-folder-" + std::to_string(::getpid()) + "-" + test);
    fs::remove_all(root_);
    fs::create_directories(root_);
    root_ = fs::canonical(root_);
    out_ = root_ / "out";
  }
  void TearDown() override { fs::remove_all(root_); }

  // An --out folder holding the complete outputs of an earlier run.
  void MakeOldOutputs() {
    fs::create_directory(out_);
    WriteFile(out_ / "report.html", "old report");
    WriteFile(out_ / "result.json", "{\"old\": true}");
    WriteFile(out_ / "osprey.log", "old log");
  }
  void ExpectOldOutputs() {
    EXPECT_EQ(Entries(out_), (std::set<std::string>{"osprey.log", "report.html", "result.json"}));
    EXPECT_EQ(ReadFile(out_ / "report.html"), "old report");
    EXPECT_EQ(ReadFile(out_ / "result.json"), "{\"old\": true}");
    EXPECT_EQ(ReadFile(out_ / "osprey.log"), "old log");
  }

  fs::path root_;
  fs::path out_;
};

TEST_F(OutputFolderTest, CreatesAMissingFolderAndAnEmptyStagingFolderBesideIt) {
  const fs::path nested = root_ / "a" / "b" / "out";
  {
    Result<OutputFolder> folder = OutputFolder::Claim(nested.string(), kOwned);
    ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
    EXPECT_EQ(folder->target(), nested);
    EXPECT_TRUE(fs::is_directory(nested));
    EXPECT_EQ(folder->staging(),
              root_ / "a" / "b" / (".out.partial-" + std::to_string(::getpid())));
    ASSERT_TRUE(fs::is_directory(folder->staging()));
    EXPECT_TRUE(fs::is_empty(folder->staging()));
  }
  EXPECT_EQ(Entries(root_ / "a" / "b"), std::set<std::string>{"out"});  // staging removed
}

TEST_F(OutputFolderTest, RefusesAFolderHoldingForeignFilesAndTouchesNothing) {
  MakeOldOutputs();
  WriteFile(out_ / "notes.txt", "my notes");
  fs::create_directory(out_ / "photos");
  Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_FALSE(folder.has_value());
  EXPECT_EQ(folder.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(folder.error().message.find(out_.string() + " holds files osprey did not write"),
            std::string::npos)
      << folder.error().message;
  EXPECT_NE(folder.error().message.find("(notes.txt, photos)"), std::string::npos);
  EXPECT_EQ(ReadFile(out_ / "notes.txt"), "my notes");
  EXPECT_TRUE(fs::is_directory(out_ / "photos"));
  EXPECT_EQ(ReadFile(out_ / "report.html"), "old report");
  EXPECT_EQ(Entries(root_), std::set<std::string>{"out"});  // no staging folder
}

TEST_F(OutputFolderTest, NamesAtMostFiveForeignEntries) {
  fs::create_directory(out_);
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g"}) WriteFile(out_ / name, name);
  Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_FALSE(folder.has_value());
  EXPECT_NE(folder.error().message.find("(a, b, c, d, e and 2 more)"), std::string::npos)
      << folder.error().message;
}

TEST_F(OutputFolderTest, RefusesAPathThatIsARegularFile) {
  WriteFile(out_, "not a folder");
  Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_FALSE(folder.has_value());
  EXPECT_EQ(folder.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(folder.error().message.find(out_.string()), std::string::npos);
  EXPECT_EQ(ReadFile(out_), "not a folder");
}

TEST_F(OutputFolderTest, SecondClaimFailsAtOnceUntilTheFirstIsDestroyed) {
  std::optional<OutputFolder> first;
  {
    Result<OutputFolder> claimed = OutputFolder::Claim(out_.string(), kOwned);
    ASSERT_TRUE(claimed.has_value()) << claimed.error().ToString();
    first.emplace(std::move(*claimed));
  }
  // flock locks belong to the open file description, so a second open() in this process conflicts.
  Result<OutputFolder> second = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, ErrorCode::kIo);
  EXPECT_NE(second.error().message.find(out_.string() + " is in use by another osprey run"),
            std::string::npos)
      << second.error().message;
  if (fs::exists("/proc/locks")) {
    EXPECT_NE(second.error().message.find(Pid(::getpid())), std::string::npos);
  }
  EXPECT_TRUE(fs::is_directory(first->staging()));  // the refused Claim removed nothing

  first.reset();
  Result<OutputFolder> third = OutputFolder::Claim(out_.string(), kOwned);
  EXPECT_TRUE(third.has_value()) << third.error().ToString();
}

TEST_F(OutputFolderTest, TheFolderStaysLockedAfterCommitUntilDestroyed) {
  std::optional<OutputFolder> first;
  {
    Result<OutputFolder> claimed = OutputFolder::Claim(out_.string(), kOwned);
    ASSERT_TRUE(claimed.has_value()) << claimed.error().ToString();
    first.emplace(std::move(*claimed));
  }
  ASSERT_TRUE(first->Commit().has_value());
  Result<OutputFolder> second = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_FALSE(second.has_value());
  EXPECT_NE(second.error().message.find("in use"), std::string::npos) << second.error().message;
  first.reset();
  EXPECT_TRUE(OutputFolder::Claim(out_.string(), kOwned).has_value());
}

TEST_F(OutputFolderTest, CommitReplacesTheOldOutputsByTheNewOnes) {
  MakeOldOutputs();
  Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
  const fs::path staging = folder->staging();
  ASSERT_TRUE(OutputFolder::WriteNewFile(staging / "report.html", "new report").has_value());
  ASSERT_TRUE(OutputFolder::WriteNewFile(staging / "result.json", "{\"new\": true}").has_value());
  EXPECT_EQ(ReadFile(out_ / "report.html"), "old report");  // nothing visible before Commit

  Result<void> committed = folder->Commit();
  ASSERT_TRUE(committed.has_value()) << committed.error().ToString();
  // osprey.log existed only in the old folder: gone too.
  EXPECT_EQ(Entries(out_), (std::set<std::string>{"report.html", "result.json"}));
  EXPECT_EQ(ReadFile(out_ / "report.html"), "new report");
  EXPECT_EQ(ReadFile(out_ / "result.json"), "{\"new\": true}");
  EXPECT_EQ(Entries(root_), std::set<std::string>{"out"});  // old content removed

  Result<void> again = folder->Commit();
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, ErrorCode::kInternal);
}

TEST_F(OutputFolderTest, CommitByRenamesAlsoReplacesTheOldOutputs) {
  MakeOldOutputs();
  {
    Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
    ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
    ASSERT_TRUE(OutputFolder::WriteNewFile(folder->staging() / "report.html", "new").has_value());
    Result<void> committed = folder->CommitByRenames();
    ASSERT_TRUE(committed.has_value()) << committed.error().ToString();
    EXPECT_EQ(folder->CommitByRenames().error().code, ErrorCode::kInternal);
  }
  EXPECT_EQ(Entries(out_), std::set<std::string>{"report.html"});
  EXPECT_EQ(ReadFile(out_ / "report.html"), "new");
  EXPECT_EQ(Entries(root_), std::set<std::string>{"out"});  // no .out.old-* left
}

TEST_F(OutputFolderTest, DestroyingWithoutCommitKeepsTheOldOutputsAndRemovesStaging) {
  MakeOldOutputs();
  {
    Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
    ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
    ASSERT_TRUE(OutputFolder::WriteNewFile(folder->staging() / "report.html", "new").has_value());
    ASSERT_TRUE(OutputFolder::WriteNewFile(folder->staging() / "osprey.db", "db").has_value());
  }
  ExpectOldOutputs();
  EXPECT_EQ(Entries(root_), std::set<std::string>{"out"});
}

TEST_F(OutputFolderTest, ClaimRemovesTheLeftoversOfKilledRuns) {
  MakeOldOutputs();
  fs::create_directories(root_ / ".out.partial-999999" / "sub");
  WriteFile(root_ / ".out.partial-999999" / "report.html", "half");
  fs::create_directory(root_ / ".out.old-999998");
  WriteFile(root_ / ".out.old-999998" / "report.html", "older");
  // Not leftovers of this folder: kept.
  WriteFile(root_ / "keep.txt", "keep");
  fs::create_directory(root_ / ".out.partial-notapid");
  fs::create_directory(root_ / ".other.partial-123");

  Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
  const std::string staging = folder->staging().filename();
  EXPECT_EQ(Entries(root_), (std::set<std::string>{".other.partial-123", ".out.partial-notapid",
                                                   "keep.txt", "out", staging}));
  ExpectOldOutputs();
}

TEST_F(OutputFolderTest, ClaimRestoresAMissingFolderFromItsOldCopy) {
  // A run killed between the two renames of CommitByRenames.
  MakeOldOutputs();
  fs::rename(out_, root_ / ".out.old-4242");
  fs::create_directory(root_ / ".out.partial-4242");
  WriteFile(root_ / ".out.partial-4242" / "report.html", "new but never committed");

  Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
  ExpectOldOutputs();
  EXPECT_EQ(Entries(root_), (std::set<std::string>{"out", folder->staging().filename()}));
}

TEST_F(OutputFolderTest, APlantedSymlinkIsNeverWrittenThrough) {
  MakeOldOutputs();
  WriteFile(root_ / "victim.txt", "precious");
  fs::remove(out_ / "report.html");
  fs::create_symlink(root_ / "victim.txt", out_ / "report.html");

  Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
  ASSERT_TRUE(OutputFolder::WriteNewFile(folder->staging() / "report.html", "new").has_value());
  ASSERT_TRUE(folder->Commit().has_value());

  EXPECT_EQ(ReadFile(root_ / "victim.txt"), "precious");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(out_ / "report.html")));
  EXPECT_EQ(ReadFile(out_ / "report.html"), "new");
}

TEST_F(OutputFolderTest, AnOutSymlinkStaysAndPointsToTheNewOutputs) {
  const fs::path real = root_ / "real";
  const fs::path link = root_ / "link";
  fs::create_directory(real);
  WriteFile(real / "report.html", "old");
  fs::create_directory_symlink(real, link);
  {
    Result<OutputFolder> folder = OutputFolder::Claim(link.string(), kOwned);
    ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
    EXPECT_EQ(folder->target(), real);
    EXPECT_EQ(folder->staging().parent_path(), root_);
    ASSERT_TRUE(OutputFolder::WriteNewFile(folder->staging() / "report.html", "new").has_value());
    ASSERT_TRUE(folder->Commit().has_value());
  }
  ASSERT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(fs::read_symlink(link), real);
  EXPECT_EQ(ReadFile(link / "report.html"), "new");
  EXPECT_EQ(ReadFile(real / "report.html"), "new");
  EXPECT_EQ(Entries(root_), (std::set<std::string>{"link", "real"}));
}

TEST_F(OutputFolderTest, AnOutSymlinkToAMissingFolderCreatesThatFolder) {
  const fs::path link = root_ / "link";
  fs::create_directory_symlink("later", link);  // relative, dangling
  Result<OutputFolder> folder = OutputFolder::Claim(link.string() + "/", kOwned);
  ASSERT_TRUE(folder.has_value()) << folder.error().ToString();
  EXPECT_EQ(folder->target(), root_ / "later");
  EXPECT_TRUE(fs::is_directory(root_ / "later"));
  EXPECT_TRUE(fs::is_symlink(link));
}

TEST_F(OutputFolderTest, WriteNewFileWritesANewFileOnly) {
  ASSERT_TRUE(OutputFolder::WriteNewFile(root_ / "new.json", "{\"a\": 1}").has_value());
  EXPECT_EQ(ReadFile(root_ / "new.json"), "{\"a\": 1}");
  ASSERT_TRUE(OutputFolder::WriteNewFile(root_ / "empty", "").has_value());
  EXPECT_EQ(fs::file_size(root_ / "empty"), 0u);

  Result<void> existing = OutputFolder::WriteNewFile(root_ / "new.json", "other");
  ASSERT_FALSE(existing.has_value());
  EXPECT_EQ(existing.error().code, ErrorCode::kIo);
  EXPECT_NE(existing.error().message.find((root_ / "new.json").string() + ": File exists"),
            std::string::npos)
      << existing.error().message;
  EXPECT_EQ(ReadFile(root_ / "new.json"), "{\"a\": 1}");

  WriteFile(root_ / "victim.txt", "precious");
  fs::create_symlink(root_ / "victim.txt", root_ / "link.html");
  Result<void> through_link = OutputFolder::WriteNewFile(root_ / "link.html", "evil");
  ASSERT_FALSE(through_link.has_value());
  EXPECT_NE(through_link.error().message.find((root_ / "link.html").string()), std::string::npos);
  EXPECT_EQ(ReadFile(root_ / "victim.txt"), "precious");

  fs::create_symlink(root_ / "planted.txt", root_ / "dangling.html");
  EXPECT_FALSE(OutputFolder::WriteNewFile(root_ / "dangling.html", "evil").has_value());
  EXPECT_FALSE(fs::exists(fs::symlink_status(root_ / "planted.txt")));
}

// Kills its child process on scope exit if the test ends early.
struct ChildGuard {
  pid_t pid;
  ~ChildGuard() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

TEST_F(OutputFolderTest, AKilledRunLeavesTheOldOutputsAndTheNextClaimCleansUp) {
  MakeOldOutputs();
  int ready[2];
  int never[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(never), 0);
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The run: claims, writes complete new outputs, then is killed before Commit.
    ::close(ready[0]);
    ::close(never[1]);
    Result<OutputFolder> folder = OutputFolder::Claim(out_.string(), kOwned);
    if (!folder) ::_exit(2);
    for (const char* name : {"report.html", "result.json", "osprey.log", "osprey.db"}) {
      if (!OutputFolder::WriteNewFile(folder->staging() / name, "new")) ::_exit(3);
    }
    const char byte = 'r';
    if (::write(ready[1], &byte, 1) != 1) ::_exit(4);
    char ignored = 0;
    while (::read(never[0], &ignored, 1) != 0) {
    }
    ::_exit(0);
  }
  ChildGuard guard{child};
  ::close(ready[1]);
  ::close(never[0]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1) << "the child failed to claim and write";
  ::close(ready[0]);
  const fs::path child_staging = root_ / (".out.partial-" + std::to_string(child));
  EXPECT_EQ(Entries(child_staging),
            (std::set<std::string>{"osprey.db", "osprey.log", "report.html", "result.json"}));

  // While the child runs, another run is refused and told who holds the folder.
  Result<OutputFolder> busy = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_FALSE(busy.has_value());
  EXPECT_NE(busy.error().message.find("in use"), std::string::npos) << busy.error().message;
  if (fs::exists("/proc/locks")) {
    EXPECT_NE(busy.error().message.find(Pid(child)), std::string::npos) << busy.error().message;
  }

  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  guard.pid = 0;
  ::close(never[1]);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  ExpectOldOutputs();
  EXPECT_TRUE(fs::is_directory(child_staging));  // no destructor ran
  Result<OutputFolder> next = OutputFolder::Claim(out_.string(), kOwned);
  ASSERT_TRUE(next.has_value()) << next.error().ToString();
  EXPECT_FALSE(fs::exists(child_staging));
  ExpectOldOutputs();
}

}  // namespace
}  // namespace osprey
