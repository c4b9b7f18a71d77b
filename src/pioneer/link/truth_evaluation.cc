#include "pioneer/link/truth_evaluation.h"

#include <fmt/format.h>

#include <filesystem>
#include <unordered_map>

#include "pioneer/base/csv_reader.h"
#include "pioneer/store/record_links.h"

namespace pioneer::link {

StatusOr<TraceAccuracy> EvaluateTracingAgainstTruth(store::Store& store,
                                                    const std::string& area_dir,
                                                    std::string_view table,
                                                    std::string_view id_column) {
  const std::string path =
      (std::filesystem::path(area_dir) / "truth" / "record_truth.csv").string();
  if (!std::filesystem::exists(path)) {
    return NotFoundError(fmt::format("no truth file '{}'", path));
  }
  const std::string file = std::string(table) + ".csv";
  std::unordered_map<std::string, std::string> truth;  // record id -> true NHS Number
  CsvReader reader;
  bool header = true;
  PIONEER_RETURN_IF_ERROR(reader.ReadFile(path, [&](const CsvRecord& r) -> Status {
    if (header) {
      header = false;
      if (r.fields.size() < 3 || r.fields[0] != "file" || r.fields[1] != "record_id" ||
          r.fields[2] != "true_nhs_number") {
        return InvalidArgumentError(fmt::format(
            "{}: line {}: expected header file,record_id,true_nhs_number", path, r.line));
      }
      return OkStatus();
    }
    if (r.fields.size() < 3) {
      return InvalidArgumentError(fmt::format("{}: line {}: too few fields", path, r.line));
    }
    if (r.fields[0] == file) truth[std::string(r.fields[1])] = std::string(r.fields[2]);
    return OkStatus();
  }));

  std::unordered_map<int64_t, std::string> links;  // row id -> usable traced number
  PIONEER_RETURN_IF_ERROR(store::ForEachUsableLink(
      store, table, [&](std::string_view, int64_t row_id, std::string_view traced) {
        links[row_id] = std::string(traced);
      }));

  TraceAccuracy acc;
  acc.table = std::string(table);
  const std::vector<std::string> cols = {std::string(store.dialect().RowIdColumn()),
                                         std::string(id_column), "nhs_number", "nhs_number_status"};
  PIONEER_RETURN_IF_ERROR(store.Scan(table, cols, [&](const store::RowView& r) {
    ++acc.records;
    const bool valid = r.Text(3) == "valid";
    const std::string own(valid ? r.Text(2) : std::string_view());
    auto t = truth.find(std::string(r.Text(1)));
    const std::string& true_number = t == truth.end() ? own : t->second;
    if (valid) ++acc.valid_before;
    const bool needs = true_number.empty() || own != true_number;
    if (needs) ++acc.needing_trace;
    auto l = links.find(r.Int(0));
    const std::string after = l != links.end() ? l->second : own;
    if (l != links.end()) {
      ++acc.usable_links;
      if (l->second != true_number) ++acc.wrong_links;
    }
    if (!after.empty()) {
      ++acc.covered_after;
      if (after != true_number) ++acc.wrong_records_after;
    }
    if (needs && !after.empty() && after == true_number) ++acc.correctly_traced;
  }));
  return acc;
}

}  // namespace pioneer::link
