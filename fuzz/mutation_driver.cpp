// A main() for a fuzz target without libFuzzer: deterministic seeded mutation testing, built with
// any compiler and sanitizer and run by ctest (fuzz/CMakeLists.txt).
//
//   NAME_mutation_test --corpus DIR [--dict FILE] [--iterations N] [--max-len BYTES] [--seed S]
//       runs the target on every file of DIR (sorted by name), then on N mutated inputs;
//   NAME_mutation_test --corpus DIR [...] --dump I FILE
//       writes the input of mutation I (as the run above makes it) to FILE, without running it;
//   NAME_mutation_test FILE...
//       runs the target on each file (to replay a crash, also one found by libFuzzer).
//
// Mutation I is made by a std::mt19937_64 seeded from (S, I) alone, so any one of them can be
// rebuilt without the others: a corpus entry (or two, spliced), then 1 to 4 of: bit flip, byte
// set to an interesting value (0, 0xff, '\n', '\r', ',', '.', '-', '"', '[', '=', ...) or to a
// random one, digit changed, run inserted or deleted, chunk duplicated or copied over, truncation,
// dictionary token inserted or written over (libFuzzer's dictionary format, fuzz/dict/).
// On a crash (trap, abort, sanitizer report) the input is written to crash-NAME.bin in the working
// directory and the mutation's number printed.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define OSPREY_FUZZ_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OSPREY_FUZZ_ASAN 1
#endif
#endif
#ifdef OSPREY_FUZZ_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

using Bytes = std::vector<std::uint8_t>;

constexpr std::uint64_t kDefaultSeed = 0x05A3E7D1CE5EED01;
constexpr std::array<std::uint8_t, 20> kInteresting = {0x00, 0xff, '\n', '\r', ',',  '.', '-',
                                                       '"',  '[',  '=',  ' ',  '\t', '0', '9',
                                                       '+',  'e',  ']',  '#',  0x7f, 0x80};

// ---- crash report -------------------------------------------------------------------------------

// What the target is running, for the crash handler (which may only use async-signal-safe calls).
const std::uint8_t* g_input = nullptr;
std::size_t g_input_size = 0;
std::array<char, 512> g_running{};  // "seed FILE" or "mutation I", NUL-terminated
std::array<char, 256> g_crash_file{};

void WriteAll(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n <= 0) return;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

void WriteText(const char* text) { WriteAll(STDERR_FILENO, text, std::strlen(text)); }

void ReportCrash() {
  static volatile sig_atomic_t reported = 0;
  if (reported != 0 || g_input == nullptr) return;
  reported = 1;
  WriteText("\nmutation_driver: the target crashed on ");
  WriteText(g_running.data());
  const int fd = ::open(g_crash_file.data(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) {
    WriteAll(fd, g_input, g_input_size);
    ::close(fd);
    WriteText("; input written to ");
    WriteText(g_crash_file.data());
    WriteText(" (replay: this binary with that file as argument)");
  }
  WriteText("\n");
}

void OnSignal(int signo) {
  ReportCrash();
  ::signal(signo, SIG_DFL);
  ::raise(signo);
}

void InstallCrashReport(std::string_view program) {
  const std::string name = std::filesystem::path(program).filename().string();
  const std::string file = "crash-" + name.substr(0, name.find("_mutation_test")) + ".bin";
  std::snprintf(g_crash_file.data(), g_crash_file.size(), "%s", file.c_str());
  for (const int s : {SIGABRT, SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP}) ::signal(s, OnSignal);
#ifdef OSPREY_FUZZ_ASAN
  __sanitizer_set_death_callback(ReportCrash);
#endif
}

void Run(const Bytes& input) {
  g_input = input.data();
  g_input_size = input.size();
  LLVMFuzzerTestOneInput(input.data(), input.size());
  g_input = nullptr;
}

// ---- inputs ------------------------------------------------------------------------------------

bool ReadFile(const std::filesystem::path& path, Bytes& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// A dictionary in libFuzzer's format: one token per line, `name="text"` or `"text"`, with the
// escapes \\, \" and \xHH; lines starting with '#' are comments.
bool ReadDictionary(const std::filesystem::path& path, std::vector<Bytes>& tokens) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    const std::size_t open = line.find('"');
    const std::size_t close = line.rfind('"');
    if (line.starts_with('#') || open == std::string::npos || close <= open) continue;
    Bytes token;
    for (std::size_t i = open + 1; i < close; ++i) {
      if (line[i] != '\\' || i + 1 >= close) {
        token.push_back(static_cast<std::uint8_t>(line[i]));
      } else if (line[i + 1] == 'x' && i + 3 < close) {
        unsigned value = 0;
        std::from_chars(line.data() + i + 2, line.data() + i + 4, value, 16);
        token.push_back(static_cast<std::uint8_t>(value));
        i += 3;
      } else {
        token.push_back(static_cast<std::uint8_t>(line[i + 1]));
        ++i;
      }
    }
    if (!token.empty()) tokens.push_back(std::move(token));
  }
  return true;
}

// ---- mutations ---------------------------------------------------------------------------------

class Mutator {
 public:
  Mutator(const std::vector<Bytes>& corpus, const std::vector<Bytes>& dictionary,
          std::size_t max_len, std::uint64_t seed)
      : corpus_(corpus), dictionary_(dictionary), max_len_(max_len), seed_(seed) {}

  // The input of mutation `index`: a function of (seed, index) only.
  Bytes Make(std::uint64_t index) {
    rng_.seed(seed_ ^ (index * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL));
    Bytes data = corpus_[Below(corpus_.size())];
    const std::size_t steps = 1 + Below(4);
    for (std::size_t step = 0; step < steps; ++step) MutateOnce(data);
    if (data.size() > max_len_) data.resize(max_len_);
    return data;
  }

 private:
  // Uniform enough for testing, and the same with every standard library (unlike the
  // <random> distributions).
  std::size_t Below(std::size_t n) { return n == 0 ? 0 : static_cast<std::size_t>(rng_() % n); }
  std::uint8_t AnyByte() { return static_cast<std::uint8_t>(rng_() & 0xffU); }
  std::uint8_t InterestingByte() { return kInteresting[Below(kInteresting.size())]; }
  // A position in `data`, biased toward its start, where headers and first rows are.
  std::size_t Position(const Bytes& data, bool at_end_too) {
    const std::size_t n = data.size() + (at_end_too ? 1 : 0);
    if (n == 0) return 0;
    return Below(2) == 0 ? Below(std::min<std::size_t>(n, 256)) : Below(n);
  }

  void MutateOnce(Bytes& data) {
    switch (Below(12)) {
      case 0:  // flip one bit
        if (!data.empty()) data[Position(data, false)] ^= static_cast<std::uint8_t>(1U << Below(8));
        break;
      case 1:  // set a byte to an interesting value
        if (!data.empty()) data[Position(data, false)] = InterestingByte();
        break;
      case 2:  // set a byte to any value
        if (!data.empty()) data[Position(data, false)] = AnyByte();
        break;
      case 3: {  // change a digit into another digit
        if (data.empty()) break;
        for (std::size_t tries = 0; tries < 16; ++tries) {
          const std::size_t at = Position(data, false);
          if (data[at] >= '0' && data[at] <= '9') {
            data[at] = static_cast<std::uint8_t>('0' + Below(10));
            break;
          }
        }
        break;
      }
      case 4: {  // insert a run of one byte
        const std::size_t at = Position(data, true);
        const std::uint8_t byte = Below(2) == 0 ? InterestingByte() : AnyByte();
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), 1 + Below(16), byte);
        break;
      }
      case 5: {  // insert random bytes
        const std::size_t at = Position(data, true);
        Bytes run(1 + Below(8));
        for (std::uint8_t& b : run) b = AnyByte();
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), run.begin(), run.end());
        break;
      }
      case 6: {  // delete a run
        if (data.empty()) break;
        const std::size_t at = Position(data, false);
        const std::size_t n = 1 + Below(std::min<std::size_t>(data.size() - at, 64));
        data.erase(data.begin() + static_cast<std::ptrdiff_t>(at),
                   data.begin() + static_cast<std::ptrdiff_t>(at + n));
        break;
      }
      case 7: {  // duplicate a chunk somewhere else
        if (data.empty()) break;
        const std::size_t from = Below(data.size());
        const std::size_t n = 1 + Below(std::min<std::size_t>(data.size() - from, 256));
        const Bytes chunk(data.begin() + static_cast<std::ptrdiff_t>(from),
                          data.begin() + static_cast<std::ptrdiff_t>(from + n));
        const std::size_t at = Position(data, true);
        data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), chunk.begin(), chunk.end());
        break;
      }
      case 8: {  // copy a chunk over another place
        if (data.size() < 2) break;
        const std::size_t from = Below(data.size());
        const std::size_t to = Below(data.size());
        const std::size_t n =
            1 + Below(std::min({data.size() - from, data.size() - to, std::size_t{64}}));
        std::memmove(data.data() + to, data.data() + from, n);
        break;
      }
      case 9:  // truncate
        if (!data.empty()) data.resize(Below(data.size()));
        break;
      case 10: {  // splice: a prefix of this input and a suffix of another corpus entry
        const Bytes& other = corpus_[Below(corpus_.size())];
        const std::size_t cut = Below(data.size() + 1);
        const std::size_t from = Below(other.size() + 1);
        data.resize(cut);
        data.insert(data.end(), other.begin() + static_cast<std::ptrdiff_t>(from), other.end());
        break;
      }
      default: {  // a dictionary token, inserted or written over
        if (dictionary_.empty()) break;
        const Bytes& token = dictionary_[Below(dictionary_.size())];
        const std::size_t at = Position(data, true);
        if (Below(2) == 0 || at + token.size() > data.size()) {
          data.insert(data.begin() + static_cast<std::ptrdiff_t>(at), token.begin(), token.end());
        } else {
          std::copy(token.begin(), token.end(), data.begin() + static_cast<std::ptrdiff_t>(at));
        }
        break;
      }
    }
    // Keep intermediate inputs bounded (max_len is applied once more at the end).
    if (data.size() > 2 * max_len_) data.resize(2 * max_len_);
  }

  const std::vector<Bytes>& corpus_;
  const std::vector<Bytes>& dictionary_;
  std::size_t max_len_;
  std::uint64_t seed_;
  std::mt19937_64 rng_;
};

// ---- main --------------------------------------------------------------------------------------

struct Options {
  std::string corpus;
  std::string dictionary;
  std::uint64_t iterations = 1000;
  std::size_t max_len = 65536;
  std::uint64_t seed = kDefaultSeed;
  bool dump = false;
  std::uint64_t dump_index = 0;
  std::string dump_file;
  std::vector<std::string> files;
};

template <class T>
bool ParseNumber(std::string_view text, T& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool ParseOptions(int argc, char** argv, Options& o) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--corpus" && has_value) {
      o.corpus = argv[++i];
    } else if (arg == "--dict" && has_value) {
      o.dictionary = argv[++i];
    } else if (arg == "--iterations" && has_value) {
      if (!ParseNumber(argv[++i], o.iterations)) return false;
    } else if (arg == "--max-len" && has_value) {
      if (!ParseNumber(argv[++i], o.max_len) || o.max_len == 0) return false;
    } else if (arg == "--seed" && has_value) {
      if (!ParseNumber(argv[++i], o.seed)) return false;
    } else if (arg == "--dump" && i + 2 < argc) {
      o.dump = true;
      if (!ParseNumber(argv[++i], o.dump_index)) return false;
      o.dump_file = argv[++i];
    } else if (arg.starts_with("--")) {
      return false;
    } else {
      o.files.emplace_back(arg);
    }
  }
  return !o.corpus.empty() || (!o.files.empty() && !o.dump);
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseOptions(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: %s --corpus DIR [--dict FILE] [--iterations N] [--max-len BYTES] "
                 "[--seed S] [--dump I FILE]\n"
                 "       %s FILE...\n",
                 argv[0], argv[0]);
    return 2;
  }
  InstallCrashReport(argv[0]);
  const auto start = std::chrono::steady_clock::now();

  if (o.corpus.empty()) {  // replay the files given
    for (const std::string& file : o.files) {
      Bytes input;
      if (!ReadFile(file, input)) {
        std::fprintf(stderr, "%s: cannot read\n", file.c_str());
        return 1;
      }
      std::snprintf(g_running.data(), g_running.size(), "file %s", file.c_str());
      Run(input);
      std::printf("%s: %zu bytes, ok\n", file.c_str(), input.size());
    }
    return 0;
  }

  std::vector<std::filesystem::path> paths;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(o.corpus, ec)) {
    if (entry.is_regular_file()) paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Bytes> corpus;
  for (const auto& path : paths) {
    if (!ReadFile(path, corpus.emplace_back())) {
      std::fprintf(stderr, "%s: cannot read\n", path.c_str());
      return 1;
    }
  }
  if (ec || corpus.empty()) {
    std::fprintf(stderr, "%s: no seed files (%s)\n", o.corpus.c_str(), ec.message().c_str());
    return 1;
  }
  std::vector<Bytes> dictionary;
  if (!o.dictionary.empty() && !ReadDictionary(o.dictionary, dictionary)) {
    std::fprintf(stderr, "%s: cannot read the dictionary\n", o.dictionary.c_str());
    return 1;
  }
  Mutator mutator(corpus, dictionary, o.max_len, o.seed);

  if (o.dump) {
    const Bytes input = mutator.Make(o.dump_index);
    std::ofstream out(o.dump_file, std::ios::binary);
    out.write(reinterpret_cast<const char*>(input.data()),
              static_cast<std::streamsize>(input.size()));
    if (!out) {
      std::fprintf(stderr, "%s: cannot write\n", o.dump_file.c_str());
      return 1;
    }
    std::printf("mutation %llu (%zu bytes) written to %s\n",
                static_cast<unsigned long long>(o.dump_index), input.size(), o.dump_file.c_str());
    return 0;
  }

  for (std::size_t i = 0; i < corpus.size(); ++i) {
    std::snprintf(g_running.data(), g_running.size(), "seed %s", paths[i].c_str());
    Run(corpus[i]);
  }
  const double seeds_seconds = SecondsSince(start);
  std::size_t bytes = 0;
  for (std::uint64_t i = 0; i < o.iterations; ++i) {
    const Bytes input = mutator.Make(i);
    bytes += input.size();
    std::snprintf(g_running.data(), g_running.size(), "mutation %llu (seed %llu)",
                  static_cast<unsigned long long>(i), static_cast<unsigned long long>(o.seed));
    Run(input);
  }
  const double seconds = SecondsSince(start);
  std::printf(
      "%zu seeds replayed in %.2f s, %llu mutations (mean %zu bytes, %zu dictionary tokens) in "
      "%.2f s, no crash\n",
      corpus.size(), seeds_seconds, static_cast<unsigned long long>(o.iterations),
      o.iterations == 0 ? std::size_t{0} : static_cast<std::size_t>(bytes / o.iterations),
      dictionary.size(), seconds - seeds_seconds);
  return 0;
}
