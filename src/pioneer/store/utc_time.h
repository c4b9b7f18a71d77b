// UTC timestamps as stored in the store: ISO 8601 "2015-04-01T09:30:00Z".
// Thread safety: thread-safe.
#pragma once

#include <string>

namespace pioneer::store {

// The current UTC time, to the second.
std::string UtcNowIso8601();

}  // namespace pioneer::store
