#include "pioneer/ingest/row_validator.h"

#include <fmt/format.h>

#include "pioneer/store/extract_tables.h"

namespace pioneer::ingest {

using formats::FieldType;

StatusOr<std::unique_ptr<RowValidator>> RowValidator::Create(const ColumnMap& map) {
  std::unique_ptr<RowValidator> v(new RowValidator());
  const formats::ExtractSpec& spec = *map.spec;
  v->map_ = map;
  v->width_ = store::ExtractDataColumns(spec).size();
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    PIONEER_ASSIGN_OR_RETURN(FieldCanonicaliser c, FieldCanonicaliser::Create(spec.fields[f]));
    v->fields_.push_back(std::move(c));
    if (spec.fields[f].type == FieldType::kNhsNumber) v->nhs_fields_.push_back(static_cast<int>(f));
    v->ranges_.push_back(spec.fields[f].ranges);
  }
  v->values_.resize(spec.fields.size());
  for (const formats::DateOrder& rule : spec.date_order) {
    int e = spec.FieldIndex(rule.earlier), l = spec.FieldIndex(rule.later);
    if (e < 0 || l < 0 || spec.fields[static_cast<size_t>(e)].type != FieldType::kDate ||
        spec.fields[static_cast<size_t>(l)].type != FieldType::kDate) {
      return InternalError(fmt::format("date rule {} <= {} does not name two date fields of {}",
                                       rule.earlier, rule.later, spec.table));
    }
    v->rules_.push_back({e, l});
  }
  return v;
}

std::optional<Reason> RowValidator::Process(int64_t line, std::span<const std::string_view> fields,
                                            RowBatch* batch, store::QuarantineRecord* q) {
  problems_.clear();
  if (fields.size() != map_.column_count()) {
    problems_.push_back({-1, Reason::kColumnCount});
    Reject(line, fields, q);
    return Reason::kColumnCount;
  }
  for (size_t f = 0; f < fields_.size(); ++f) {
    int col = map_.column_of_field[f];
    std::string_view raw = col >= 0 ? fields[static_cast<size_t>(col)] : std::string_view();
    if (std::optional<Reason> r = fields_[f].Canonicalise(raw, &values_[f])) {
      problems_.push_back({static_cast<int>(f), *r});
      continue;
    }
    const CanonicalField& v = values_[f];
    if (!ranges_[f].empty() &&
        (v.kind == store::Cell::Kind::kInt || v.kind == store::Cell::Kind::kReal)) {
      const double x = v.kind == store::Cell::Kind::kInt ? static_cast<double>(v.i) : v.r;
      bool inside = false;
      for (const formats::ValueRange& r : ranges_[f]) inside = inside || (x >= r.min && x <= r.max);
      if (!inside) problems_.push_back({static_cast<int>(f), Reason::kOutOfRange});
    }
  }
  for (const DateRule& rule : rules_) {
    const auto& e = values_[static_cast<size_t>(rule.earlier)].date;
    const auto& l = values_[static_cast<size_t>(rule.later)].date;
    if (e && l && *l < *e) problems_.push_back({rule.later, Reason::kDateOrder, rule.earlier});
  }
  if (!problems_.empty()) {
    Reject(line, fields, q);
    return problems_.front().reason;
  }
  batch->BeginRow(line);
  for (const CanonicalField& v : values_) {
    switch (v.kind) {
      case store::Cell::Kind::kNull:
        batch->AddNull();
        break;
      case store::Cell::Kind::kText:
        batch->AddText(v.text);
        break;
      case store::Cell::Kind::kInt:
        batch->AddInt(v.i);
        break;
      case store::Cell::Kind::kReal:
        batch->AddReal(v.r);
        break;
    }
  }
  for (int f : nhs_fields_) batch->AddText(values_[static_cast<size_t>(f)].nhs_status);
  return std::nullopt;
}

void RowValidator::Reject(int64_t line, std::span<const std::string_view> fields,
                          store::QuarantineRecord* q) {
  const formats::ExtractSpec& spec = *map_.spec;
  const Problem& first = problems_.front();
  q->file_name = std::string(spec.file_name);
  q->line_no = line;
  q->reason_code = std::string(ReasonCodeName(first.reason));
  q->problem_count = static_cast<int64_t>(problems_.size());
  q->raw_record = EncodeCsvRecord(fields);
  if (first.field < 0) {
    q->field.clear();
    q->raw_value.clear();
    q->detail =
        fmt::format("the row has {} fields; the header has {}", fields.size(), map_.column_count());
    return;
  }
  size_t f = static_cast<size_t>(first.field);
  q->field = std::string(spec.fields[f].name);
  int col = map_.column_of_field[f];
  q->raw_value = col >= 0 ? std::string(fields[static_cast<size_t>(col)]) : std::string();
  if (first.reason == Reason::kDateOrder) {
    q->detail = fmt::format("{} is before {}", spec.fields[f].name,
                            spec.fields[static_cast<size_t>(first.other_field)].name);
  } else if (first.reason == Reason::kOutOfRange && !ranges_[f].empty()) {
    q->detail = formats::DescribeRanges(ranges_[f]);
  } else {
    q->detail = fields_[f].Explain(first.reason);
  }
  if (problems_.size() > 1) {
    q->detail += fmt::format("; {} problems in the row:", problems_.size());
    for (const Problem& p : problems_) {
      q->detail += fmt::format(" {} {}", spec.fields[static_cast<size_t>(p.field)].name,
                               ReasonCodeName(p.reason));
    }
  }
}

Reason RowValidator::QuarantineMalformed(int64_t line, std::string_view raw_line,
                                         std::string_view what, int column,
                                         store::QuarantineRecord* q) const {
  q->file_name = std::string(map_.spec->file_name);
  q->line_no = line;
  q->reason_code = std::string(ReasonCodeName(Reason::kMalformedRecord));
  q->problem_count = 1;
  q->field.clear();
  if (column > 0 && static_cast<size_t>(column) <= map_.header.size()) {
    q->field = map_.header[static_cast<size_t>(column - 1)];
  }
  q->raw_value.clear();
  q->detail = std::string(what);
  q->raw_record = std::string(raw_line);
  return Reason::kMalformedRecord;
}

}  // namespace pioneer::ingest
