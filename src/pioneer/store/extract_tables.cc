#include "pioneer/store/extract_tables.h"

namespace pioneer::store {

using formats::FieldType;

ColumnType ColumnTypeFor(FieldType type) {
  switch (type) {
    case FieldType::kInteger:
      return ColumnType::kInteger;
    case FieldType::kDecimal:
      return ColumnType::kReal;
    default:
      return ColumnType::kText;
  }
}

std::string NhsStatusColumn(std::string_view field) { return std::string(field) + "_status"; }

std::vector<ColumnDef> ExtractDataColumns(const formats::ExtractSpec& spec) {
  std::vector<ColumnDef> cols;
  for (const formats::FieldSpec& f : spec.fields) {
    cols.push_back({std::string(f.name), ColumnTypeFor(f.type),
                    f.required && f.type != FieldType::kNhsNumber});
  }
  for (const formats::FieldSpec& f : spec.fields) {
    if (f.type == FieldType::kNhsNumber) {
      cols.push_back({NhsStatusColumn(f.name), ColumnType::kText, true});
    }
  }
  return cols;
}

std::vector<std::string> ExtractIndexedColumns(const formats::ExtractSpec& spec) {
  std::vector<std::string> cols;
  for (const formats::FieldSpec& f : spec.fields) {
    if (f.type == FieldType::kNhsNumber) cols.emplace_back(f.name);
  }
  return cols;
}

}  // namespace pioneer::store
