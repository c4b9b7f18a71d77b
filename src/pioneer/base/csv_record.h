// Writing CSV: one record encoded as an RFC 4180 line, the inverse of CsvReader.
// Used wherever a rejected source row is kept whole (ingest's quarantine, care plan rejects)
// so that it can be corrected and fed again.
// Thread safety: pure function.
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace pioneer {

// `fields` joined by commas; a field is quoted (inner quotes doubled) only when it holds a
// comma, quote, CR or LF, or starts or ends with a space. No line ending is added.
std::string EncodeCsvRecord(std::span<const std::string_view> fields);

}  // namespace pioneer
