// Checksum64: XXH64 (seed 0) of a byte range, as specified by the xxHash project
// (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md). Used by the timeline
// snapshot to detect truncated, corrupt or bit-flipped files. Not cryptographic: it guards
// against accidents, not against someone forging a file.
// Thread safety: a pure function.
#pragma once

#include <cstddef>
#include <cstdint>

namespace pioneer::timeline {

uint64_t Checksum64(const void* data, size_t size);

}  // namespace pioneer::timeline
