// `pioneer synth-people --records N --seed S --out DIR`: hard synthetic person records with
// truth for linkage tests and benchmarks (link/synthetic_people.h, docs/linkage.md).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "pioneer/link/synthetic_people.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct SynthPeopleArgs {
  link::SyntheticPeopleOptions options;
  std::string out;
};

int RunSynthPeople(const SynthPeopleArgs& a) {
  auto people = link::GenerateSyntheticPeople(a.options);
  if (!people.ok()) {
    std::fprintf(stderr, "pioneer synth-people: %s\n", people.status().message().c_str());
    return ExitCodeFor(people.status());
  }
  if (Status s = link::WriteSyntheticPeople(*people, a.out); !s.ok()) {
    std::fprintf(stderr, "pioneer synth-people: %s\n", s.message().c_str());
    return ExitCodeFor(s);
  }
  int64_t in_a = 0;
  for (const auto& r : people->records) in_a += r.source == 0 ? 1 : 0;
  std::printf(
      "synthetic people written to %s (seed %llu): %lld records of %lld people in %lld "
      "households (%lld twin pairs); a.csv %lld records, b.csv %lld; %.1f%% of records lack "
      "a date of birth or a postcode\n",
      a.out.c_str(), static_cast<unsigned long long>(a.options.seed),
      static_cast<long long>(people->records.size()), static_cast<long long>(people->people),
      static_cast<long long>(people->households), static_cast<long long>(people->twin_pairs),
      static_cast<long long>(in_a),
      static_cast<long long>(static_cast<int64_t>(people->records.size()) - in_a),
      100.0 * people->missing_dob_or_postcode_share);
  return kExitOk;
}

}  // namespace

void RegisterSynthPeopleCommand(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<SynthPeopleArgs>();
  auto* cmd = app.add_subcommand(
      "synth-people",
      "Generate synthetic person records with truth, corrupted like administrative data "
      "(nicknames, typos, missing and swapped fields, movers, twins), for testing linkage");
  cmd->add_option("--records", a->options.records, "Approximate number of records")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{10}, int64_t{100000000}));
  cmd->add_option("--seed", a->options.seed, "Random seed")->capture_default_str();
  cmd->add_option("--out", a->out, "Output folder (people.csv, a.csv, b.csv, truth.csv)")
      ->required();
  auto& c = a->options.corruption;
  cmd->add_option("--missing-dob", c.missing_dob, "Share of records without a date of birth")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--missing-postcode", c.missing_postcode, "Share of records without a postcode")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--nickname", c.nickname, "Share of records with a nickname or variant")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--moved", c.moved, "Share of records at another address")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1.0));
  cmd->callback([a, &exit_code] { exit_code = RunSynthPeople(*a); });
}

}  // namespace pioneer::tools
