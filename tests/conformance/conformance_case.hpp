// One conformance test case: a manifest row, its expectation from the
// table, and the vector's bytes.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "manifest.hpp"
#include "vectors.hpp"

#include "sipua/message/message.hpp"

namespace sipua::conformance {

struct vector_case {
  manifest_row row;
  const vector_expectation* expect = nullptr;
  std::string data;   ///< the file's exact bytes
  std::string name;   ///< gtest name (row.test_name())
  std::string error;  ///< set when the manifest, the file or the table entry is missing
};

/// gtest prints a case by its file name.
inline void PrintTo(const vector_case& c, std::ostream* os) { *os << c.row.file; }

/// tests/data (SIPUA_TEST_DATA_DIR).
std::string data_dir();

/// The bytes of a vector, by its path relative to data_dir(); empty (and a
/// gtest failure) when it cannot be read.
std::string read_vector(const std::string& file);

/// One case per manifest row. If the manifest cannot be read, a single case
/// that carries the error (so the failure shows as a failing test).
std::vector<vector_case> load_cases();

/// The exact RFC 5118 archive files (rfc5118/), read with leniencies.
bool lenient_archive_file(const manifest_row& row);

/// Strict default options, except the three named leniencies for
/// lenient_archive_file() rows.
parse_options datagram_options(const manifest_row& row);

}  // namespace sipua::conformance
