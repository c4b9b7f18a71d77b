// `pioneer synth`: generate a synthetic Health and Wellbeing Board area, then check its BCF
// baselines against the Leicestershire seed (synth/generator.h, synth/calibration.h).
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/synth/calibration.h"
#include "pioneer/synth/generator.h"
#include "pioneer/tools/commands.h"

namespace pioneer::tools {
namespace {

struct SynthArgs {
  int64_t population = 800000;
  uint64_t seed = 1;
  std::string out;
  std::string start = "2012-04-01";
  std::string end = "2016-03-31";
  int threads = 0;
  std::string faults = "default";
  bool skip_calibration = false;
  bool check_calibration = false;
  std::vector<std::string> interventions;  // NAME:OUTCOME:EFFECT
};

int RunSynth(const SynthArgs& args) {
  synth::SynthOptions options;
  options.population = args.population;
  options.seed = args.seed;
  options.out_dir = args.out;
  options.threads = args.threads;
  const auto faults = synth::FaultPreset(args.faults);
  if (!faults) {
    std::fprintf(stderr, "pioneer synth: --faults must be default or hard\n");
    return 2;
  }
  options.faults = *faults;
  const auto start = Date::ParseIso(args.start);
  const auto end = Date::ParseIso(args.end);
  if (!start || !end) {
    std::fprintf(stderr, "pioneer synth: --start and --end must be dates like 2012-04-01\n");
    return 2;
  }
  for (const std::string& text : args.interventions) {
    auto spec = synth::ParseInterventionSpec(text);
    if (!spec.ok()) {
      std::fprintf(stderr, "pioneer synth: %s\n", spec.status().message().c_str());
      return 2;
    }
    options.interventions.push_back(*spec);
  }
  options.start = *start;
  options.end = *end;

  const bool tty = isatty(2) != 0;
  synth::ProgressFn progress;
  if (tty) {
    progress = [](const synth::SynthProgress& p) {
      const double rate = p.seconds > 0 ? p.persons_done / p.seconds : 0;
      std::fprintf(stderr, "\rsynth: %lld/%lld persons  %.1fM rows  %.0f MB  %.0f persons/s   ",
                   static_cast<long long>(p.persons_done), static_cast<long long>(p.persons_total),
                   p.rows / 1e6, p.bytes / 1e6, rate);
      std::fflush(stderr);
    };
  }
  auto summary = synth::GenerateArea(options, progress);
  if (tty) std::fprintf(stderr, "\n");
  if (!summary.ok()) {
    std::fprintf(stderr, "pioneer synth: %s\n", summary.status().ToString().c_str());
    return 2;
  }
  std::printf("Synthetic area written to %s (seed %llu, %s..%s%s)\n", args.out.c_str(),
              static_cast<unsigned long long>(args.seed), args.start.c_str(), args.end.c_str(),
              args.faults == "hard" ? ", hard faults" : "");
  std::printf(
      "  residents on %s: %lld; births: %lld; in-migrants: %lld; deaths: %lld; left: %lld\n",
      args.start.c_str(), static_cast<long long>(summary->initial_population),
      static_cast<long long>(summary->births), static_cast<long long>(summary->in_migrants),
      static_cast<long long>(summary->deaths), static_cast<long long>(summary->left_area));
  std::printf("  %-28s %12s %10s\n", "file", "rows", "MB");
  for (const synth::FileSummary& f : summary->files) {
    std::printf("  %-28s %12lld %10.1f\n", f.file_name.c_str(), static_cast<long long>(f.rows),
                f.bytes / 1e6);
  }
  std::printf("  %lld extract rows, %.0f MB in %.1f s (%.0f rows/s, %.0f MB/s)\n",
              static_cast<long long>(summary->total_rows), summary->total_bytes / 1e6,
              summary->seconds, summary->total_rows / summary->seconds,
              summary->total_bytes / 1e6 / summary->seconds);
  if (args.skip_calibration) return 0;

  synth::CalibrationOptions copts;
  copts.start = options.start;
  copts.end = options.end;
  auto report = synth::ComputeCalibration(args.out, copts);
  if (!report.ok()) {
    std::fprintf(stderr, "pioneer synth: calibration: %s\n", report.status().ToString().c_str());
    return 2;
  }
  std::printf("\n%s", synth::FormatCalibrationTable(*report).c_str());
  if (args.check_calibration && !report->all_within_band) return 1;
  return 0;
}

}  // namespace

void RegisterSynthCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<SynthArgs>();
  auto* cmd = app.add_subcommand(
      "synth", "Generate a synthetic Health and Wellbeing Board area (all extracts + truth/)");
  cmd->add_option("--population", args->population, "Residents on the start date")
      ->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed (same seed, same files)")
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Output folder")->required();
  cmd->add_option("--start", args->start, "First day of the window (YYYY-MM-DD)")
      ->capture_default_str();
  cmd->add_option("--end", args->end, "Last day of the window (YYYY-MM-DD)")->capture_default_str();
  cmd->add_option("--threads", args->threads, "Worker threads (0 = one per core)")
      ->capture_default_str();
  cmd->add_option("--faults", args->faults,
                  "Data-quality fault model: default, or hard (social care names, dates of "
                  "birth, sex and postcodes corrupted as `pioneer synth-people` does, more "
                  "missing and mis-keyed NHS Numbers; docs/synthetic-data.md section 4)")
      ->capture_default_str()
      ->check(CLI::IsMember({"default", "hard"}));
  cmd->add_flag("--skip-calibration", args->skip_calibration,
                "Do not read the files back to compute the BCF calibration table");
  cmd->add_flag("--check-calibration", args->check_calibration,
                "Exit with status 1 when a calibration figure is outside its band");
  cmd->add_option("--intervention", args->interventions,
                  "Plant an intervention NAME:OUTCOME:EFFECT (repeatable), e.g. "
                  "virtual_ward:non_elective_admissions:-0.2: enrolment list in "
                  "interventions/NAME.csv, true effect in truth/interventions.csv "
                  "(docs/caretrak.md)");
  cmd->callback([args, &exit_code] { exit_code = RunSynth(*args); });
}

}  // namespace pioneer::tools
