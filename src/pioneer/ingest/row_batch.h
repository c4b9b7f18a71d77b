// RowBatch: a block of validated rows for one extract table, owning their bytes, plus the
// quarantine records found alongside them and, on a file's last batch, its file record.
//
// Batches carry work from the parsing thread to the writing thread (batch_pipeline.h) and
// are reused: Reset keeps the allocated capacity.
// Thread safety: owned by one thread at a time (handed over through the pipeline).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/ingest_writer.h"

namespace pioneer::ingest {

class RowBatch {
 public:
  // Empties the batch for rows of `spec` with `width` cells each.
  void Reset(const formats::ExtractSpec* spec, size_t width);

  const formats::ExtractSpec* spec() const { return spec_; }
  size_t width() const { return width_; }
  size_t rows() const { return lines_.size(); }

  // Building a row: BeginRow, then exactly width() Add* calls (or CancelRow).
  void BeginRow(int64_t line);
  void AddNull() { cells_.push_back({store::Cell::Kind::kNull, 0, 0, 0}); }
  void AddInt(int64_t v) { cells_.push_back({store::Cell::Kind::kInt, v, 0, 0}); }
  void AddReal(double v) { cells_.push_back({store::Cell::Kind::kReal, 0, v, 0}); }
  void AddText(std::string_view s);
  void CancelRow();

  // Calls fn(line, cells) for each complete row, in order; stops at the first error.
  template <typename Fn>
  Status ForEachRow(Fn&& fn) const;

  std::vector<store::QuarantineRecord> quarantine;
  std::optional<store::IngestFileRecord> file_done;

 private:
  struct StoredCell {
    store::Cell::Kind kind;
    int64_t i;  // integer value, or offset into text_
    double r;
    uint32_t len;  // text length
  };

  const formats::ExtractSpec* spec_ = nullptr;
  size_t width_ = 0;
  size_t row_start_ = 0;  // index in cells_ of the row being built
  size_t text_start_ = 0;
  std::vector<int64_t> lines_;
  std::vector<StoredCell> cells_;
  std::string text_;
  mutable std::vector<store::Cell> view_;
};

template <typename Fn>
Status RowBatch::ForEachRow(Fn&& fn) const {
  view_.resize(width_);
  for (size_t r = 0; r < lines_.size(); ++r) {
    const StoredCell* row = cells_.data() + r * width_;
    for (size_t c = 0; c < width_; ++c) {
      const StoredCell& sc = row[c];
      store::Cell& out = view_[c];
      out.kind = sc.kind;
      out.i = sc.i;
      out.r = sc.r;
      out.text = sc.kind == store::Cell::Kind::kText ? std::string_view(text_.data() + sc.i, sc.len)
                                                     : std::string_view();
    }
    PIONEER_RETURN_IF_ERROR(fn(lines_[r], std::span<const store::Cell>(view_)));
  }
  return OkStatus();
}

}  // namespace pioneer::ingest
