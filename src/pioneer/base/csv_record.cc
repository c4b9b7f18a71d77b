#include "pioneer/base/csv_record.h"

namespace pioneer {

std::string EncodeCsvRecord(std::span<const std::string_view> fields) {
  std::string out;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    std::string_view f = fields[i];
    bool quote = f.find_first_of(",\"\r\n") != std::string_view::npos ||
                 (!f.empty() && (f.front() == ' ' || f.back() == ' '));
    if (!quote) {
      out.append(f);
      continue;
    }
    out.push_back('"');
    for (char c : f) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
  }
  return out;
}

}  // namespace pioneer
