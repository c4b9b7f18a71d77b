// `pioneer match A.csv B.csv --out pairs.csv` (link two files) or
// `pioneer match A.csv --dedupe --out pairs.csv` (find duplicates in one file):
// unsupervised probabilistic person matching (link/match_runner.h, docs/linkage.md).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>

#include "pioneer/base/progress.h"
#include "pioneer/link/match_runner.h"
#include "pioneer/tools/exit_codes.h"
#include "pioneer/tools/same_file.h"

namespace pioneer::tools {
namespace {

// Outputs never overwrite inputs, nor each other.
Status CheckOutputs(const link::MatchOptions& o) {
  const std::pair<const char*, const std::string*> outs[] = {
      {"--out", &o.out_path}, {"--clusters", &o.clusters_path}, {"--model-out", &o.model_out_path}};
  for (size_t i = 0; i < std::size(outs); ++i) {
    const auto& [flag, path] = outs[i];
    if (path->empty()) continue;
    for (const std::string& in : o.inputs) {
      if (SameFile(*path, in)) {
        return InvalidArgumentError(fmt::format(
            "{} {} is an input file: choose another output file (outputs never overwrite "
            "inputs)",
            flag, *path));
      }
    }
    if (std::filesystem::is_directory(*path)) {
      return InvalidArgumentError(fmt::format("{} {} is a folder; give a file name", flag, *path));
    }
    for (size_t j = 0; j < i; ++j) {
      if (!outs[j].second->empty() && SameFile(*path, *outs[j].second)) {
        return InvalidArgumentError(
            fmt::format("{} and {} name the same file {}", outs[j].first, flag, *path));
      }
    }
  }
  return OkStatus();
}

int RunMatchCommand(const link::MatchOptions& o, bool quiet) {
  if (Status s = CheckOutputs(o); !s.ok()) {
    std::fprintf(stderr, "pioneer match: %s\n", s.message().c_str());
    return kExitUsage;
  }
  std::unique_ptr<Progress> progress = quiet ? nullptr : MakeStderrCountProgress("pairs");
  auto summary = link::RunMatch(o, progress.get());
  if (progress) progress->Finish();
  if (!summary.ok()) {
    std::fprintf(stderr, "pioneer match: %s\n", summary.status().ToString().c_str());
    return ExitCodeFor(summary.status());
  }
  if (!quiet) {
    const std::string text = link::RenderMatchSummary(*summary);
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  return 0;
}

}  // namespace

void RegisterMatchCommand(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<link::MatchOptions>();
  auto quiet = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand(
      "match",
      "Probabilistic person matching of two CSV files (or one with --dedupe): unsupervised "
      "Fellegi-Sunter model, scored pairs and clusters");
  cmd->add_option("inputs", o->inputs, "Input CSV file(s): two to link, one with --dedupe")
      ->required()
      ->expected(1, 2)
      ->check(CLI::ExistingFile);
  cmd->add_flag("--dedupe", o->dedupe, "Find duplicates within one file");
  cmd->add_option("-o,--out", o->out_path, "Output CSV of scored pairs")->required();
  cmd->add_option("--clusters", o->clusters_path, "Output CSV of a cluster id per record");
  cmd->add_option("--map", o->map,
                  "Column map canonical=column,... (given_name, family_name, birth_date, sex, "
                  "postcode, address, city, email, identifier, nhs_number; '+' joins columns)");
  cmd->add_option("--id", o->id_column, "Record id column (default: unique_id/id/rec_id/...)");
  cmd->add_option("--threshold", o->threshold, "Match probability threshold")
      ->capture_default_str();
  cmd->add_option("--review-threshold", o->review_threshold,
                  "Lower bound of the clerical review band; pairs below are not written")
      ->capture_default_str();
  cmd->add_option("--block", o->blocking_rules,
                  "Blocking rule, repeatable, replaces the defaults (e.g. "
                  "'soundex(family_name) & year(birth_date)')");
  cmd->add_option("--window", o->window, "Blocking cap: window per record in large blocks")
      ->capture_default_str();
  cmd->add_option("--u-pairs", o->u_max_pairs,
                  "Random pairs sampled to estimate u (0 = 5 per record, 1e6..1e7)")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the random pair sample")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--recall", o->deterministic_recall,
                  "Recall of the deterministic rules for the prior (default: implied by the "
                  "model)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-cluster-size", o->max_cluster_size, "Over-merge guard: size cap")
      ->capture_default_str();
  cmd->add_option("--bridge-share", o->min_bridge_share,
                  "Over-merge guard: share of cross pairs that must match to join two groups")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--dob-conflict-bits", o->birth_date_conflict_bits,
                  "Over-merge guard: never cluster two records whose dates of birth compare "
                  "at a level the model weighs at or below -B bits; 0 = off")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1000.0));
  cmd->add_option("--model-out", o->model_out_path, "Write the estimated model as JSON");
  cmd->add_option("--truth", o->truth_column, "Evaluate against a ground-truth cluster column");
  cmd->add_flag("--truth-from-id", o->truth_from_id,
                "Evaluate against truth taken from the id: its first run of digits (FEBRL "
                "rec-N-org / rec-N-dup-k)");
  cmd->add_flag("-q,--quiet", *quiet, "No progress and no summary");
  cmd->callback([o, quiet, &exit_code] { exit_code = RunMatchCommand(*o, *quiet); });
}

}  // namespace pioneer::tools
