#include "pioneer/careplan/plan_store.h"

#include <fmt/format.h>

#include <array>

#include "pioneer/store/utc_time.h"

namespace pioneer::careplan {
namespace {

using store::Param;

constexpr const char* kColumns =
    "plan_id, nhs_number, status, accountable_gp, gp_practice, care_coordinator, "
    "coordinator_role, coordinator_org, organisations, start_date, review_date, end_date, goals, "
    "source, source_ref, version, recorded_at, recorded_by";

Param TextOrNull(const std::string& s) { return s.empty() ? Param::Null() : Param::Of(s); }
Param DateOrNull(const std::optional<Date>& d) { return d ? Param::Of(d->ToIso()) : Param::Null(); }

std::vector<Param> PlanParams(const CarePlan& p) {
  return {Param::Of(p.plan_id),
          Param::Of(p.nhs_number ? p.nhs_number->digits() : std::string()),
          Param::Of(StatusCode(p.status)),
          TextOrNull(p.accountable_gp),
          TextOrNull(p.gp_practice),
          TextOrNull(p.care_coordinator),
          TextOrNull(p.coordinator_role),
          TextOrNull(p.coordinator_org),
          Param::Of(JoinOrganisations(p.organisations)),
          Param::Of(p.start_date.ToIso()),
          DateOrNull(p.review_date),
          DateOrNull(p.end_date),
          TextOrNull(p.goals),
          Param::Of(p.source),
          TextOrNull(p.source_ref),
          Param::Of(static_cast<int64_t>(p.version)),
          Param::Of(p.recorded_at),
          Param::Of(p.recorded_by)};
}

std::optional<Date> OptionalDate(const store::RowView& r, int i) {
  if (r.IsNull(i)) return std::nullopt;
  return Date::ParseIso(r.Text(i));
}

// Reads a row selected with kColumns (offset: columns before them). The register holds only
// valid numbers (the column's CHECK and Validate before every write), so another is kDataLoss,
// naming the plan, never the value. The first error is kept in `error`.
CarePlan FromRow(const store::RowView& r, Status& error, int offset = 0) {
  CarePlan p;
  int i = offset;
  p.plan_id = r.Int(i++);
  p.nhs_number = NhsNumber::Parse(r.Text(i++));
  if (!p.nhs_number && error.ok()) {
    error = DataLossError(
        fmt::format("care plan {}: the stored NHS Number is not a valid NHS Number", p.plan_id));
  }
  p.status = ParseStatus(r.Text(i++)).value_or(PlanStatus::kEnteredInError);
  p.accountable_gp = std::string(r.Text(i++));
  p.gp_practice = std::string(r.Text(i++));
  p.care_coordinator = std::string(r.Text(i++));
  p.coordinator_role = std::string(r.Text(i++));
  p.coordinator_org = std::string(r.Text(i++));
  p.organisations = SplitOrganisations(r.Text(i++));
  p.start_date = Date::ParseIso(r.Text(i++)).value_or(Date());
  p.review_date = OptionalDate(r, i++);
  p.end_date = OptionalDate(r, i++);
  p.goals = std::string(r.Text(i++));
  p.source = std::string(r.Text(i++));
  p.source_ref = std::string(r.Text(i++));
  p.version = static_cast<int>(r.Int(i++));
  p.recorded_at = std::string(r.Text(i++));
  p.recorded_by = std::string(r.Text(i++));
  return p;
}

Status ProblemsError(const std::vector<FieldProblem>& problems) {
  std::string msg = "invalid care plan:";
  for (const FieldProblem& p : problems) msg += fmt::format(" {} {};", p.field, p.reason);
  msg.pop_back();
  return InvalidArgumentError(msg);
}

bool IsOpen(PlanStatus s) {
  return s == PlanStatus::kDraft || s == PlanStatus::kActive || s == PlanStatus::kOnHold;
}

}  // namespace

namespace internal {

StatusOr<std::optional<CarePlan>> FindBySourceRef(store::Store& store, const std::string& source,
                                                  const std::string& source_ref) {
  std::optional<CarePlan> out;
  Status row_error;
  const std::array<Param, 2> params = {Param::Of(source), Param::Of(source_ref)};
  PIONEER_RETURN_IF_ERROR(store.Query(
      fmt::format("SELECT {} FROM care_plans WHERE source = ?1 AND source_ref = ?2", kColumns),
      params, [&](const store::RowView& r) { out = FromRow(r, row_error); }));
  PIONEER_RETURN_IF_ERROR(row_error);
  return out;
}

StatusOr<int64_t> WriteVersion(store::Store& store, CarePlan& plan, const std::string& action) {
  std::vector<FieldProblem> problems = Validate(plan);
  if (plan.recorded_by.empty()) problems.push_back({"recorded_by", "who records it is required"});
  if (!problems.empty()) return ProblemsError(problems);
  plan.recorded_at = store::UtcNowIso8601();
  if (plan.plan_id == 0) {
    int64_t next = 1;
    PIONEER_RETURN_IF_ERROR(store.Query("SELECT COALESCE(MAX(plan_id), 0) + 1 FROM care_plans", {},
                                        [&](const store::RowView& r) { next = r.Int(0); }));
    plan.plan_id = next;
    plan.version = 1;
    const std::vector<Param> params = PlanParams(plan);
    PIONEER_RETURN_IF_ERROR(
        store
            .Execute(fmt::format("INSERT INTO care_plans({}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                 "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
                                 kColumns),
                     params)
            .status());
  } else {
    int current = 0;
    const std::array<Param, 1> id = {Param::Of(plan.plan_id)};
    PIONEER_RETURN_IF_ERROR(
        store.Query("SELECT version FROM care_plans WHERE plan_id = ?1", id,
                    [&](const store::RowView& r) { current = static_cast<int>(r.Int(0)); }));
    if (current == 0) return NotFoundError(fmt::format("no care plan {}", plan.plan_id));
    plan.version = current + 1;
    const std::vector<Param> params = PlanParams(plan);
    PIONEER_RETURN_IF_ERROR(
        store
            .Execute("UPDATE care_plans SET nhs_number = ?2, status = ?3, accountable_gp = ?4, "
                     "gp_practice = ?5, care_coordinator = ?6, coordinator_role = ?7, "
                     "coordinator_org = ?8, organisations = ?9, start_date = ?10, "
                     "review_date = ?11, end_date = ?12, goals = ?13, source = ?14, "
                     "source_ref = ?15, version = ?16, recorded_at = ?17, recorded_by = ?18 "
                     "WHERE plan_id = ?1",
                     params)
            .status());
  }
  std::vector<Param> params = PlanParams(plan);
  params.push_back(Param::Of(action));
  PIONEER_RETURN_IF_ERROR(
      store
          .Execute(fmt::format("INSERT INTO care_plan_history({}, action) VALUES(?1, ?2, ?3, ?4, "
                               "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                               "?19)",
                               kColumns),
                   params)
          .status());
  return plan.plan_id;
}

}  // namespace internal

StatusOr<int64_t> AddPlan(store::Store& store, CarePlan plan) {
  plan.plan_id = 0;
  int64_t id = 0;
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    if (!plan.source_ref.empty()) {
      PIONEER_ASSIGN_OR_RETURN(std::optional<CarePlan> existing,
                               internal::FindBySourceRef(store, plan.source, plan.source_ref));
      if (existing) {
        return AlreadyExistsError(
            fmt::format("care plan {} already has source reference '{}' from {}", existing->plan_id,
                        plan.source_ref, plan.source));
      }
    }
    PIONEER_ASSIGN_OR_RETURN(id, internal::WriteVersion(store, plan, "created"));
    return OkStatus();
  }));
  return id;
}

StatusOr<CarePlan> UpdatePlan(store::Store& store, CarePlan plan, int expected_version) {
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    PIONEER_ASSIGN_OR_RETURN(std::optional<CarePlan> current, GetPlan(store, plan.plan_id));
    if (!current) return NotFoundError(fmt::format("no care plan {}", plan.plan_id));
    if (current->version != expected_version) {
      return FailedPreconditionError(fmt::format("care plan {} is at version {}, not {}",
                                                 plan.plan_id, current->version, expected_version));
    }
    if (plan.source.empty()) plan.source = current->source;
    if (plan.source_ref.empty()) plan.source_ref = current->source_ref;
    return internal::WriteVersion(store, plan, "updated").status();
  }));
  return plan;
}

StatusOr<CarePlan> ClosePlan(store::Store& store, int64_t plan_id, PlanStatus status, Date end_date,
                             const std::string& recorded_by) {
  if (status != PlanStatus::kCompleted && status != PlanStatus::kRevoked &&
      status != PlanStatus::kEnteredInError) {
    return InvalidArgumentError(fmt::format(
        "a plan is closed as completed, revoked or entered-in-error, not {}", StatusCode(status)));
  }
  CarePlan plan;
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    PIONEER_ASSIGN_OR_RETURN(std::optional<CarePlan> current, GetPlan(store, plan_id));
    if (!current) return NotFoundError(fmt::format("no care plan {}", plan_id));
    if (!IsOpen(current->status)) {
      return FailedPreconditionError(
          fmt::format("care plan {} is already {}", plan_id, StatusCode(current->status)));
    }
    plan = *current;
    plan.status = status;
    plan.end_date = end_date;
    plan.recorded_by = recorded_by;
    return internal::WriteVersion(store, plan, "closed").status();
  }));
  return plan;
}

StatusOr<std::optional<CarePlan>> GetPlan(store::Store& store, int64_t plan_id) {
  std::optional<CarePlan> out;
  Status row_error;
  const std::array<Param, 1> id = {Param::Of(plan_id)};
  PIONEER_RETURN_IF_ERROR(
      store.Query(fmt::format("SELECT {} FROM care_plans WHERE plan_id = ?1", kColumns), id,
                  [&](const store::RowView& r) { out = FromRow(r, row_error); }));
  PIONEER_RETURN_IF_ERROR(row_error);
  return out;
}

StatusOr<std::vector<CarePlan>> ListPlans(store::Store& store, const PlanFilter& filter) {
  std::vector<CarePlan> out;
  std::string sql = fmt::format("SELECT {} FROM care_plans", kColumns);
  std::vector<Param> params;
  auto where = [&](std::string_view condition, Param p) {
    sql += params.empty() ? " WHERE " : " AND ";
    params.push_back(std::move(p));
    sql += fmt::format(fmt::runtime(condition), params.size());
  };
  if (filter.nhs_number) where("nhs_number = ?{}", Param::Of(filter.nhs_number->digits()));
  if (!filter.source.empty()) where("source = ?{}", Param::Of(filter.source));
  if (!filter.source_ref.empty()) where("source_ref = ?{}", Param::Of(filter.source_ref));
  if (!filter.source_ref_suffix.empty()) {
    where("substr(source_ref, -length(?{0})) = ?{0}", Param::Of(filter.source_ref_suffix));
  }
  sql += " ORDER BY plan_id";
  Status row_error;
  PIONEER_RETURN_IF_ERROR(store.Query(sql, params, [&](const store::RowView& r) {
    CarePlan p = FromRow(r, row_error);
    if (filter.status && p.status != *filter.status) return;
    if (filter.in_force_on && !p.InForceOn(*filter.in_force_on)) return;
    out.push_back(std::move(p));
  }));
  PIONEER_RETURN_IF_ERROR(row_error);
  return out;
}

StatusOr<std::vector<PlanVersion>> PlanHistory(store::Store& store, int64_t plan_id) {
  std::vector<PlanVersion> out;
  Status row_error;
  const std::array<Param, 1> id = {Param::Of(plan_id)};
  PIONEER_RETURN_IF_ERROR(store.Query(
      fmt::format("SELECT action, {} FROM care_plan_history WHERE plan_id = ?1 ORDER BY version",
                  kColumns),
      id, [&](const store::RowView& r) {
        out.push_back({std::string(r.Text(0)), FromRow(r, row_error, 1)});
      }));
  PIONEER_RETURN_IF_ERROR(row_error);
  if (out.empty()) return NotFoundError(fmt::format("no care plan {}", plan_id));
  return out;
}

}  // namespace pioneer::careplan
