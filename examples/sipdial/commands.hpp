// sipdial's commands and their options.
#pragma once

#include <string>
#include <vector>

namespace sipdial {

struct options {
  bool trace = false;  ///< --trace: every message in full
};

int run_demo(const options& o);

}  // namespace sipdial
