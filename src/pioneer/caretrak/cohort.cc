#include "pioneer/caretrak/cohort.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>

namespace pioneer::caretrak {
namespace {

using nlohmann::json;

Status CheckKeys(const json& j, const std::set<std::string>& allowed, const std::string& where,
                 const std::string& source) {
  if (!j.is_object()) {
    return InvalidArgumentError(fmt::format("{}: {} must be an object", source, where));
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (!allowed.count(it.key())) {
      return InvalidArgumentError(fmt::format("{}: unknown field '{}{}' (known: {})", source,
                                              where.empty() ? "" : where + ".", it.key(),
                                              fmt::join(allowed, ", ")));
    }
  }
  return OkStatus();
}

template <typename T>
Status Get(const json& j, const char* key, const std::string& where, const std::string& source,
           T* out) {
  if (!j.contains(key)) return OkStatus();
  try {
    *out = j.at(key).get<T>();
  } catch (const json::exception&) {
    return InvalidArgumentError(
        fmt::format("{}: field '{}{}' has the wrong type", source, where, key));
  }
  return OkStatus();
}

Status Range(const std::string& source, const std::string& key, double v, double lo, double hi) {
  if (v < lo || v > hi) {
    return InvalidArgumentError(
        fmt::format("{}: field '{}' must be between {} and {}", source, key, lo, hi));
  }
  return OkStatus();
}

}  // namespace

const char* EntryTypeName(EntryType e) {
  switch (e) {
    case EntryType::kCarePlanCreated:
      return "care_plan_created";
    case EntryType::kReablementStart:
      return "reablement_start";
    case EntryType::kVirtualWardStart:
      return "virtual_ward_start";
    case EntryType::kCaseManagementStart:
      return "case_management_start";
    default:
      return "enrolment_list";
  }
}

const char* ControlIndexName(ControlIndex c) {
  switch (c) {
    case ControlIndex::kEmergencyDischarge:
      return "emergency_discharge";
    case ControlIndex::kEnrolmentDates:
      return "enrolment_dates";
    default:
      return "auto";
  }
}

StatusOr<CohortDefinition> ParseCohort(const std::string& text, const std::string& source,
                                       const std::string& base_dir) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    return InvalidArgumentError(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  PIONEER_RETURN_IF_ERROR(
      CheckKeys(j,
                {"name", "scheme", "entry", "index_date", "eligibility", "look_back_months",
                 "follow_up_months", "outcomes", "comparison"},
                "", source));
  CohortDefinition c;
  PIONEER_RETURN_IF_ERROR(Get(j, "name", "", source, &c.name));
  PIONEER_RETURN_IF_ERROR(Get(j, "scheme", "", source, &c.scheme));
  if (!j.contains("entry")) return InvalidArgumentError(source + ": field 'entry' is required");
  const json& entry = j["entry"];
  PIONEER_RETURN_IF_ERROR(CheckKeys(entry, {"type", "file", "joint_only"}, "entry", source));
  std::string type;
  PIONEER_RETURN_IF_ERROR(Get(entry, "type", "entry.", source, &type));
  const std::optional<EntryType> from_timeline =
      type == "reablement_start"        ? std::optional(EntryType::kReablementStart)
      : type == "virtual_ward_start"    ? std::optional(EntryType::kVirtualWardStart)
      : type == "case_management_start" ? std::optional(EntryType::kCaseManagementStart)
                                        : std::nullopt;
  if (from_timeline) {
    c.entry = *from_timeline;
    if (entry.contains("file") || entry.contains("joint_only")) {
      return InvalidArgumentError(fmt::format(
          "{}: entry.file and entry.joint_only do not apply to {} (the events come from the "
          "store's extracts)",
          source, type));
    }
  } else if (type == "care_plan_created") {
    c.entry = EntryType::kCarePlanCreated;
    if (entry.contains("file")) {
      return InvalidArgumentError(source +
                                  ": entry.file does not apply to care_plan_created (the plans "
                                  "come from the store's care plan register)");
    }
    PIONEER_RETURN_IF_ERROR(Get(entry, "joint_only", "entry.", source, &c.joint_only));
  } else if (type != "enrolment_list") {
    return InvalidArgumentError(fmt::format(
        "{}: entry.type must be one of enrolment_list, care_plan_created, reablement_start, "
        "virtual_ward_start, case_management_start (got '{}')",
        source, type));
  } else {
    if (entry.contains("joint_only")) {
      return InvalidArgumentError(source + ": entry.joint_only applies to care_plan_created only");
    }
    std::string file;
    PIONEER_RETURN_IF_ERROR(Get(entry, "file", "entry.", source, &file));
    if (file.empty()) return InvalidArgumentError(source + ": entry.file is required");
    std::filesystem::path p(file);
    c.enrolment_csv =
        p.is_absolute() || base_dir.empty() ? file : (std::filesystem::path(base_dir) / p).string();
  }
  std::string index = "enrolment_date";
  PIONEER_RETURN_IF_ERROR(Get(j, "index_date", "", source, &index));
  if (index != "enrolment_date") {
    return InvalidArgumentError(
        fmt::format("{}: index_date must be 'enrolment_date' (got '{}')", source, index));
  }
  if (j.contains("eligibility")) {
    const json& e = j["eligibility"];
    PIONEER_RETURN_IF_ERROR(CheckKeys(e, {"min_age", "max_age"}, "eligibility", source));
    PIONEER_RETURN_IF_ERROR(Get(e, "min_age", "eligibility.", source, &c.min_age));
    PIONEER_RETURN_IF_ERROR(Get(e, "max_age", "eligibility.", source, &c.max_age));
  }
  PIONEER_RETURN_IF_ERROR(Range(source, "eligibility.min_age", c.min_age, 0, 120));
  PIONEER_RETURN_IF_ERROR(Range(source, "eligibility.max_age", c.max_age, c.min_age, 130));
  PIONEER_RETURN_IF_ERROR(Get(j, "look_back_months", "", source, &c.look_back_months));
  PIONEER_RETURN_IF_ERROR(Get(j, "follow_up_months", "", source, &c.follow_up_months));
  PIONEER_RETURN_IF_ERROR(Range(source, "look_back_months", c.look_back_months, 3, 36));
  PIONEER_RETURN_IF_ERROR(Range(source, "follow_up_months", c.follow_up_months, 1, 36));
  std::vector<std::string> outcomes;
  PIONEER_RETURN_IF_ERROR(Get(j, "outcomes", "", source, &outcomes));
  if (outcomes.empty()) {
    return InvalidArgumentError(source + ": field 'outcomes' must list at least one outcome");
  }
  for (const std::string& o : outcomes) {
    auto m = MeasureByName(o);
    if (!m) {
      return InvalidArgumentError(
          fmt::format("{}: outcomes: unknown outcome '{}' (known: {})", source, o, MeasureNames()));
    }
    c.outcomes.push_back(*m);
  }
  if (j.contains("comparison")) {
    const json& m = j["comparison"];
    PIONEER_RETURN_IF_ERROR(
        CheckKeys(m,
                  {"control_index", "caliper_sd", "controls_per_case", "regression_adjustment",
                   "reuse_controls", "exact_practice", "adjust_for_later_enrolment", "bootstrap",
                   "seed", "min_cohort", "reliable_cohort"},
                  "comparison", source));
    std::string ci = "auto";
    PIONEER_RETURN_IF_ERROR(Get(m, "control_index", "comparison.", source, &ci));
    if (ci == "auto") {
      c.control_index = ControlIndex::kAuto;
    } else if (ci == "emergency_discharge") {
      c.control_index = ControlIndex::kEmergencyDischarge;
    } else if (ci == "enrolment_dates") {
      c.control_index = ControlIndex::kEnrolmentDates;
    } else {
      return InvalidArgumentError(fmt::format(
          "{}: comparison.control_index must be auto, emergency_discharge or enrolment_dates",
          source));
    }
    PIONEER_RETURN_IF_ERROR(Get(m, "caliper_sd", "comparison.", source, &c.caliper_sd));
    PIONEER_RETURN_IF_ERROR(
        Get(m, "controls_per_case", "comparison.", source, &c.controls_per_case));
    PIONEER_RETURN_IF_ERROR(
        Get(m, "regression_adjustment", "comparison.", source, &c.regression_adjustment));
    PIONEER_RETURN_IF_ERROR(Get(m, "reuse_controls", "comparison.", source, &c.reuse_controls));
    PIONEER_RETURN_IF_ERROR(Get(m, "exact_practice", "comparison.", source, &c.exact_practice));
    PIONEER_RETURN_IF_ERROR(
        Get(m, "adjust_for_later_enrolment", "comparison.", source, &c.adjust_for_later_enrolment));
    PIONEER_RETURN_IF_ERROR(Get(m, "bootstrap", "comparison.", source, &c.bootstrap));
    PIONEER_RETURN_IF_ERROR(Get(m, "seed", "comparison.", source, &c.seed));
    PIONEER_RETURN_IF_ERROR(Get(m, "min_cohort", "comparison.", source, &c.min_cohort));
    PIONEER_RETURN_IF_ERROR(Get(m, "reliable_cohort", "comparison.", source, &c.reliable_cohort));
  }
  PIONEER_RETURN_IF_ERROR(Range(source, "comparison.caliper_sd", c.caliper_sd, 0.01, 2));
  PIONEER_RETURN_IF_ERROR(
      Range(source, "comparison.controls_per_case", c.controls_per_case, 1, 10));
  PIONEER_RETURN_IF_ERROR(Range(source, "comparison.bootstrap", c.bootstrap, 50, 100000));
  PIONEER_RETURN_IF_ERROR(Range(source, "comparison.min_cohort", c.min_cohort, 2, 1e9));
  return c;
}

StatusOr<CohortDefinition> ReadCohortFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(fmt::format("{}: cannot open the cohort file", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseCohort(ss.str(), path, std::filesystem::path(path).parent_path().string());
}

}  // namespace pioneer::caretrak
