#include "pioneer/report/national_condition.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "pioneer/report/json_file.h"

namespace pioneer::report {
namespace {

using nlohmann::json;

std::optional<int64_t> OptInt(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<int64_t>();
}
std::optional<double> OptDouble(const json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_number()) return std::nullopt;
  return j[key].get<double>();
}

NationalConditionFigures Figures(const json& c, std::string level, std::string code,
                                 std::string date, std::string approach) {
  NationalConditionFigures f;
  f.level = std::move(level);
  f.code = std::move(code);
  f.date = std::move(date);
  f.approach = std::move(approach);
  f.adults = OptInt(c, "adults");
  f.high_risk = OptInt(c, "high_risk");
  f.with_plan = OptInt(c, "with_plan");
  f.with_joint_plan_and_lead = OptInt(c, "with_joint_plan_and_lead");
  f.high_risk_share = OptDouble(c, "high_risk_share_of_adults");
  f.with_plan_share = OptDouble(c, "with_plan_share");
  f.with_joint_plan_and_lead_share = OptDouble(c, "with_joint_plan_and_lead_share");
  return f;
}

}  // namespace

StatusOr<NationalCondition> ReadNationalCondition(const std::string& path) {
  PIONEER_ASSIGN_OR_RETURN(json j, ReadJsonFile(path));
  if (!j.contains("national_condition") || !j["national_condition"].contains("area")) {
    return InvalidArgumentError(fmt::format(
        "{}: no national_condition figures (write it with `pioneer risk report`)", path));
  }
  const json& nc = j["national_condition"];
  NationalCondition out;
  try {
    out.date = nc.at("date").get<std::string>();
    for (const json& row : nc.at("over_time")) out.dates.push_back(row.at("date"));
    for (const json& a : nc.at("approaches")) {
      NationalConditionApproach x;
      x.id = a.at("approach").get<std::string>();
      x.label = a.at("label").get<std::string>();
      const json& c = nc.at("area").at(x.id);
      x.adults = OptInt(c, "adults");
      x.high_risk = OptInt(c, "high_risk");
      x.with_plan = OptInt(c, "with_plan");
      x.with_joint_plan_and_lead = OptInt(c, "with_joint_plan_and_lead");
      x.high_risk_share = OptDouble(c, "high_risk_share_of_adults");
      x.with_plan_share = OptDouble(c, "with_plan_share");
      x.with_joint_plan_and_lead_share = OptDouble(c, "with_joint_plan_and_lead_share");
      for (const json& row : nc.at("over_time")) {
        x.series.push_back(OptDouble(row.at("area").at(x.id), "with_joint_plan_and_lead_share"));
      }
      out.approaches.push_back(std::move(x));
    }
    for (const auto& [list, level] : {std::pair{"by_ccg", "ccg"}, {"by_practice", "practice"}}) {
      if (!nc.contains(list)) continue;
      for (const json& place : nc.at(list)) {
        const std::string code = place.at(level).get<std::string>();
        for (const auto& a : out.approaches) {
          if (place.contains(a.id)) {
            out.breakdown.push_back(Figures(place.at(a.id), level, code, out.date, a.id));
          }
        }
      }
    }
    for (const json& row : nc.at("over_time")) {
      for (const auto& a : out.approaches) {
        out.breakdown.push_back(
            Figures(row.at("area").at(a.id), "area", "", row.at("date").get<std::string>(), a.id));
      }
    }
  } catch (const json::exception& e) {
    return InvalidArgumentError(
        fmt::format("{}: national_condition is not in the expected form: {}", path, e.what()));
  }
  return out;
}

}  // namespace pioneer::report
