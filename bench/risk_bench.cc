// Risk stratification at scale, through the same code `pioneer risk` runs: the person timeline
// of an existing store, feature extraction at an index date (BuildCohort), XGBoost training of
// the emergency-admission model, and scoring every person. Google Benchmark times each step
// once (real time, 2 threads as on the target machine); the training matrix is written as
// LibSVM text so that risk_bench.sh can train the `xgboost` command-line program on the same
// rows with the same parameters.
//
//   pioneer_risk_bench STORE.db INDEX_DATE MATRIX_OUT.libsvm [ROUNDS]
//
// The comparison is like for like: fixed rounds (no early stopping) and no base margin, as the
// command-line program has neither. Prints a JSON summary line last (peak memory included).
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "pioneer/base/date.h"
#include "pioneer/risk/boosted.h"
#include "pioneer/risk/features.h"
#include "pioneer/risk/pipeline.h"
#include "pioneer/risk/risk_inputs.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"

namespace {

using namespace pioneer;

std::unique_ptr<timeline::Timeline> g_timeline;
risk::RiskInputs g_inputs;
Date g_index;
risk::Cohort g_cohort;
// Freed at the end of main, before XGBoost's own static state goes.
std::unique_ptr<risk::BoostedModel> g_model;
int g_rounds = 100;
std::string g_matrix_path;

[[noreturn]] void Die(const std::string& what, const Status& s) {
  std::fprintf(stderr, "risk_bench: %s: %s\n", what.c_str(), s.ToString().c_str());
  std::exit(3);
}

// LibSVM: label, then index:value for every recorded (non-missing) feature, 0-based indexes.
void WriteLibSvm(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) Die("matrix", UnavailableError("cannot write " + path));
  const auto& y = g_cohort.label(risk::kEmergency);
  std::string line;
  for (size_t i = 0; i < g_cohort.rows(); ++i) {
    line = y[i] ? "1" : "0";
    for (int k = 0; k < risk::kFeatureCount; ++k) {
      const float v = g_cohort.x[i * risk::kFeatureCount + k];
      if (std::isnan(v)) continue;
      char buf[48];
      std::snprintf(buf, sizeof buf, " %d:%.9g", k, static_cast<double>(v));
      line += buf;
    }
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), f);
  }
  std::fclose(f);
}

void BM_Features(benchmark::State& state) {
  for (auto _ : state) {
    auto c = risk::BuildCohort(*g_timeline, g_inputs, g_index);
    if (!c.ok()) Die("features", c.status());
    g_cohort = std::move(*c);
  }
  state.counters["people_per_s"] = benchmark::Counter(
      static_cast<double>(g_cohort.rows()), benchmark::Counter::kIsIterationInvariantRate);
  WriteLibSvm(g_matrix_path);  // after the timed loop: the peer's input
}

void BM_Train(benchmark::State& state) {
  risk::BoostParams p;
  p.rounds = g_rounds;
  p.early_stopping_rounds = 0;
  p.threads = 2;
  for (auto _ : state) {
    auto m = risk::BoostedModel::Train(g_cohort, risk::kEmergency, {}, p);
    if (!m.ok()) Die("train", m.status());
    g_model = std::make_unique<risk::BoostedModel>(std::move(*m));
  }
  state.counters["rows"] = static_cast<double>(g_cohort.rows());
}

void BM_Score(benchmark::State& state) {
  for (auto _ : state) {
    auto s = g_model->Predict(g_cohort);
    if (!s.ok()) Die("score", s.status());
    benchmark::DoNotOptimize(s->data());
  }
  state.counters["people_per_s"] = benchmark::Counter(
      static_cast<double>(g_cohort.rows()), benchmark::Counter::kIsIterationInvariantRate);
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (argc < 4) {
    std::fprintf(stderr, "usage: pioneer_risk_bench STORE.db INDEX_DATE MATRIX_OUT [ROUNDS]\n");
    return 2;
  }
  auto d = Date::ParseIso(argv[2]);
  if (!d) {
    std::fprintf(stderr, "risk_bench: INDEX_DATE must be YYYY-MM-DD\n");
    return 2;
  }
  g_index = *d;
  g_matrix_path = argv[3];
  if (argc > 4) g_rounds = std::atoi(argv[4]);
  {
    auto store = store::Store::OpenSqlite(argv[1]);
    if (!store.ok()) Die("store", store.status());
    auto t = timeline::Timeline::Build(**store, {}, risk::RiskTimelineOptions());
    if (!t.ok()) Die("timeline", t.status());
    g_timeline = std::make_unique<timeline::Timeline>(std::move(*t));
    auto in = risk::LoadRiskInputs(**store);
    if (!in.ok()) Die("inputs", in.status());
    g_inputs = std::move(*in);
  }
  benchmark::RegisterBenchmark("features", BM_Features)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("train_emergency", BM_Train)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kSecond);
  benchmark::RegisterBenchmark("score", BM_Score)
      ->Iterations(1)
      ->UseRealTime()
      ->Unit(benchmark::kSecond);
  // In registration order: features (which also writes the peer's input), training, scoring.
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  const nlohmann::json summary = {
      {"people", g_cohort.rows()}, {"rounds", g_rounds}, {"peak_rss_mb", ru.ru_maxrss / 1024.0}};
  std::printf("%s\n", summary.dump().c_str());
  g_model.reset();
  g_timeline.reset();
  return 0;
}
