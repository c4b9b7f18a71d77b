#include "pioneer/store/master_index.h"

#include <fmt/format.h>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/extract_tables.h"

namespace pioneer::store {

namespace {
constexpr std::string_view kCurrentRecord = "current";
}  // namespace

std::string CurrentPersonRowSql(std::string_view alias) {
  const std::string q = alias.empty() ? std::string() : std::string(alias) + ".";
  return q + NhsStatusColumn("nhs_number") + " = '" + std::string(kNhsValid) + "' AND " + q +
         "record_type = '" + std::string(kCurrentRecord) + "'";
}

std::string SpeakingPersonRowSql(std::string_view alias, const SqlDialect& dialect) {
  const std::string a(alias);
  constexpr std::string_view kEarlier = "earlier_person_row";
  return fmt::format(
      "{0} AND NOT EXISTS (SELECT 1 FROM {1} {2} WHERE {2}.nhs_number = {3}.nhs_number AND {4} "
      "AND {5} < {6})",
      CurrentPersonRowSql(a), formats::kMasterIndexTable, kEarlier, a,
      CurrentPersonRowSql(kEarlier), dialect.RowId(std::string(kEarlier)), dialect.RowId(a));
}

bool IsCurrentPersonRow(std::string_view nhs_number_status, std::string_view record_type) {
  return nhs_number_status == kNhsValid && record_type == kCurrentRecord;
}

}  // namespace pioneer::store
