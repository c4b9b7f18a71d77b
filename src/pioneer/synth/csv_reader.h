// Streaming CSV reading with libcsv (RFC 4180), for the calibration check that reads the
// generated extracts back. Not a general ingest reader: it reports fields as strings and
// leaves validation to the caller.
// Thread safety: no shared state.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"

namespace pioneer::synth {

using CsvRowFn = std::function<void(const std::vector<std::string>& fields)>;

// Calls on_row for every data row of the file at `path`; the first row is returned in
// *header. NotFound if the file cannot be opened; InvalidArgument on malformed CSV.
Status ReadCsvFile(const std::string& path, std::vector<std::string>* header,
                   const CsvRowFn& on_row);

// Index of `name` in `header`, or -1.
int ColumnIndex(const std::vector<std::string>& header, std::string_view name);

}  // namespace pioneer::synth
