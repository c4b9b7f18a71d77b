// Fuzz target: bytes as one extract file, read the way `pioneer ingest` reads it (strict
// CSV with malformed records delivered, header mapped onto the extract's spec, every record
// through the row validator). The first byte picks the extract. Invariants checked: every
// record is accepted or quarantined with a reason (the reconciliation), line numbers never
// go backwards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pioneer/base/csv_reader.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/ingest/column_map.h"
#include "pioneer/ingest/row_batch.h"
#include "pioneer/ingest/row_validator.h"

using namespace pioneer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto extracts = formats::AllExtracts();
  const formats::ExtractSpec& spec = extracts[data[0] % extracts.size()];
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  CsvReadOptions options;
  options.chunk_bytes = 16 + data[0] % 64;  // chunk boundaries fall everywhere
  options.deliver_malformed = true;
  CsvReader reader(options);
  ingest::ColumnMap map;
  std::unique_ptr<ingest::RowValidator> validator;
  ingest::RowBatch batch;
  store::QuarantineRecord q;
  bool header = false, usable = false;
  int64_t last_line = 0, read = 0, accepted = 0, quarantined = 0;
  Status s = reader.ReadBytes(text, [&](const CsvRecord& rec) -> Status {
    if (rec.line < last_line) std::abort();  // line numbers only go forward
    last_line = rec.line;
    if (!header) {
      header = true;
      if (!rec.malformed.empty()) return InvalidArgumentError("malformed header");
      usable = ingest::MapHeader(spec, rec.fields, &map).empty();
      if (!usable) return InvalidArgumentError("header problems");
      auto v = ingest::RowValidator::Create(map);
      if (!v.ok()) std::abort();  // the spec itself is inconsistent
      validator = std::move(*v);
      batch.Reset(&spec, validator->width());
      return OkStatus();
    }
    ++read;
    std::optional<ingest::Reason> reason =
        rec.malformed.empty()
            ? validator->Process(rec.line, rec.fields, &batch, &q)
            : validator->QuarantineMalformed(rec.line, rec.fields[0], rec.malformed,
                                             rec.malformed_column, &q);
    if (reason) {
      if (q.reason_code.empty() || q.line_no != rec.line) std::abort();
      ++quarantined;
    } else {
      ++accepted;
    }
    return OkStatus();
  });
  (void)s;
  if (read != accepted + quarantined) std::abort();
  if (static_cast<int64_t>(batch.rows()) != accepted) std::abort();
  return 0;
}
