#include "manifest.hpp"

#include <cctype>
#include <fstream>
#include <iterator>
#include <sstream>

namespace sipua::conformance {
namespace {

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', begin);
    out.push_back(line.substr(begin, tab == std::string::npos ? std::string::npos : tab - begin));
    if (tab == std::string::npos) return out;
    begin = tab + 1;
  }
}

std::optional<expectation> to_expectation(std::string_view s) {
  if (s == "valid") return expectation::valid;
  if (s == "invalid-reject") return expectation::invalid_reject;
  if (s == "valid-but-semantic-error") return expectation::valid_but_semantic_error;
  if (s == "ambiguous") return expectation::ambiguous;
  return std::nullopt;
}

}  // namespace

std::optional<int> manifest_row::status() const {
  if (response_code.empty()) return std::nullopt;
  if (response_code.rfind("none", 0) == 0) return 0;
  for (std::size_t i = 0; i + 3 <= response_code.size(); ++i) {
    auto digit = [&](std::size_t k) {
      return std::isdigit(static_cast<unsigned char>(response_code[k])) != 0;
    };
    const bool before_ok = i == 0 || !digit(i - 1);
    const bool after_ok = i + 3 == response_code.size() || !digit(i + 3);
    if (before_ok && after_ok && digit(i) && digit(i + 1) && digit(i + 2))
      return std::stoi(response_code.substr(i, 3));
  }
  return std::nullopt;
}

uas_role manifest_row::role() const {
  // The role in parentheses right after the first status ("483 (proxy)").
  const std::size_t open = response_code.find('(');
  const std::string_view rest =
      open == std::string::npos ? std::string_view{} : std::string_view{response_code}.substr(open);
  if (rest.starts_with("(proxy)")) return uas_role::proxy;
  if (rest.starts_with("(registrar)")) return uas_role::registrar;
  return uas_role::endpoint;
}

std::string manifest_row::test_name() const {
  std::string name = file;
  if (name.size() > 4 && name.ends_with(".dat")) name.resize(name.size() - 4);
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return name;
}

std::vector<manifest_row> load_manifest(const std::string& dir, std::string& error) {
  std::vector<manifest_row> rows;
  std::ifstream in{dir + "/manifest.tsv", std::ios::binary};
  if (!in) {
    error = "cannot open " + dir + "/manifest.tsv";
    return rows;
  }
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      header = false;
      if (line.rfind("file\trfc_section\texpected", 0) != 0)
        error = "unexpected manifest header: " + line;
      continue;
    }
    if (line.empty()) continue;
    const std::vector<std::string> cols = split_tabs(line);
    const auto expected = cols.size() == 5 ? to_expectation(cols[2]) : std::nullopt;
    if (!expected) {
      error = "malformed manifest row: " + line;
      continue;
    }
    rows.push_back(manifest_row{cols[0], cols[1], *expected, cols[3], cols[4]});
  }
  return rows;
}

std::string read_file(const std::string& path, bool& ok) {
  std::ifstream in{path, std::ios::binary};
  ok = static_cast<bool>(in);
  return ok ? std::string{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}}
            : std::string{};
}

}  // namespace sipua::conformance
