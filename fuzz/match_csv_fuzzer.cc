// Fuzz target: bytes as an input file of `pioneer match`, read with the automatic column
// mapping (and, when the first byte is odd, an explicit --map) into a record set.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pioneer/link/csv_input.h"

using namespace pioneer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The reader takes a path: one scratch file per process.
  static const std::string path = "/tmp/pioneer_fuzz_match_" + std::to_string(getpid()) + ".csv";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  std::fwrite(data + 1, 1, size - 1, f);
  std::fclose(f);
  link::ColumnMap map;
  if (data[0] & 1) {
    auto m = link::ParseColumnMap("given_name=a,family_name=b+c,birth_date=d");
    if (m.ok()) map = *m;
  }
  link::RecordSet records;
  link::LoadedInput info;
  Status s = link::LoadCsvRecords(path, map, 0, &records, &info);
  if (s.ok() && records.size() != static_cast<size_t>(info.rows)) std::abort();
  return 0;
}
