// RowValidator: turns one CSV record of an extract into either a canonical row (appended to
// a RowBatch in store::ExtractDataColumns order) or one quarantine record.
//
// Checks, in order: the field count equals the header's (else column_count and nothing
// else); each field in spec order (missing_required or its type's reason, see
// field_canonicaliser.h; absent optional columns are NULL), and numbers against their
// field's ranges (formats::FieldSpec::ranges, out_of_range); then the cross-field date rules
// (formats::ExtractSpec::date_order) between fields that parsed. A rejected row's quarantine record
// names its first problem (field, raw value, reason) and its detail lists every problem. Thread
// safety: one thread at a time (keeps per-row scratch space).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/csv_record.h"
#include "pioneer/base/status.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/ingest/column_map.h"
#include "pioneer/ingest/field_canonicaliser.h"
#include "pioneer/ingest/reason_code.h"
#include "pioneer/ingest/row_batch.h"
#include "pioneer/store/ingest_writer.h"

namespace pioneer::ingest {

class RowValidator {
 public:
  // kInternal if the extract's spec is inconsistent (unknown code set, bad date rule).
  static StatusOr<std::unique_ptr<RowValidator>> Create(const ColumnMap& map);

  // Number of cells per accepted row (ExtractDataColumns(spec).size()).
  size_t width() const { return width_; }

  // Accepts the record into `batch` and returns nullopt, or fills `q` (with file_name set to
  // the spec's file name) and returns the reason of its first problem.
  std::optional<Reason> Process(int64_t line, std::span<const std::string_view> fields,
                                RowBatch* batch, store::QuarantineRecord* q);

  // Fills `q` for a line the CSV reader could not split into fields (CsvRecord::malformed):
  // reason malformed_record, the field at `column` (1-based, 0 unknown) when the header
  // has one, `what` as the detail and the raw line as the record.
  Reason QuarantineMalformed(int64_t line, std::string_view raw_line, std::string_view what,
                             int column, store::QuarantineRecord* q) const;

 private:
  struct Problem {
    int field;  // spec field index, or -1 for the row as a whole
    Reason reason;
    int other_field = -1;  // date_order: the field it must follow
  };
  struct DateRule {
    int earlier, later;
  };

  RowValidator() = default;
  void Reject(int64_t line, std::span<const std::string_view> fields, store::QuarantineRecord* q);

  ColumnMap map_;
  size_t width_ = 0;
  std::vector<FieldCanonicaliser> fields_;
  std::vector<CanonicalField> values_;  // sized once; never resized (views into it)
  std::vector<int> nhs_fields_;
  std::vector<DateRule> rules_;
  std::vector<std::span<const formats::ValueRange>> ranges_;  // per spec field
  std::vector<Problem> problems_;
};

}  // namespace pioneer::ingest
