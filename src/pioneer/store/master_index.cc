#include "pioneer/store/master_index.h"

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

bool IsCurrentPersonRow(std::string_view nhs_number_status, std::string_view record_type) {
  return nhs_number_status == kNhsValid && record_type == kCurrentRecord;
}

}  // namespace pioneer::store
