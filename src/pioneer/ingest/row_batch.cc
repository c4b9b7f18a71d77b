#include "pioneer/ingest/row_batch.h"

namespace pioneer::ingest {

void RowBatch::Reset(const formats::ExtractSpec* spec, size_t width) {
  spec_ = spec;
  width_ = width;
  lines_.clear();
  cells_.clear();
  text_.clear();
  quarantine.clear();
  file_done.reset();
  row_start_ = text_start_ = 0;
}

void RowBatch::BeginRow(int64_t line) {
  lines_.push_back(line);
  row_start_ = cells_.size();
  text_start_ = text_.size();
}

void RowBatch::AddText(std::string_view s) {
  cells_.push_back({store::Cell::Kind::kText, static_cast<int64_t>(text_.size()), 0,
                    static_cast<uint32_t>(s.size())});
  text_.append(s);
}

void RowBatch::CancelRow() {
  lines_.pop_back();
  cells_.resize(row_start_);
  text_.resize(text_start_);
}

}  // namespace pioneer::ingest
