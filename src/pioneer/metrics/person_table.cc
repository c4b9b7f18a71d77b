#include "pioneer/metrics/person_table.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>

#include "pioneer/formats/derived_tables.h"

namespace pioneer::metrics {
namespace {

Status Bad(const std::string& where, const std::string& what) {
  return InvalidArgumentError("person table: " + where + ": " + what);
}

const formats::FieldSpec* FindField(const std::string& table, const std::string& field) {
  const formats::ExtractSpec* spec = formats::FindSourceTable(table);
  if (!spec) return nullptr;
  const int i = spec->FieldIndex(field);
  return i < 0 ? nullptr : &spec->fields[i];
}

bool IsAnchorOfIndex(const std::string& anchor) {
  return anchor == kPeriodEnd || anchor == kPeriodStart;
}

Status CheckField(const std::string& where, const std::string& table, const std::string& field,
                  std::optional<formats::FieldType> type) {
  const formats::FieldSpec* f = FindField(table, field);
  if (!f) return Bad(where, "field '" + field + "' is not a field of " + table);
  if (type && f->type != *type) {
    return Bad(where, "field '" + field + "' of " + table + " has the wrong type");
  }
  return OkStatus();
}

// A record-level predicate over `table`: every field and relation names real fields.
Status CheckRecordExpr(const std::string& where, const Expr& e, const std::string& table) {
  for (const auto& f : e.fields) PIONEER_RETURN_IF_ERROR(CheckField(where, table, f, {}));
  if (e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kPersonDate) {
    const Relation& r = e.relation;
    if (!r.anchor.empty() && r.anchor[0] != '@') {
      PIONEER_RETURN_IF_ERROR(CheckField(where, table, r.anchor, formats::FieldType::kDate));
    } else if (!IsAnchorOfIndex(r.anchor)) {
      return Bad(where, "unknown anchor '" + r.anchor + "'");
    }
    if (e.kind == Expr::Kind::kPersonDate) {
      if (r.date_field != "birth_date" && r.date_field != "death_date") {
        return Bad(where, "person date '" + r.date_field + "' unknown");
      }
      return OkStatus();
    }
    if (!formats::FindSourceTable(r.source)) return Bad(where, "unknown source '" + r.source + "'");
    if (r.kind == Relation::Kind::kBefore && r.source != table) {
      return Bad(where, "'before' relations need the same source");
    }
    PIONEER_RETURN_IF_ERROR(CheckField(where, r.source, r.date_field, formats::FieldType::kDate));
    if (!r.end_field.empty()) {
      PIONEER_RETURN_IF_ERROR(CheckField(where, r.source, r.end_field, formats::FieldType::kDate));
    }
    if (e.children.size() != 1) return Bad(where, "a relation needs one related predicate");
    return CheckRecordExpr(where, e.children[0], r.source);
  }
  for (const auto& c : e.children) PIONEER_RETURN_IF_ERROR(CheckRecordExpr(where, c, table));
  return OkStatus();
}

Status CheckPopulation(const Expr& e) {
  const std::string where = "population";
  switch (e.kind) {
    case Expr::Kind::kTrue:
      return OkStatus();
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr:
    case Expr::Kind::kNot:
      if (e.kind == Expr::Kind::kNot && e.children.size() != 1) return Bad(where, "not needs one");
      for (const auto& c : e.children) PIONEER_RETURN_IF_ERROR(CheckPopulation(c));
      return OkStatus();
    case Expr::Kind::kPersonDate:
    case Expr::Kind::kExists:
      if (!IsAnchorOfIndex(e.relation.anchor)) {
        return Bad(where, "relations must be anchored on the index date");
      }
      if (e.kind == Expr::Kind::kExists && e.relation.kind == Relation::Kind::kBefore) {
        return Bad(where, "'before' needs a record");
      }
      return CheckRecordExpr(where, e, "");
    default:
      return Bad(where, "reads a record's fields outside a relation");
  }
}

void AddFields(const Expr& e, const std::string& table,
               std::map<std::string, std::set<std::string>>& out) {
  for (const auto& f : e.fields) out[table].insert(f);
  if (e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kPersonDate) {
    const Relation& r = e.relation;
    if (!r.anchor.empty() && r.anchor[0] != '@') out[table].insert(r.anchor);
    if (e.kind == Expr::Kind::kPersonDate) return;
    out[r.source].insert(r.date_field);
    if (!r.end_field.empty()) out[r.source].insert(r.end_field);
    AddFields(e.children[0], r.source, out);
    return;
  }
  for (const auto& c : e.children) AddFields(c, table, out);
}

timeline::TimelineOptions ToOptions(std::map<std::string, std::set<std::string>> fields) {
  timeline::TimelineOptions o;
  for (auto& [table, set] : fields) {
    set.erase("");
    if (!table.empty() && !set.empty()) o.attributes[table] = {set.begin(), set.end()};
  }
  return o;
}

}  // namespace

const char* ColumnKindName(ColumnKind k) {
  switch (k) {
    case ColumnKind::kExists:
      return "exists";
    case ColumnKind::kCount:
      return "count";
    case ColumnKind::kFirstDate:
      return "first_date";
    case ColumnKind::kLastDate:
      return "last_date";
    case ColumnKind::kMinInt:
      return "min";
    case ColumnKind::kMaxInt:
      return "max";
    case ColumnKind::kSumInt:
      return "sum";
    case ColumnKind::kSumDays:
      return "sum_days";
    case ColumnKind::kLastDecimal:
      return "last_decimal";
    case ColumnKind::kAge:
      return "age";
    case ColumnKind::kSex:
      return "sex";
    case ColumnKind::kPractice:
      return "practice";
    case ColumnKind::kImdDecile:
      return "imd_decile";
  }
  return "?";
}

bool IsRecordColumn(ColumnKind k) {
  return k != ColumnKind::kAge && k != ColumnKind::kSex && k != ColumnKind::kPractice &&
         k != ColumnKind::kImdDecile;
}

ValueType ColumnType(ColumnKind k) {
  switch (k) {
    case ColumnKind::kExists:
      return ValueType::kBool;
    case ColumnKind::kFirstDate:
    case ColumnKind::kLastDate:
      return ValueType::kDate;
    case ColumnKind::kPractice:
      return ValueType::kText;
    case ColumnKind::kLastDecimal:
      return ValueType::kDecimal;
    default:
      return ValueType::kInt;
  }
}

std::optional<int64_t> ParseFixedDecimal(std::string_view text) {
  double x = 0;
  if (text.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(x)) {
    return std::nullopt;
  }
  // SQLite's round(r): (int64)(r + 0.5) for r >= 0, -(int64)(-r + 0.5) below.
  const double r = x * static_cast<double>(kDecimalScale);
  if (std::fabs(r) >= 9.0e18) return std::nullopt;
  return r >= 0 ? static_cast<int64_t>(r + 0.5) : -static_cast<int64_t>(-r + 0.5);
}

ColumnSpec ColumnSpec::Records(std::string name, ColumnKind kind, std::string source, Expr where,
                               std::string date_field, int lo, int hi, std::string value_field,
                               std::string end_field) {
  ColumnSpec c;
  c.name = std::move(name);
  c.kind = kind;
  c.source = std::move(source);
  c.where = std::move(where);
  c.date_field = std::move(date_field);
  c.lo = lo;
  c.hi = hi;
  c.value_field = std::move(value_field);
  c.end_field = std::move(end_field);
  return c;
}

ColumnSpec ColumnSpec::Open(std::string name, ColumnKind kind, std::string source, Expr where,
                            std::string start_field, std::string end_field, int lo, int hi) {
  ColumnSpec c = Records(std::move(name), kind, std::move(source), std::move(where),
                         std::move(start_field), lo, hi);
  c.open_end_field = std::move(end_field);
  return c;
}

ColumnSpec ColumnSpec::Person(std::string name, ColumnKind kind) {
  ColumnSpec c;
  c.name = std::move(name);
  c.kind = kind;
  return c;
}

const PersonColumn* PersonTable::Find(std::string_view name) const {
  for (const auto& c : columns) {
    if (c.name == name) return &c;
  }
  return nullptr;
}

Status ValidatePersonTableSpec(const PersonTableSpec& spec) {
  PIONEER_RETURN_IF_ERROR(CheckPopulation(spec.population));
  std::set<std::string_view> listed;
  for (size_t i = 0; i < spec.index_dates.size(); ++i) {
    const std::string_view n = spec.index_dates[i].nhs_number;
    const std::string where = "index date " + std::to_string(i + 1);
    if (n.size() != 10 ||
        !std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Bad(where, "the NHS Number is not ten digits");
    }
    if (!listed.insert(n).second) return Bad(where, "the NHS Number is listed twice");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < spec.columns.size(); ++i) {
    const ColumnSpec& c = spec.columns[i];
    const std::string where = c.name.empty() ? "column " + std::to_string(i) : "column " + c.name;
    if (c.name.empty()) return Bad(where, "no name");
    if (!names.insert(c.name).second) return Bad(where, "name repeated");
    if (!IsRecordColumn(c.kind)) continue;
    if (!formats::FindSourceTable(c.source)) return Bad(where, "unknown source '" + c.source + "'");
    const auto date = formats::FieldType::kDate;
    PIONEER_RETURN_IF_ERROR(CheckField(where, c.source, c.date_field, date));
    if (c.lo > c.hi) return Bad(where, "window lo > hi");
    if (!c.open_end_field.empty()) {
      PIONEER_RETURN_IF_ERROR(CheckField(where, c.source, c.open_end_field, date));
    }
    for (const FieldWindow& w : c.also) {
      PIONEER_RETURN_IF_ERROR(CheckField(where, c.source, w.field, date));
      if (w.lo > w.hi) return Bad(where, "window of '" + w.field + "' lo > hi");
    }
    PIONEER_RETURN_IF_ERROR(CheckRecordExpr(where, c.where, c.source));
    switch (c.kind) {
      case ColumnKind::kFirstDate:
      case ColumnKind::kLastDate:
        if (!c.value_field.empty()) {
          PIONEER_RETURN_IF_ERROR(CheckField(where, c.source, c.value_field, date));
        }
        break;
      case ColumnKind::kMinInt:
      case ColumnKind::kMaxInt:
      case ColumnKind::kSumInt:
        PIONEER_RETURN_IF_ERROR(
            CheckField(where, c.source, c.value_field, formats::FieldType::kInteger));
        break;
      case ColumnKind::kSumDays:
        PIONEER_RETURN_IF_ERROR(CheckField(where, c.source, c.value_field, date));
        PIONEER_RETURN_IF_ERROR(CheckField(where, c.source, c.end_field, date));
        break;
      case ColumnKind::kLastDecimal:
        PIONEER_RETURN_IF_ERROR(
            CheckField(where, c.source, c.value_field, formats::FieldType::kDecimal));
        break;
      default:
        break;
    }
  }
  return OkStatus();
}

timeline::TimelineOptions PersonTableTimelineOptions(const PersonTableSpec& spec) {
  std::map<std::string, std::set<std::string>> fields;
  AddFields(spec.population, "", fields);
  for (const auto& c : spec.columns) {
    if (!IsRecordColumn(c.kind)) continue;
    for (const auto* f : {&c.date_field, &c.value_field, &c.end_field, &c.open_end_field}) {
      fields[c.source].insert(*f);
    }
    for (const FieldWindow& w : c.also) fields[c.source].insert(w.field);
    AddFields(c.where, c.source, fields);
  }
  return ToOptions(std::move(fields));
}

timeline::TimelineOptions MergeTimelineOptions(const timeline::TimelineOptions& a,
                                               const timeline::TimelineOptions& b) {
  std::map<std::string, std::set<std::string>> fields;
  for (const auto* o : {&a, &b}) {
    for (const auto& [table, list] : o->attributes) fields[table].insert(list.begin(), list.end());
  }
  timeline::TimelineOptions out = ToOptions(std::move(fields));
  out.only_tables = a.only_tables;
  return out;
}

std::string FirstDifference(const PersonTable& a, const PersonTable& b) {
  if (a.rows() != b.rows()) {
    return "rows " + std::to_string(a.rows()) + " vs " + std::to_string(b.rows());
  }
  for (size_t r = 0; r < a.rows(); ++r) {
    if (a.nhs_number[r] != b.nhs_number[r]) return "key of row " + std::to_string(r);
  }
  if (a.columns.size() != b.columns.size()) return "column count";
  for (size_t c = 0; c < a.columns.size(); ++c) {
    const PersonColumn &x = a.columns[c], &y = b.columns[c];
    if (x.name != y.name) return "column " + std::to_string(c) + " name";
    if (x.type != y.type) return "column " + x.name + " type";
    for (size_t r = 0; r < a.rows(); ++r) {
      const std::string at = "column " + x.name + " row " + std::to_string(r);
      if (x.IsNull(r) != y.IsNull(r)) return at + ": null in one table only";
      if (x.IsNull(r)) continue;
      if (x.type == ValueType::kText ? x.text[r] != y.text[r] : x.values[r] != y.values[r]) {
        return at + ": values differ";
      }
    }
  }
  return "";
}

void AppendNull(PersonColumn& c) {
  c.values.push_back(0);
  if (c.type == ValueType::kText) c.text.emplace_back();
  c.null.push_back(1);
}

void AppendInt(PersonColumn& c, int64_t v) {
  c.values.push_back(v);
  c.null.push_back(0);
}

void AppendText(PersonColumn& c, std::string v) {
  c.values.push_back(0);
  c.text.push_back(std::move(v));
  c.null.push_back(0);
}

}  // namespace pioneer::metrics
