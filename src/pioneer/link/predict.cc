#include "pioneer/link/predict.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>

#include "pioneer/base/parallel.h"

namespace pioneer::link {

PredictResult Predict(const RecordSet& records, const FellegiSunterModel& model,
                      const BlockIndex& index, const PredictOptions& options, Progress* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const auto& tasks = index.tasks();
  const double keep_weight = options.keep_probability <= 0
                                 ? -1e300
                                 : FellegiSunterModel::WeightForProbability(
                                       std::min(options.keep_probability, 1.0 - 1e-12));
  struct Slot {
    std::vector<ScoredPair> kept;
    WeightHistogram hist;
    int64_t scored = 0;
  };
  std::vector<Slot> slots(tasks.size());
  std::atomic<int64_t> done_pairs{0};
  const int64_t total = index.estimated_pairs();
  if (progress) progress->Start(total);
  ParallelFor(
      tasks.size(), options.threads,
      [&](size_t t) {
        Slot& s = slots[t];
        uint8_t levels[kMaxComparisons];
        int64_t n = 0;
        index.ForEachPair(tasks[t], [&](uint32_t a, uint32_t b) {
          const double w = model.Score(records, a, records, b, levels);
          s.hist.Add(w);
          ++n;
          if (w >= keep_weight) s.kept.push_back({a, b, static_cast<float>(w)});
        });
        s.scored = n;
        done_pairs.fetch_add(tasks[t].estimated_pairs, std::memory_order_relaxed);
      },
      [&] {
        if (progress) {
          const int64_t d = done_pairs.load(std::memory_order_relaxed);
          progress->Update(d, d, "scoring pairs");
        }
      });
  PredictResult out;
  out.pairs_per_rule.assign(index.rules().size(), 0);
  size_t kept = 0;
  for (const Slot& s : slots) kept += s.kept.size();
  out.pairs.reserve(kept);
  for (size_t t = 0; t < slots.size(); ++t) {
    const Slot& s = slots[t];
    out.pairs.insert(out.pairs.end(), s.kept.begin(), s.kept.end());
    out.scored_pairs += s.scored;
    out.pairs_per_rule[static_cast<size_t>(tasks[t].rule)] += s.scored;
    for (int i = 0; i < WeightHistogram::kBins; ++i) {
      out.histogram.counts[static_cast<size_t>(i)] += s.hist.counts[static_cast<size_t>(i)];
    }
  }
  std::sort(out.pairs.begin(), out.pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  if (progress) progress->Finish();
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace pioneer::link
