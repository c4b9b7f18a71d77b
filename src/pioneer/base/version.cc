#include "pioneer/base/version.h"

#ifndef PIONEER_VERSION
#error "PIONEER_VERSION is set by src/CMakeLists.txt from project(VERSION)"
#endif

namespace pioneer {

std::string_view PioneerVersion() { return PIONEER_VERSION; }

}  // namespace pioneer
