#include "pioneer/risk/pipeline.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>

#include "pioneer/base/parallel.h"
#include "pioneer/base/sha256.h"
#include "pioneer/risk/evaluation.h"
#include "pioneer/risk/stratification.h"

namespace pioneer::risk {
namespace {

using nlohmann::json;

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string TrainingDataHash(const Cohort& c) {
  Sha256 h;
  h.Update(c.index_date.ToIso());
  h.Update({reinterpret_cast<const char*>(c.x.data()), c.x.size() * sizeof(float)});
  for (int o = 0; o < kOutcomeCount; ++o) {
    const auto& y = c.label(static_cast<Outcome>(o));
    h.Update({reinterpret_cast<const char*>(y.data()), y.size()});
  }
  return h.FinishHex();
}

std::vector<uint8_t> Select(const std::vector<uint8_t>& v, const std::vector<uint8_t>& mask) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < v.size(); ++i)
    if (mask[i]) out.push_back(v[i]);
  return out;
}

std::string Num(double v) { return fmt::format("{:.6f}", v); }

}  // namespace

Status CheckOutcomeYear(const RiskInputs& inputs, Date index_date) {
  const Date last_needed = index_date.AddDays(364);
  if (last_needed > inputs.last_activity_date) {
    return FailedPreconditionError(fmt::format(
        "index date {} has no full outcome year in the store: the year runs to {} but the "
        "store's activity ends on {} (use an index date on or before {})",
        index_date.ToIso(), last_needed.ToIso(), inputs.last_activity_date.ToIso(),
        inputs.last_activity_date.AddDays(-364).ToIso()));
  }
  return OkStatus();
}

bool InRecalibrationSplit(std::string_view nhs_number) { return Fnv1a(nhs_number) % 5 == 0; }
bool InEarlyStoppingSplit(std::string_view nhs_number) { return (Fnv1a(nhs_number) / 5) % 5 == 0; }
double NegativeSampleDraw(std::string_view nhs_number) {
  return static_cast<double>((Fnv1a(nhs_number) / 25) % 1000000) / 1e6;
}

StatusOr<RiskModel> Train(const timeline::Timeline& t, const RiskInputs& inputs, Date index_date,
                          const BoostParams& params,
                          const std::function<void(const std::string&)>& stage) {
  std::mutex say_mu;
  auto say = [&](const std::string& m) {
    std::lock_guard<std::mutex> lock(say_mu);
    if (stage) stage(m);
  };
  say("building features and outcomes at " + index_date.ToIso());
  PIONEER_RETURN_IF_ERROR(CheckOutcomeYear(inputs, index_date));
  PIONEER_ASSIGN_OR_RETURN(Cohort cohort, BuildCohort(t, inputs, index_date));
  std::vector<uint8_t> fit(cohort.rows()), recal(cohort.rows()), stop(cohort.rows());
  std::vector<double> sample_u(cohort.rows());
  for (size_t i = 0; i < cohort.rows(); ++i) {
    const std::string_view nhs = t.persons().nhs_number[cohort.person[i]];
    recal[i] = InRecalibrationSplit(nhs);
    fit[i] = !recal[i];
    stop[i] = InEarlyStoppingSplit(nhs);
    sample_u[i] = NegativeSampleDraw(nhs);
  }
  RiskModel model;
  model.index_date = index_date;
  model.params = params;
  model.data_sha256 = TrainingDataHash(cohort);
  // The three outcomes are independent: each is fitted on its own thread (XGBoost on one
  // thread per model), on at most params.threads threads.
  struct Fitted {
    Status status;
    nlohmann::json summary;
  };
  std::array<Fitted, kOutcomeCount> fitted;
  auto fit_outcome = [&](int oi) -> Status {
    const auto o = static_cast<Outcome>(oi);
    auto& om = model.outcomes[oi];
    const auto& y = cohort.label(o);
    say(fmt::format("fitting the baseline for {} ({} people)", OutcomeName(o), cohort.rows()));
    PIONEER_ASSIGN_OR_RETURN(om.baseline, FitLogistic(cohort, o, fit));
    // Boosting starts from the baseline's log-odds (XGBoost base_margin).
    std::vector<double> margin(cohort.rows());
    for (size_t i = 0; i < cohort.rows(); ++i) {
      margin[i] = LogOdds(om.baseline, {&cohort.x[i * kFeatureCount], size_t(kFeatureCount)});
    }
    // The people who grow the trees: all with the outcome; without it, all or a sample.
    int64_t grow_negatives = 0;
    for (size_t i = 0; i < cohort.rows(); ++i) grow_negatives += fit[i] && !stop[i] && !y[i];
    const double fraction =
        params.training_negatives > 0 && grow_negatives > params.training_negatives
            ? static_cast<double>(params.training_negatives) / static_cast<double>(grow_negatives)
            : 1.0;
    // Case-control sampling with an offset: a sampled person's log-odds of being a case are
    // the population's plus log(1 / fraction), so the growers start from the baseline's
    // log-odds shifted by that much and the trees learn the same correction as on everyone.
    std::vector<uint8_t> use = fit;
    std::vector<double> train_margin = margin;
    if (fraction < 1.0) {
      const double shift = -std::log(fraction);
      for (size_t i = 0; i < cohort.rows(); ++i) {
        if (!fit[i] || stop[i]) continue;
        train_margin[i] += shift;
        if (!y[i] && sample_u[i] >= fraction) use[i] = 0;
      }
    }
    say(fmt::format(
        "training the boosted model for {} (up to {} rounds{})", OutcomeName(o), params.rounds,
        fraction < 1.0 ? fmt::format("; {:.1f}% of those without the outcome", 100 * fraction)
                       : std::string()));
    BoostParams one = params;
    one.threads = 1;
    int rounds_used = 0;
    PIONEER_ASSIGN_OR_RETURN(
        om.boosted, BoostedModel::Train(cohort, o, use, one, train_margin, stop, &rounds_used));
    say(fmt::format("{}: {} boosted rounds; recalibrating both models", OutcomeName(o),
                    rounds_used));
    // Recalibration and the held-out AUROC: the recalibration people only.
    PIONEER_ASSIGN_OR_RETURN(std::vector<double> pxr, om.boosted.Predict(cohort, margin, recal));
    const auto yr = Select(y, recal);
    std::vector<double> pbr;
    pbr.reserve(yr.size());
    for (size_t i = 0; i < cohort.rows(); ++i) {
      if (recal[i]) pbr.push_back(Sigmoid(margin[i]));
    }
    PIONEER_ASSIGN_OR_RETURN(om.baseline_recalibration, FitRecalibration(pbr, yr));
    PIONEER_ASSIGN_OR_RETURN(om.boosted_recalibration, FitRecalibration(pxr, yr));
    double positives = 0;
    for (auto v : y) positives += v;
    fitted[oi].summary = {{"prevalence", cohort.rows() ? positives / cohort.rows() : 0},
                          {"held_out_auroc_baseline", Auroc(pbr, yr).auc},
                          {"held_out_auroc_boosted", Auroc(pxr, yr).auc},
                          {"boosted_rounds", rounds_used},
                          {"boosted_negative_fraction", fraction},
                          {"baseline_iterations", om.baseline.iterations},
                          {"baseline_converged", om.baseline.converged}};
    return OkStatus();
  };
  ParallelFor(kOutcomeCount, params.threads,
              [&](size_t oi) { fitted[oi].status = fit_outcome(static_cast<int>(oi)); });
  json per_outcome = json::object();
  for (int oi = 0; oi < kOutcomeCount; ++oi) {
    PIONEER_RETURN_IF_ERROR(fitted[oi].status);
    per_outcome[OutcomeName(static_cast<Outcome>(oi))] = std::move(fitted[oi].summary);
  }
  size_t n_fit = std::count(fit.begin(), fit.end(), 1);
  model.training = {
      {"index_date", index_date.ToIso()},
      {"people", cohort.rows()},
      {"fit_people", n_fit},
      {"recalibration_people", cohort.rows() - n_fit},
      {"split",
       "20% of people by a hash of the NHS Number recalibrate and test; of the "
       "rest, a fifth (by another hash) chooses the boosted model's number of "
       "rounds (early stopping) and the others grow the trees"},
      {"sampling", fmt::format("when more than {} people without the outcome would grow the "
                               "trees, all with the outcome and a sample of those without (by "
                               "a third hash; boosted_negative_fraction per outcome) grow them, "
                               "starting from the baseline's log-odds plus log(1 / fraction) "
                               "(case-control sampling with an offset); early stopping, "
                               "recalibration and evaluation use everyone in their split",
                               params.training_negatives)},
      {"store_last_activity_date", inputs.last_activity_date.ToIso()},
      {"unit_cost_price_year", inputs.price_year},
      {"outcomes", per_outcome}};
  return model;
}

namespace {

// Runs fn(0), ..., fn(n - 1) on at most `threads` threads (the calling one included); the
// first error in task order.
Status RunTasks(int n, int threads, const std::function<Status(int)>& fn) {
  std::vector<Status> status(n);
  ParallelFor(static_cast<size_t>(n), threads,
              [&](size_t k) { status[k] = fn(static_cast<int>(k)); });
  for (const Status& st : status) PIONEER_RETURN_IF_ERROR(st);
  return OkStatus();
}

}  // namespace

StatusOr<std::vector<Cohort>> BuildCohorts(const timeline::Timeline& t, const RiskInputs& inputs,
                                           std::span<const Date> index_dates) {
  std::vector<Cohort> out(index_dates.size());
  PIONEER_RETURN_IF_ERROR(
      RunTasks(static_cast<int>(index_dates.size()), DefaultThreads(), [&](int k) -> Status {
        PIONEER_ASSIGN_OR_RETURN(out[k], BuildCohort(t, inputs, index_dates[k]));
        return OkStatus();
      }));
  return out;
}

StatusOr<Scores> Score(const timeline::Timeline& t, const RiskInputs& inputs,
                       const RiskModel& model, Date index_date, const ScoreOptions& options) {
  PIONEER_ASSIGN_OR_RETURN(Cohort cohort, BuildCohort(t, inputs, index_date));
  return Score(std::move(cohort), model, options);
}

StatusOr<Scores> Score(Cohort cohort, const RiskModel& model, const ScoreOptions& options) {
  Scores s;
  s.cohort = std::move(cohort);
  const Cohort& c = s.cohort;
  // One task per outcome (one booster each), each writing its own vectors; then the
  // contributions, which use the emergency booster again (a booster predicts on one thread at
  // a time).
  std::vector<int> outcomes;
  for (int oi = 0; oi < kOutcomeCount; ++oi) {
    if (oi == kTopCost && !options.top_cost) continue;
    outcomes.push_back(oi);
  }
  // The baselines' log-odds (the trees' base margins): each row's design once for every
  // outcome, in blocks of rows on the worker threads.
  std::array<std::vector<double>, kOutcomeCount> margins;
  for (const int oi : outcomes) margins[oi].resize(c.rows());
  constexpr size_t kBlock = 4096;
  ParallelFor((c.rows() + kBlock - 1) / kBlock, DefaultThreads(), [&](size_t b) {
    std::vector<double> design;
    for (size_t i = b * kBlock; i < std::min(c.rows(), (b + 1) * kBlock); ++i) {
      DesignRow({&c.x[i * kFeatureCount], size_t(kFeatureCount)}, design);
      for (const int oi : outcomes) {
        margins[oi][i] = LogOddsOfDesign(model.outcomes[oi].baseline, design);
      }
    }
  });
  PIONEER_RETURN_IF_ERROR(
      RunTasks(static_cast<int>(outcomes.size()), DefaultThreads(), [&](int k) -> Status {
        const int oi = outcomes[k];
        const auto& om = model.outcomes[oi];
        auto& pb = s.baseline[oi];
        pb.resize(c.rows());
        const std::vector<double>& margin = margins[oi];
        for (size_t i = 0; i < c.rows(); ++i) {
          pb[i] = om.baseline_recalibration.Apply(Sigmoid(margin[i]));
        }
        PIONEER_ASSIGN_OR_RETURN(s.boosted[oi], om.boosted.Predict(c, margin));
        for (double& p : s.boosted[oi]) p = om.boosted_recalibration.Apply(p);
        return OkStatus();
      }));
  if (c.rows() > 0 && options.contributions) {
    PIONEER_ASSIGN_OR_RETURN(s.emergency_contributions,
                             model.outcomes[kEmergency].boosted.Contributions(c));
  }
  return s;
}

int LoaBand(double p) { return p >= 0.5 ? 5 : p >= 0.4 ? 4 : p >= 0.3 ? 3 : p >= 0.2 ? 2 : 1; }
int RubBand(double p) { return p >= 0.5 ? 5 : p >= 0.3 ? 4 : p >= 0.15 ? 3 : p >= 0.05 ? 2 : 1; }

Status WriteScoresCsv(const timeline::Timeline& t, const RiskModel& model, const Scores& s,
                      const std::string& path, const std::string& contributions_path,
                      std::span<const std::string> leave_out, size_t* left_out) {
  const Cohort& c = s.cohort;
  const auto& pe = s.boosted[kEmergency];
  const size_t n = c.rows();
  std::vector<uint8_t> skip(n, 0);
  size_t skipped = 0;
  for (size_t i = 0; i < n && !leave_out.empty(); ++i) {
    const std::string_view nhs = t.persons().nhs_number[c.person[i]];
    skip[i] = std::binary_search(leave_out.begin(), leave_out.end(), nhs,
                                 [](std::string_view a, std::string_view b) { return a < b; });
    skipped += skip[i];
  }
  if (left_out) *left_out = skipped;
  const Strata strata = Stratify(c.practice, pe);
  const auto& centile_area = strata.centile_area;
  const auto& centile_practice = strata.centile_practice;
  const auto& top2 = strata.top2_practice;
  const auto& top4 = strata.top4_practice;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return UnavailableError("cannot write " + path);
  std::fputs(
      "nhs_number,practice,age,sex,p_emergency,p_emergency_baseline,p_any_admission,"
      "p_top5_cost,loa_band,rub_band,centile_practice,centile_area,top2_practice,top4_practice,"
      "seg_diabetes,seg_copd,seg_chd,seg_75plus,reason_1,reason_2,reason_3\n",
      f);
  const auto specs = FeatureSpecs();
  const int width = kFeatureCount + 1;
  const auto& terms = BaselineTerms();
  const auto& lm = model.outcomes[kEmergency].baseline;
  for (size_t i = 0; i < n; ++i) {
    if (skip[i]) continue;
    const timeline::PersonIndex p = c.person[i];
    const int age = static_cast<int>(c.at(i, kAge));
    std::string line = fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}", t.persons().nhs_number[p],
        c.practice[i], age, static_cast<int>(t.persons().sex[p]), Num(pe[i]),
        Num(s.baseline[kEmergency][i]), Num(s.boosted[kAnyAdmission][i]),
        Num(s.boosted[kTopCost][i]), LoaBand(s.boosted[kAnyAdmission][i]),
        RubBand(s.boosted[kTopCost][i]), centile_practice[i], centile_area[i], int(top2[i]),
        int(top4[i]), int(c.at(i, kDiabetes) > 0), int(c.at(i, kCopd) > 0), int(c.at(i, kChd) > 0),
        int(age >= 75));
    // The three features raising this person's log-odds most: the baseline's term
    // contributions summed per feature plus the trees' SHAP values for that feature.
    std::array<double, kFeatureCount> per_feature{};
    for (const auto& tc : Contributions(lm, {&c.x[i * kFeatureCount], size_t(kFeatureCount)})) {
      per_feature[terms[tc.term].feature] += tc.contribution;
    }
    for (int k = 0; k < kFeatureCount; ++k)
      per_feature[k] += s.emergency_contributions[i * width + k];
    std::vector<std::pair<double, int>> contrib;
    for (int k = 0; k < kFeatureCount; ++k) {
      if (per_feature[k] > 0) contrib.push_back({per_feature[k], k});
    }
    std::sort(contrib.begin(), contrib.end(), std::greater<>());
    for (int r = 0; r < 3; ++r) {
      line += ',';
      if (r < static_cast<int>(contrib.size())) {
        const int k = contrib[r].second;
        const float v = c.at(i, k);
        line += fmt::format("{}={} (+{:.2f})", specs[k].name,
                            std::isnan(v) ? std::string("missing") : fmt::format("{:g}", v),
                            contrib[r].first);
      }
    }
    line += '\n';
    std::fputs(line.c_str(), f);
  }
  if (std::fclose(f) != 0) return UnavailableError("cannot write " + path);
  if (contributions_path.empty()) return OkStatus();
  std::FILE* g = std::fopen(contributions_path.c_str(), "wb");
  if (!g) return UnavailableError("cannot write " + contributions_path);
  std::fputs("nhs_number,term,value,coefficient,contribution_log_odds\n", g);
  for (size_t i = 0; i < n; ++i) {
    if (skip[i]) continue;
    const auto& nhs = t.persons().nhs_number[c.person[i]];
    std::fputs(
        fmt::format("{},intercept,1,{},{}\n", nhs, Num(lm.intercept), Num(lm.intercept)).c_str(),
        g);
    for (const auto& tc : Contributions(lm, {&c.x[i * kFeatureCount], size_t(kFeatureCount)})) {
      std::fputs(fmt::format("{},{},{:g},{},{}\n", nhs, terms[tc.term].name, tc.value,
                             Num(lm.coefficients[tc.term]), Num(tc.contribution))
                     .c_str(),
                 g);
    }
  }
  if (std::fclose(g) != 0) return UnavailableError("cannot write " + contributions_path);
  return OkStatus();
}

}  // namespace pioneer::risk
