#include "pioneer/report/care_trak.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "pioneer/report/json_file.h"

namespace pioneer::report {

StatusOr<CareTrakScheme> ReadCareTrak(const std::string& path) {
  using nlohmann::json;
  PIONEER_ASSIGN_OR_RETURN(json j, ReadJsonFile(path));
  CareTrakScheme s;
  try {
    s.name = j.at("cohort").at("name").get<std::string>();
    if (j["cohort"].contains("scheme") && j["cohort"]["scheme"].is_string()) {
      s.scheme = j["cohort"]["scheme"].get<std::string>();
    }
    s.cohort = j.at("cohort").at("size").get<int64_t>();
    s.matched = j.at("matched_group").at("size").get<int64_t>();
    s.reliable = j.at("reliable").get<bool>();
    if (j.contains("warning") && j["warning"].is_string()) s.warning = j["warning"];
    for (const json& o : j.at("outcomes")) {
      CareTrakOutcome x;
      x.outcome = o.at("outcome").get<std::string>();
      x.definition = o.value("definition", "");
      x.unit = o.value("unit", "");
      const json& e = o.at("effect");
      x.relative = e.at("relative").get<double>();
      x.relative_low = e.at("relative_ci95").at(0).get<double>();
      x.relative_high = e.at("relative_ci95").at(1).get<double>();
      x.absolute_per_person_year = e.at("absolute_per_person_year").get<double>();
      if (e.contains("absolute_per_person_year_ci95") &&
          e["absolute_per_person_year_ci95"].is_array() &&
          e["absolute_per_person_year_ci95"].size() == 2 &&
          e["absolute_per_person_year_ci95"][0].is_number() &&
          e["absolute_per_person_year_ci95"][1].is_number()) {
        x.absolute_low = e["absolute_per_person_year_ci95"][0].get<double>();
        x.absolute_high = e["absolute_per_person_year_ci95"][1].get<double>();
      }
      x.conclusion = e.value("conclusion", "");
      if (o.contains("naive") && o["naive"].contains("relative") &&
          o["naive"]["relative"].is_number()) {
        x.naive_relative = o["naive"]["relative"].get<double>();
      }
      s.outcomes.push_back(std::move(x));
    }
  } catch (const json::exception& e) {
    return InvalidArgumentError(
        fmt::format("{}: not a Care Trak result (pioneer caretrak): {}", path, e.what()));
  }
  return s;
}

}  // namespace pioneer::report
