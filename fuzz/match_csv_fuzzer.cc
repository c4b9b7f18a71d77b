// Fuzz target: bytes as an input file of `pioneer match`, read with the automatic column
// mapping (and, when the first byte is odd, an explicit --map) into a record set.
// The bytes are read from memory (LoadCsvBytes, the same reader LoadCsvRecords runs on a
// file): no scratch file per input, so the target runs thousands of inputs a second.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pioneer/link/csv_input.h"

using namespace pioneer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const link::ColumnMap kMapped = [] {
    auto m = link::ParseColumnMap("given_name=a,family_name=b+c,birth_date=d");
    if (!m.ok()) std::abort();
    return *m;
  }();
  static const link::ColumnMap kAutomatic;
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  link::RecordSet records;
  link::LoadedInput info;
  Status s = link::LoadCsvBytes(text, "fuzz.csv", (data[0] & 1) ? kMapped : kAutomatic, 0, &records,
                                &info);
  if (s.ok() && records.size() != static_cast<size_t>(info.rows)) std::abort();
  return 0;
}
