// `pioneer caretrak`: evaluate an intervention against a matched comparison group
// (caretrak/evaluation.h, docs/caretrak.md).
//   pioneer caretrak --db FILE --enrolment LIST.csv --outcome OUTCOME --out DIR   (short form)
//   pioneer caretrak --db FILE --cohort COHORT.json --out DIR                     (long form)
// Writes DIR/caretrak.json and DIR/caretrak.html (aggregates only).
// Exit codes: 0 ok; 2 usage or input error (bad cohort file or enrolment list, empty cohort,
// too small to match, follow-up past the end of the data, no store); 3 internal.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "pioneer/analysis/context.h"
#include "pioneer/base/progress.h"
#include "pioneer/careplan/plan_store.h"
#include "pioneer/caretrak/caretrak_report.h"
#include "pioneer/caretrak/cohort.h"
#include "pioneer/caretrak/enrolment.h"
#include "pioneer/caretrak/evaluation.h"
#include "pioneer/metrics/person_table.h"
#include "pioneer/risk/features.h"
#include "pioneer/risk/risk_inputs.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"
#include "pioneer/tools/same_file.h"

namespace pioneer::tools {
namespace {

struct CaretrakArgs {
  std::string db, cohort, enrolment, outcome, out, name, scheme, matching_table;
  int follow_up = 12, look_back = 12, bootstrap = 500;
  uint64_t seed = 1;
};

int Fail(const Status& s) {
  std::fprintf(stderr, "pioneer caretrak: %s\n", s.message().c_str());
  return ExitCodeFor(s);
}

int RunCaretrak(const CaretrakArgs& a) {
  caretrak::CohortDefinition def;
  if (!a.cohort.empty()) {
    if (!a.enrolment.empty() || !a.outcome.empty()) {
      std::fprintf(stderr,
                   "pioneer caretrak: give either --cohort FILE or --enrolment and --outcome\n");
      return kExitUsage;
    }
    auto parsed = caretrak::ReadCohortFile(a.cohort);
    if (!parsed.ok()) return Fail(parsed.status());
    def = std::move(*parsed);
  } else {
    if (a.enrolment.empty() || a.outcome.empty()) {
      std::fprintf(stderr,
                   "pioneer caretrak: give --cohort FILE, or --enrolment LIST.csv and --outcome "
                   "OUTCOME\n");
      return kExitUsage;
    }
    auto m = caretrak::MeasureByName(a.outcome);
    if (!m) {
      std::fprintf(stderr, "pioneer caretrak: --outcome '%s' is not one of: %s\n",
                   a.outcome.c_str(), caretrak::MeasureNames().c_str());
      return kExitUsage;
    }
    def.enrolment_csv = a.enrolment;
    def.outcomes = {*m};
    if (*m != caretrak::kTotalCost) def.outcomes.push_back(caretrak::kTotalCost);
    def.name = a.name.empty() ? std::filesystem::path(a.enrolment).stem().string() : a.name;
    def.scheme = a.scheme;
    def.follow_up_months = a.follow_up;
    def.look_back_months = a.look_back;
    def.bootstrap = a.bootstrap;
    def.seed = a.seed;
    if (a.follow_up < 1 || a.follow_up > 36 || a.look_back < 3 || a.look_back > 36 ||
        a.bootstrap < 50) {
      std::fprintf(stderr,
                   "pioneer caretrak: --follow-up must be 1-36 months, --look-back 3-36, "
                   "--bootstrap at least 50\n");
      return kExitUsage;
    }
  }
  for (const std::string& in : {a.db, def.enrolment_csv, a.cohort}) {
    if (in.empty()) continue;
    for (const char* name : {"caretrak.json", "caretrak.html"}) {
      if (SameFile(in, (std::filesystem::path(a.out) / name).string())) {
        std::fprintf(stderr, "pioneer caretrak: --out would overwrite the input %s\n", in.c_str());
        return kExitUsage;
      }
    }
  }
  auto context = analysis::AnalysisContext::Open(a.db);
  if (!context.ok()) return Fail(context.status());
  store::Store& store = (*context)->store();
  std::fprintf(stderr, "caretrak: opening the person timeline of %s\n", a.db.c_str());
  auto bar = MakeStderrProgress();
  timeline::OpenOptions oo;
  oo.timeline = risk::RiskTimelineOptions();
  if (def.entry != caretrak::EntryType::kEnrolmentList &&
      def.entry != caretrak::EntryType::kCarePlanCreated) {
    oo.timeline =
        metrics::MergeTimelineOptions(oo.timeline, caretrak::EntryEventTimelineOptions(def.entry));
  }
  if (bar) {
    bar->Start(0);
    oo.progress = [&bar](const timeline::BuildProgress& p) {
      bar->Update(0, p.rows_done, p.stage);
    };
  }
  (*context)->SetOpenOptions(oo);
  auto opened = (*context)->Timeline();
  if (bar) bar->Finish();
  if (!opened.ok()) return Fail(opened.status());
  const timeline::Timeline* t = *opened;
  auto inputs = risk::LoadRiskInputs(store);
  if (!inputs.ok()) return Fail(inputs.status());
  auto activity = caretrak::ActivityContext::Create(*t, *inputs);
  if (!activity.ok()) return Fail(activity.status());
  StatusOr<caretrak::EnrolmentList> list = caretrak::EnrolmentList{};
  if (def.entry == caretrak::EntryType::kCarePlanCreated) {
    // The entry event comes from the store's care plan register.
    auto plans = careplan::ListPlans(store, careplan::PlanFilter{});
    if (!plans.ok()) return Fail(plans.status());
    def.enrolment_csv = a.db + " (care plan register)";
    list = caretrak::EnrolmentFromCarePlans(*plans, *t, def.joint_only);
  } else if (def.entry != caretrak::EntryType::kEnrolmentList) {
    def.enrolment_csv = a.db + " (" + caretrak::EntryEventSource(def.entry) + ")";
    list = caretrak::EnrolmentFromFirstEvents(*t, def.entry);
  } else {
    list = caretrak::ReadEnrolmentList(def.enrolment_csv, *t);
  }
  if (!list.ok()) return Fail(list.status());
  // Counts only: the list is identifiable, so its numbers are never printed.
  std::fprintf(stderr,
               "caretrak: %s: %lld rows, %lld usable, %lld NHS Numbers not in the store, %lld "
               "bad rows, %lld duplicates\n",
               def.enrolment_csv.c_str(), static_cast<long long>(list->data_rows),
               static_cast<long long>(list->rows.size()),
               static_cast<long long>(list->unknown_nhs_number),
               static_cast<long long>(list->bad_rows), static_cast<long long>(list->duplicates));
  for (const std::string& p : list->problems) {
    std::fprintf(stderr, "caretrak: %s: %s\n", def.enrolment_csv.c_str(), p.c_str());
  }
  for (const std::string& in : {a.db, def.enrolment_csv, a.cohort}) {
    if (!a.matching_table.empty() && !in.empty() && SameFile(in, a.matching_table)) {
      std::fprintf(stderr, "pioneer caretrak: --matching-table would overwrite the input %s\n",
                   in.c_str());
      return kExitUsage;
    }
  }
  auto ebar = MakeStderrProgress();
  std::string stage;
  caretrak::MatchingTable table;
  auto ev = caretrak::Evaluate(
      def, *list, *activity, *inputs,
      [&](std::string_view s, int64_t done, int64_t total) {
        if (s != stage) {
          if (ebar) ebar->Finish();
          stage = std::string(s);
          std::fprintf(stderr, "caretrak: %s\n", stage.c_str());
          if (ebar) ebar->Start(0);
        }
        if (ebar) ebar->Update(0, done, fmt::format("{} of {}", done, total));
      },
      a.matching_table.empty() ? nullptr : &table);
  if (ebar) ebar->Finish();
  if (!ev.ok()) return Fail(ev.status());
  for (const auto& [name, seconds] : ev->stage_seconds) {
    std::fprintf(stderr, "caretrak: %s took %.3f s\n", name.c_str(), seconds);
  }
  if (!a.matching_table.empty()) {
    // No identifiers: row numbers, the internal person index, cells and scores.
    std::FILE* f = std::fopen(a.matching_table.c_str(), "wb");
    if (f == nullptr) {
      std::fprintf(stderr, "pioneer caretrak: cannot create %s\n", a.matching_table.c_str());
      return kExitUsage;
    }
    std::fprintf(f, "row,treated,stratum,person,logit,control\n");
    for (size_t i = 0; i < table.treated.size(); ++i) {
      std::fprintf(f, "%zu,%d,%d,%u,%.17g,%lld\n", i, table.treated[i], table.stratum[i],
                   table.group[i], table.logit[i], static_cast<long long>(table.control[i]));
    }
    if (std::fclose(f) != 0) {
      std::fprintf(stderr, "pioneer caretrak: write failed: %s\n", a.matching_table.c_str());
      return kExitUsage;
    }
    std::fprintf(stderr, "caretrak: matching table (%zu rows, caliper %.17g on the logit) in %s\n",
                 table.treated.size(), table.caliper, a.matching_table.c_str());
  }
  if (Status s = caretrak::WriteReport(*ev, a.out); !s.ok()) return Fail(s);
  std::printf("%s", caretrak::Summary(caretrak::ToJson(*ev)).c_str());
  std::printf("Wrote %s/caretrak.json and %s/caretrak.html\n", a.out.c_str(), a.out.c_str());
  return kExitOk;
}

}  // namespace

void RegisterCaretrakCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CaretrakArgs>();
  auto* cmd =
      app.add_subcommand("caretrak",
                         "Evaluate an intervention's cohort against a matched comparison group "
                         "(difference-in-differences): caretrak.html + caretrak.json");
  AddDbOption(cmd, args->db, "The store (SQLite file written by `pioneer ingest`)")->required();
  cmd->add_option("--cohort", args->cohort, "Cohort definition (JSON, docs/caretrak.md)");
  cmd->add_option("--enrolment", args->enrolment,
                  "Short form: enrolment list CSV (nhs_number,enrolment_date)");
  cmd->add_option("--outcome", args->outcome,
                  "Short form: the outcome to follow (" + caretrak::MeasureNames() + ")");
  cmd->add_option("--name", args->name, "Short form: the scheme's name (default: file name)");
  cmd->add_option("--scheme", args->scheme,
                  "Short form: the plan's scheme id this cohort evaluates (default: the name), "
                  "for `pioneer report --caretrak`");
  cmd->add_option("--look-back", args->look_back, "Short form: months before the index date")
      ->capture_default_str();
  cmd->add_option("--follow-up", args->follow_up, "Short form: months after the index date")
      ->capture_default_str();
  cmd->add_option("--bootstrap", args->bootstrap, "Short form: bootstrap replicates")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Short form: bootstrap seed")->capture_default_str();
  cmd->add_option("--out", args->out, "Output folder")->required();
  cmd->add_option("--matching-table", args->matching_table,
                  "Also write the matching's inputs and result as CSV (row, treated, stratum, "
                  "person index, logit, control row; no identifiers), for "
                  "bench/caretrak_bench.sh");
  cmd->callback([args, &exit_code] { exit_code = RunCaretrak(*args); });
}

}  // namespace pioneer::tools
