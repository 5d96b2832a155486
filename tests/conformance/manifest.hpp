// The conformance corpus's manifest (tests/data/manifest.tsv), read at run
// time: one row per test vector with what the RFC expects of it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/message/validate.hpp"

namespace sipua::conformance {

enum class expectation { valid, invalid_reject, valid_but_semantic_error, ambiguous };

struct manifest_row {
  std::string file;  ///< path relative to the data directory
  std::string rfc_section;
  expectation expected = expectation::ambiguous;
  std::string response_code;  ///< the manifest's text ("400", "none (drop response)" ...)
  std::string note;

  /// The status the manifest names first: its first three-digit number, 0
  /// when the text starts with "none" (a response: drop), nullopt if the
  /// column is empty.
  [[nodiscard]] std::optional<int> status() const;
  /// The role the manifest's code applies to: "(proxy)" or "(registrar)"
  /// after the status, else endpoint.
  [[nodiscard]] uas_role role() const;
  /// A gtest-safe name: "rfc4475/archive-only/test.dat" -> "rfc4475_archive_only_test".
  [[nodiscard]] std::string test_name() const;
};

/// Reads `dir`/manifest.tsv. On any problem (missing file, bad row) returns
/// what it could read and sets `error`.
std::vector<manifest_row> load_manifest(const std::string& dir, std::string& error);

/// The bytes of `dir`/`file`, exactly; `ok` false if it cannot be read.
std::string read_file(const std::string& path, bool& ok);

}  // namespace sipua::conformance
