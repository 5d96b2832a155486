#include "conformance_case.hpp"

#include <gtest/gtest.h>

namespace sipua::conformance {

std::string data_dir() { return SIPUA_TEST_DATA_DIR; }

std::string read_vector(const std::string& file) {
  bool ok = false;
  std::string data = read_file(data_dir() + "/" + file, ok);
  EXPECT_TRUE(ok) << "cannot read " << file;
  return data;
}

std::vector<vector_case> load_cases() {
  std::string error;
  const std::vector<manifest_row> rows = load_manifest(data_dir(), error);
  std::vector<vector_case> cases;
  if (rows.empty()) {
    vector_case broken;
    broken.name = "manifest";
    broken.error = error.empty() ? "the manifest has no rows" : error;
    cases.push_back(std::move(broken));
    return cases;
  }
  for (const manifest_row& row : rows) {
    vector_case c;
    c.row = row;
    c.name = row.test_name();
    c.error = error;
    for (const vector_expectation& x : expectations())
      if (x.file == row.file) c.expect = &x;
    if (c.expect == nullptr) c.error += "no entry in vectors.cpp for " + row.file;
    bool ok = false;
    c.data = read_file(data_dir() + "/" + row.file, ok);
    if (!ok) c.error += "cannot read " + row.file;
    cases.push_back(std::move(c));
  }
  return cases;
}

bool lenient_archive_file(const manifest_row& row) { return row.file.starts_with("rfc5118/"); }

parse_options datagram_options(const manifest_row& row) {
  parse_options o;
  if (lenient_archive_file(row)) {
    o.allow_bare_lf = true;
    o.allow_unterminated_headers = true;
    o.allow_short_body = true;
  }
  return o;
}

}  // namespace sipua::conformance
