// SameFile: whether two paths name one file, so that a command can refuse an output path
// that is one of its inputs (outputs never overwrite inputs).
// Thread safety: reads the file system only.
#pragma once

#include <string>

namespace pioneer::tools {

// True when `a` and `b` name the same file: an existing file by identity (links, "./x"),
// otherwise by their normalised absolute paths.
bool SameFile(const std::string& a, const std::string& b);

}  // namespace pioneer::tools
