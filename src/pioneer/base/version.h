// The Pioneer release this binary was built from: one place, set by the project version in
// the top-level CMakeLists.txt. Recorded in ingest_runs and link_runs, printed by --version.
#pragma once

#include <string_view>

namespace pioneer {

// "MAJOR.MINOR.PATCH", e.g. "0.1.0".
std::string_view PioneerVersion();

}  // namespace pioneer
