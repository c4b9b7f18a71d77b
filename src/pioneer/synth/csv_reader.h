// Rows of a CSV file as strings, for the calibration check that reads the generated extracts
// back and for the generator's tests. An adapter over the one CSV reader (base/csv_reader.h,
// libcsv, RFC 4180 with strict quotes and UTF-8 checks), not a parser of its own; it reports
// fields as strings and leaves validation to the caller.
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
// *header. NotFound if the file cannot be opened; InvalidArgument on malformed CSV (the
// message names the file, line and column).
Status ReadCsvFile(const std::string& path, std::vector<std::string>* header,
                   const CsvRowFn& on_row);

// The first row of the file at `path` only. Errors as ReadCsvFile.
Status ReadCsvHeader(const std::string& path, std::vector<std::string>* header);

// Index of `name` in `header`, or -1.
int ColumnIndex(const std::vector<std::string>& header, std::string_view name);

}  // namespace pioneer::synth
