// A plain main() for fuzz targets: feeds LLVMFuzzerTestOneInput every file
// named on the command line, and every regular file inside each directory
// named (not recursive, sorted by name). A path that does not exist is
// skipped, so a target without regressions yet still replays its corpus.
// Exits 1 if a file cannot be read or no input was found at all; a crash or
// sanitizer report in the target ends the process as usual.
//
// Built without libFuzzer, so ctest replays fuzz/regressions/<name>/ and
// fuzz/corpus/<name>/ in every build (with ASan+UBSan in the asan preset).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool replay_file(const fs::path& path) {
  std::error_code ec;
  const auto size = static_cast<std::size_t>(fs::file_size(path, ec));
  std::ifstream in(path, std::ios::binary);
  // An exact-size heap buffer, so ASan catches a read past the end.
  std::vector<std::uint8_t> input(ec ? 0 : size);
  if (ec || !in ||
      !in.read(reinterpret_cast<char*>(input.data()), static_cast<std::streamsize>(size))) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  LLVMFuzzerTestOneInput(input.data(), input.size());
  return true;
}

/// The inputs under `arg`: the file itself, or a directory's regular files.
std::vector<fs::path> inputs_of(const fs::path& arg) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (fs::is_directory(arg, ec)) {
    for (const auto& entry : fs::directory_iterator(arg, ec))
      if (entry.is_regular_file(ec)) out.push_back(entry.path());
    std::sort(out.begin(), out.end());
  } else if (fs::exists(arg, ec)) {
    out.push_back(arg);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t replayed = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    for (const fs::path& path : inputs_of(argv[i])) {
      ok = replay_file(path) && ok;
      ++replayed;
    }
  }
  std::printf("replay: %zu inputs\n", replayed);
  if (replayed == 0) {
    std::fprintf(stderr, "replay: no input found (a fuzz target needs seeds in fuzz/corpus/)\n");
    return 1;
  }
  return ok ? 0 : 1;
}
