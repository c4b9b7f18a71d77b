// `pioneer link --db FILE [--json] [--truth AREA_DIR]`: NHS Number tracing of every record
// (link/store_link.h, docs/linkage.md), and its clerical review queue:
//   pioneer link review --db FILE [--all] [--json]
//   pioneer link review accept ID --by NAME [--candidate K] --db FILE
//   pioneer link review reject ID --by NAME --db FILE
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "pioneer/base/progress.h"
#include "pioneer/link/link_review.h"
#include "pioneer/link/store_link.h"
#include "pioneer/link/truth_evaluation.h"
#include "pioneer/metrics/run.h"
#include "pioneer/store/store.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct LinkArgs {
  std::string db;
  bool json = false;
  bool quiet = false;
  int threads = 2;
  double match_probability = 0.95;
  double review_probability = 0.5;
  std::string truth;  // a synthetic area's folder: evaluate against its truth/ files
  // review
  bool all = false;
  int64_t id = 0;
  std::string by;
  int candidate = 1;
};

StatusOr<std::unique_ptr<store::Store>> OpenStore(const std::string& db) {
  if (db.empty()) return InvalidArgumentError("--db FILE is required");
  return store::Store::OpenExistingSqlite(db);
}

int Fail(const char* what, const Status& s) {
  std::fprintf(stderr, "pioneer %s: %s\n", what, s.ToString().c_str());
  return ExitCodeFor(s);  // exit_codes.h
}

int RunLink(const LinkArgs& a) {
  auto st = OpenStore(a.db);
  if (!st.ok()) return Fail("link", st.status());
  link::StoreLinkOptions o;
  o.threads = a.threads;
  o.trace.match_probability = a.match_probability;
  o.trace.review_probability = a.review_probability;
  if (o.threads < 1) return Fail("link", InvalidArgumentError("--threads must be at least 1"));
  std::unique_ptr<Progress> progress = a.quiet ? nullptr : MakeLinkProgress();
  auto r = link::LinkStore(**st, o, progress.get());
  if (progress) progress->Finish();
  if (!r.ok()) return Fail("link", r.status());
  // The person timeline snapshot beside the store, with the new links (docs/snapshot.md).
  const std::string announce = a.quiet ? "" : "pioneer link";
  if (Status s = metrics::RefreshMetricsSnapshot(**st, a.db, announce); !s.ok()) {
    std::fprintf(stderr, "pioneer link: timeline snapshot not written: %s\n", s.message().c_str());
  }
  nlohmann::json j = a.json ? link::StoreLinkReportJson(*r) : nlohmann::json();
  std::string text = a.json ? "" : link::StoreLinkReportText(*r);
  if (!a.truth.empty()) {
    auto acc = link::EvaluateTracingAgainstTruth(**st, a.truth);
    if (!acc.ok()) return Fail("link", acc.status());
    j["truth"] = {{"table", acc->table},
                  {"records", acc->records},
                  {"coverage_before", acc->coverage_before()},
                  {"coverage_after", acc->coverage_after()},
                  {"needing_trace", acc->needing_trace},
                  {"correctly_traced", acc->correctly_traced},
                  {"share_correctly_traced", acc->share_correctly_traced()},
                  {"usable_links", acc->usable_links},
                  {"wrong_links", acc->wrong_links},
                  {"wrong_link_rate", acc->wrong_link_rate()}};
    text += fmt::format(
        "against the truth files ({}): coverage {:.2f}% -> {:.2f}%; {:.2f}% of the {} records "
        "needing a trace carry their true NHS Number; {} of {} usable links wrong (wrong-link "
        "rate {:.3f}%)\n",
        acc->table, 100 * acc->coverage_before(), 100 * acc->coverage_after(),
        100 * acc->share_correctly_traced(), acc->needing_trace, acc->wrong_links,
        acc->usable_links, 100 * acc->wrong_link_rate());
  }
  if (a.quiet) return 0;
  const std::string out = a.json ? j.dump(2) + "\n" : text;
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int RunReviewList(const LinkArgs& a) {
  auto st = OpenStore(a.db);
  if (!st.ok()) return Fail("link review", st.status());
  auto items = link::ListReviewItems(**st, a.all);
  if (!items.ok()) return Fail("link review", items.status());
  const std::string out =
      a.json ? link::ReviewItemsJson(*items).dump(2) + "\n" : link::ReviewItemsText(*items);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

int RunReviewDecide(const LinkArgs& a, bool accept) {
  auto st = OpenStore(a.db);
  if (!st.ok()) return Fail("link review", st.status());
  link::ReviewVerdict v;
  v.link_id = a.id;
  v.accept = accept;
  v.candidate = a.candidate;
  v.reviewer = a.by;
  auto d = link::DecideReview(**st, v);
  if (!d.ok()) return Fail("link review", d.status());
  std::printf("decision #%lld %s by %s\n", static_cast<long long>(a.id), d->c_str(), a.by.c_str());
  return 0;
}

}  // namespace

std::unique_ptr<Progress> MakeLinkProgress() { return MakeStderrCountProgress("records"); }

void RegisterLinkCommand(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<LinkArgs>();
  auto* cmd = app.add_subcommand(
      "link", "Trace missing, invalid and conflicting NHS Numbers of every record in a store");
  AddDbOption(cmd, a->db);
  cmd->add_flag("--json", a->json, "Machine-readable JSON instead of the report");
  cmd->add_flag("-q,--quiet", a->quiet, "No progress and no report");
  cmd->add_option("--threads", a->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--match-probability", a->match_probability,
                  "Probabilistic step: automatic match at or above this probability")
      ->capture_default_str();
  cmd->add_option("--review-probability", a->review_probability,
                  "Probabilistic step: clerical review at or above this probability")
      ->capture_default_str();
  cmd->add_option("--truth", a->truth,
                  "Synthetic area folder: also measure accuracy against its truth/ files");
  cmd->require_subcommand(0, 1);

  auto* review = cmd->add_subcommand("review", "List the clerical review queue, or decide");
  AddDbOption(review, a->db);
  review->add_flag("--json", a->json, "Machine-readable JSON");
  review->add_flag("--all", a->all, "Also list items already accepted or rejected");
  review->require_subcommand(0, 1);
  for (const bool accept : {true, false}) {
    auto* d =
        review->add_subcommand(accept ? "accept" : "reject",
                               accept ? "Accept a proposed link (recorded with who and when)"
                                      : "Reject a proposed link (recorded with who and when)");
    d->add_option("id", a->id, "Decision id from the review listing")->required();
    d->add_option("--by", a->by, "Reviewer's name")->required();
    AddDbOption(d, a->db);
    if (accept) {
      d->add_option("--candidate", a->candidate, "Candidate to accept (1 = the proposal)")
          ->capture_default_str();
    }
    d->callback([a, accept, &exit_code] { exit_code = RunReviewDecide(*a, accept); });
  }
  review->callback([a, review, &exit_code] {
    if (review->get_subcommands().empty()) exit_code = RunReviewList(*a);
  });
  cmd->callback([a, cmd, &exit_code] {
    if (cmd->get_subcommands().empty()) exit_code = RunLink(*a);
  });
}

}  // namespace pioneer::tools
