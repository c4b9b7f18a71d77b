// `pioneer careplan add|close|list|import`: the joint care plan register (docs/care-plans.md).
// `list` prints NHS Numbers: it is an operator's tool for direct care (clinicians see plans
// through the shared care record, which goes through the IG gate). Exit codes: 0 ok; 1
// findings (import: some rows rejected and kept in care_plan_rejects); 2 usage or input error
// (nothing changed); 3 internal.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "pioneer/careplan/care_plan.h"
#include "pioneer/careplan/plan_import.h"
#include "pioneer/careplan/plan_store.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct CarePlanArgs {
  // Each subcommand has its own status field: CLI11 writes an option's default into its
  // variable when the option is declared.
  std::string db, file, by, nhs_number, start_date, review_date, end_date, in_force_on;
  std::string add_status = "active", close_status = "completed", list_status;
  std::string accountable_gp, gp_practice, coordinator, coordinator_role, coordinator_org, goals;
  std::string source_ref, format = "table";
  std::vector<std::string> organisations;
  int64_t plan_id = 0;
  int64_t history = 0;
};

int Fail(const char* cmd, const Status& s) {
  std::fprintf(stderr, "pioneer careplan %s: %s\n", cmd, s.message().c_str());
  return ExitCodeFor(s);
}

std::string Who(const CarePlanArgs& a) {
  if (!a.by.empty()) return a.by;
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "cli";
}

StatusOr<std::optional<Date>> OptionalDateArg(const std::string& text, const char* option) {
  if (text.empty()) return std::optional<Date>();
  std::optional<Date> d = Date::ParseIso(text);
  if (!d) return InvalidArgumentError(fmt::format("{}: not a date (YYYY-MM-DD)", option));
  return d;
}

StatusOr<std::unique_ptr<store::Store>> Open(const CarePlanArgs& a) {
  return store::Store::OpenExistingSqlite(a.db);
}

int RunAdd(const CarePlanArgs& a) {
  careplan::CarePlan p;
  std::optional<NhsNumber> nhs = NhsNumber::Parse(a.nhs_number);
  if (!nhs) return Fail("add", InvalidArgumentError("--nhs-number: not a valid NHS Number"));
  p.nhs_number = *nhs;
  std::optional<careplan::PlanStatus> status = careplan::ParseStatus(a.add_status);
  if (!status ||
      (*status != careplan::PlanStatus::kActive && *status != careplan::PlanStatus::kDraft)) {
    return Fail("add", InvalidArgumentError("--status: a new plan is active or draft"));
  }
  p.status = *status;
  auto start = OptionalDateArg(a.start_date, "--start-date");
  if (!start.ok()) return Fail("add", start.status());
  if (!*start) return Fail("add", InvalidArgumentError("--start-date is required"));
  p.start_date = **start;
  auto review = OptionalDateArg(a.review_date, "--review-date");
  if (!review.ok()) return Fail("add", review.status());
  p.review_date = *review;
  p.accountable_gp = a.accountable_gp;
  p.gp_practice = a.gp_practice;
  p.care_coordinator = a.coordinator;
  p.coordinator_role = a.coordinator_role;
  p.coordinator_org = a.coordinator_org;
  p.organisations = a.organisations;
  p.goals = a.goals;
  p.source = "cli";
  p.source_ref = a.source_ref;
  p.recorded_by = Who(a);
  auto store = Open(a);
  if (!store.ok()) return Fail("add", store.status());
  auto id = careplan::AddPlan(**store, p);
  if (!id.ok()) return Fail("add", id.status());
  std::printf("care plan %lld added (version 1%s)\n", static_cast<long long>(*id),
              p.HasNamedLeadProfessional() ? "" : "; no named lead professional yet");
  return kExitOk;
}

int RunClose(const CarePlanArgs& a) {
  std::optional<careplan::PlanStatus> status = careplan::ParseStatus(a.close_status);
  if (!status) return Fail("close", InvalidArgumentError("--status: not a care plan status"));
  auto end = OptionalDateArg(a.end_date, "--end-date");
  if (!end.ok()) return Fail("close", end.status());
  if (!*end) return Fail("close", InvalidArgumentError("--end-date is required"));
  auto store = Open(a);
  if (!store.ok()) return Fail("close", store.status());
  auto plan = careplan::ClosePlan(**store, a.plan_id, *status, **end, Who(a));
  if (!plan.ok()) return Fail("close", plan.status());
  std::printf("care plan %lld %s on %s (version %d)\n", static_cast<long long>(plan->plan_id),
              std::string(careplan::StatusCode(plan->status)).c_str(),
              plan->end_date->ToIso().c_str(), plan->version);
  return kExitOk;
}

void PrintPlans(const std::vector<careplan::CarePlan>& plans,
                const std::vector<std::string>& actions, bool csv) {
  if (csv) {
    std::printf(
        "plan_id,version,%snhs_number,status,accountable_gp,gp_practice,care_coordinator,"
        "coordinator_role,coordinator_org,organisations,start_date,review_date,end_date,"
        "recorded_at,recorded_by\n",
        actions.empty() ? "" : "action,");
  } else {
    std::printf("%-6s %-3s %s%-10s %-16s %-10s %-10s %-10s %-5s %s\n", "plan", "v",
                actions.empty() ? "" : "action  ", "nhs_number", "status", "start", "review", "end",
                "lead", "organisations");
  }
  for (size_t i = 0; i < plans.size(); ++i) {
    const careplan::CarePlan& p = plans[i];
    const std::string review = p.review_date ? p.review_date->ToIso() : "";
    const std::string end = p.end_date ? p.end_date->ToIso() : "";
    const std::string orgs = careplan::JoinOrganisations(p.organisations);
    // An operator's listing of the register (identifiable by design, as the help says).
    const std::string nhs = p.nhs_number ? p.nhs_number->digits() : "";
    if (csv) {
      std::printf("%lld,%d,%s%s,%s,\"%s\",%s,\"%s\",%s,%s,%s,%s,%s,%s,%s,\"%s\"\n",
                  static_cast<long long>(p.plan_id), p.version,
                  actions.empty() ? "" : (actions[i] + ",").c_str(), nhs.c_str(),
                  std::string(careplan::StatusCode(p.status)).c_str(), p.accountable_gp.c_str(),
                  p.gp_practice.c_str(), p.care_coordinator.c_str(), p.coordinator_role.c_str(),
                  p.coordinator_org.c_str(), orgs.c_str(), p.start_date.ToIso().c_str(),
                  review.c_str(), end.c_str(), p.recorded_at.c_str(), p.recorded_by.c_str());
    } else {
      std::printf("%-6lld %-3d %s%-10s %-16s %-10s %-10s %-10s %-5s %s\n",
                  static_cast<long long>(p.plan_id), p.version,
                  actions.empty() ? "" : fmt::format("{:<8}", actions[i]).c_str(), nhs.c_str(),
                  std::string(careplan::StatusCode(p.status)).c_str(), p.start_date.ToIso().c_str(),
                  review.c_str(), end.c_str(), p.HasNamedLeadProfessional() ? "named" : "none",
                  orgs.c_str());
    }
  }
}

int RunList(const CarePlanArgs& a) {
  if (a.format != "table" && a.format != "csv") {
    return Fail("list", InvalidArgumentError("--format: table or csv"));
  }
  auto store = Open(a);
  if (!store.ok()) return Fail("list", store.status());
  if (a.history > 0) {
    auto versions = careplan::PlanHistory(**store, a.history);
    if (!versions.ok()) return Fail("list", versions.status());
    std::vector<careplan::CarePlan> plans;
    std::vector<std::string> actions;
    for (const careplan::PlanVersion& v : *versions) {
      plans.push_back(v.plan);
      actions.push_back(v.action);
    }
    PrintPlans(plans, actions, a.format == "csv");
    return kExitOk;
  }
  careplan::PlanFilter filter;
  if (!a.nhs_number.empty()) {
    std::optional<NhsNumber> nhs = NhsNumber::Parse(a.nhs_number);
    if (!nhs) return Fail("list", InvalidArgumentError("--nhs-number: not a valid NHS Number"));
    filter.nhs_number = *nhs;
  }
  if (!a.list_status.empty()) {
    filter.status = careplan::ParseStatus(a.list_status);
    if (!filter.status)
      return Fail("list", InvalidArgumentError("--status: not a care plan status"));
  }
  auto on = OptionalDateArg(a.in_force_on, "--in-force-on");
  if (!on.ok()) return Fail("list", on.status());
  filter.in_force_on = *on;
  auto plans = careplan::ListPlans(**store, filter);
  if (!plans.ok()) return Fail("list", plans.status());
  PrintPlans(*plans, {}, a.format == "csv");
  return kExitOk;
}

int RunImport(const CarePlanArgs& a) {
  auto store = Open(a);
  if (!store.ok()) return Fail("import", store.status());
  auto r = careplan::ImportPlans(**store, a.file, Who(a));
  if (!r.ok()) return Fail("import", r.status());
  if (r->already_imported) {
    std::printf("%s was already imported (import %lld); nothing changed\n", a.file.c_str(),
                static_cast<long long>(r->import_id));
    return kExitOk;
  }
  std::printf(
      "import %lld: %lld rows: %lld plans added, %lld updated, %lld unchanged, %lld rejected\n",
      static_cast<long long>(r->import_id), static_cast<long long>(r->rows),
      static_cast<long long>(r->added), static_cast<long long>(r->updated),
      static_cast<long long>(r->unchanged), static_cast<long long>(r->rejected));
  for (const careplan::RejectedRow& rej : r->rejects) {
    std::printf("  %s: line %lld: %s\n", a.file.c_str(), static_cast<long long>(rej.line),
                rej.reason.c_str());
  }
  if (r->rejected > static_cast<int64_t>(r->rejects.size())) {
    std::printf("  ... and %lld more (all kept whole in the store's care_plan_rejects table)\n",
                static_cast<long long>(r->rejected - static_cast<int64_t>(r->rejects.size())));
  }
  return r->rejected > 0 ? kExitFindings : kExitOk;
}

}  // namespace

void RegisterCarePlanCommand(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CarePlanArgs>();
  auto* cmd = app.add_subcommand(
      "careplan",
      "Joint care plans: accountable GP, care coordinator, review (docs/care-plans.md)");
  cmd->require_subcommand(1);

  auto* add = cmd->add_subcommand("add", "Record a new care plan for one person");
  AddDbOption(add, a->db)->required();
  add->add_option("--nhs-number", a->nhs_number, "The person's NHS Number")->required();
  add->add_option("--start-date", a->start_date, "Plan start (YYYY-MM-DD)")->required();
  add->add_option("--organisation", a->organisations,
                  "Organisation involved (ODS or council code); repeat for each")
      ->required();
  add->add_option("--accountable-gp", a->accountable_gp, "Named accountable GP");
  add->add_option("--gp-practice", a->gp_practice, "GP practice (ODS code)");
  add->add_option("--coordinator", a->coordinator, "Named care coordinator");
  add->add_option("--coordinator-role", a->coordinator_role, "e.g. community_matron");
  add->add_option("--coordinator-org", a->coordinator_org, "Coordinator's organisation");
  add->add_option("--review-date", a->review_date, "Next review (YYYY-MM-DD)");
  add->add_option("--goals", a->goals, "Goals (free text)");
  add->add_option("--status", a->add_status, "active (default) or draft");
  add->add_option("--source-ref", a->source_ref, "Your system's id for the plan (unique)");
  add->add_option("--by", a->by, "Who records it (default: $USER)");
  add->callback([a, &exit_code] { exit_code = RunAdd(*a); });

  auto* close = cmd->add_subcommand("close", "End a plan: completed, revoked or entered-in-error");
  AddDbOption(close, a->db)->required();
  close->add_option("--plan-id", a->plan_id, "The plan")->required();
  close->add_option("--end-date", a->end_date, "End date (YYYY-MM-DD)")->required();
  close->add_option("--status", a->close_status,
                    "completed (default), revoked or entered-in-error");
  close->add_option("--by", a->by, "Who records it (default: $USER)");
  close->callback([a, &exit_code] { exit_code = RunClose(*a); });

  auto* list =
      cmd->add_subcommand("list", "List plans (IDENTIFIABLE: prints NHS Numbers, for direct care)");
  AddDbOption(list, a->db)->required();
  list->add_option("--nhs-number", a->nhs_number, "Only this person's plans");
  list->add_option("--status", a->list_status, "Only plans with this status");
  list->add_option("--in-force-on", a->in_force_on, "Only plans in force on this day");
  list->add_option("--history", a->history, "Every version of this plan id instead");
  list->add_option("--format", a->format, "table (default) or csv");
  list->callback([a, &exit_code] { exit_code = RunList(*a); });

  auto* imp = cmd->add_subcommand(
      "import",
      "Import plans from CSV, losslessly (exit 1 when rows were rejected: kept in the store)");
  AddDbOption(imp, a->db)->required();
  imp->add_option("file", a->file, "Care plans CSV (docs/care-plans.md)")->required();
  imp->add_option("--by", a->by, "Who imports (default: $USER)");
  imp->callback([a, &exit_code] { exit_code = RunImport(*a); });
}

}  // namespace pioneer::tools
