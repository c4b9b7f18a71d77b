#include "pioneer/synth/csv_reader.h"

#include <filesystem>

#include "pioneer/base/csv_reader.h"

namespace pioneer::synth {
namespace {

// Reads rows of `path` through the one CSV reader: the first into *header, the rest to
// on_row (none, and reading stops after the header, when on_row is null).
Status ReadRows(const std::string& path, std::vector<std::string>* header, const CsvRowFn* on_row) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return NotFoundError("cannot open " + path);
  CsvReader reader;
  bool header_done = false;
  std::vector<std::string> row;
  Status s = reader.ReadFile(path, [&](const CsvRecord& r) {
    row.assign(r.fields.begin(), r.fields.end());
    if (!header_done) {
      *header = std::move(row);
      header_done = true;
      if (on_row == nullptr) reader.Stop();
    } else {
      (*on_row)(row);
    }
    return OkStatus();
  });
  if (!s.ok()) return Status(s.code(), path + ": " + s.message());
  return s;
}

}  // namespace

Status ReadCsvFile(const std::string& path, std::vector<std::string>* header,
                   const CsvRowFn& on_row) {
  return ReadRows(path, header, &on_row);
}

Status ReadCsvHeader(const std::string& path, std::vector<std::string>* header) {
  return ReadRows(path, header, nullptr);
}

int ColumnIndex(const std::vector<std::string>& header, std::string_view name) {
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace pioneer::synth
