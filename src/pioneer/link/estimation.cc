#include "pioneer/link/estimation.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "pioneer/base/parallel.h"

namespace pioneer::link {
namespace {

struct SplitMix64 {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
};

uint64_t PackLevels(const uint8_t* levels, size_t n) {
  uint64_t key = 0;
  for (size_t c = 0; c < n; ++c) key |= static_cast<uint64_t>(levels[c]) << (4 * c);
  return key;
}
uint8_t UnpackLevel(uint64_t key, size_t c) { return static_cast<uint8_t>((key >> (4 * c)) & 0xF); }

std::vector<BlockingRule> ParseAll(std::initializer_list<std::string_view> texts,
                                   const RecordSet& records) {
  std::vector<BlockingRule> out;
  for (std::string_view t : texts) {
    auto rule = ParseBlockingRule(t);
    if (!rule.ok()) continue;
    bool ok = true;
    for (int fi = 0; fi < kFieldCount; ++fi) {
      if (rule->UsesField(static_cast<Field>(fi)) &&
          records.present_count(static_cast<Field>(fi)) == 0) {
        ok = false;
      }
    }
    if (ok) out.push_back(*rule);
  }
  return out;
}

// Generic starting m: exact 0.8, intermediate levels share 0.15 (halving), else 0.05.
std::vector<double> StartingM(int level_count) {
  std::vector<double> m(static_cast<size_t>(level_count), 0.0);
  const int middle = level_count - 3;  // levels between exact and else
  if (middle <= 0) {
    m[1] = 0.8;
    m[static_cast<size_t>(level_count - 1)] = 0.2;
    return m;
  }
  m[1] = 0.8;
  double total = 0, w = 1;
  for (int k = 0; k < middle; ++k, w /= 2) total += w;
  w = 1;
  for (int k = 0; k < middle; ++k, w /= 2) m[static_cast<size_t>(2 + k)] = 0.15 * w / total;
  m[static_cast<size_t>(level_count - 1)] = 0.05;
  return m;
}

struct LevelCounts {
  std::vector<int64_t> counts;  // [c * kMaxLevels + level]
};

LevelCounts CountRandomPairs(const RecordSet& records, LinkType type, const ComparisonSet& comps,
                             const EstimationOptions& opt, int64_t sample, int64_t possible,
                             EstimationReport* report) {
  const size_t nc = comps.size();
  const uint32_t n = records.size();
  std::vector<uint32_t> left, right;
  if (type == LinkType::kLinkOnly) {
    for (uint32_t r = 0; r < n; ++r) (records.source(r) == 0 ? left : right).push_back(r);
  }
  const bool exhaustive = possible <= sample;
  report->u_exhaustive = exhaustive;
  constexpr size_t kChunks = 64;
  std::vector<std::vector<int64_t>> per_chunk(kChunks, std::vector<int64_t>(nc * kMaxLevels, 0));
  std::vector<int64_t> chunk_pairs(kChunks, 0);
  // Exhaustive: chunk k takes outer rows k, k + kChunks, ... (balanced enough).
  ParallelFor(kChunks, opt.threads, [&](size_t k) {
    std::vector<int64_t>& cnt = per_chunk[k];
    uint8_t levels[kMaxComparisons];
    int64_t done = 0;
    auto add = [&](uint32_t a, uint32_t b) {
      comps.Levels(records, a, records, b, levels);
      for (size_t c = 0; c < nc; ++c) ++cnt[c * kMaxLevels + levels[c]];
      ++done;
    };
    if (exhaustive) {
      if (type == LinkType::kDedupe) {
        for (uint32_t a = static_cast<uint32_t>(k); a < n; a += kChunks) {
          for (uint32_t b = a + 1; b < n; ++b) add(a, b);
        }
      } else {
        for (size_t i = k; i < left.size(); i += kChunks) {
          for (uint32_t b : right) add(left[i], b);
        }
      }
    } else {
      SplitMix64 rng{opt.seed + k};
      const auto chunks = static_cast<int64_t>(kChunks);
      const int64_t want = sample / chunks + (static_cast<int64_t>(k) < sample % chunks ? 1 : 0);
      for (int64_t i = 0; i < want; ++i) {
        if (type == LinkType::kDedupe) {
          const auto a = static_cast<uint32_t>(rng.Next() % n);
          auto b = static_cast<uint32_t>(rng.Next() % (n - 1));
          if (b >= a) ++b;
          add(std::min(a, b), std::max(a, b));
        } else {
          add(left[rng.Next() % left.size()], right[rng.Next() % right.size()]);
        }
      }
    }
    chunk_pairs[k] = done;
  });
  LevelCounts out;
  out.counts.assign(nc * kMaxLevels, 0);
  int64_t total = 0;
  for (size_t k = 0; k < kChunks; ++k) {
    total += chunk_pairs[k];
    for (size_t i = 0; i < out.counts.size(); ++i) out.counts[i] += per_chunk[k][i];
  }
  report->u_pairs = total;
  return out;
}

// A comparison is left out of an EM session when the session's blocking rule constrains its
// field - or a field that implies it: given names imply sex (pairs blocked on a given name
// agree on sex far more often than random pairs, so u would not hold for them).
bool FrozenBy(const BlockingRule& rule, Field f) {
  if (rule.UsesField(f)) return true;
  return f == Field::kSex && rule.UsesField(Field::kGivenName);
}

struct Pattern {
  uint64_t key;
  int64_t count;
};

// The comparison patterns of the pairs `rules` block together (each pattern with its count),
// sorted by key; `keep` (when given) decides, from a pair's levels, whether it counts.
std::vector<Pattern> CountPatterns(const RecordSet& records, LinkType type,
                                   const ComparisonSet& comps,
                                   const std::vector<BlockingRule>& rules,
                                   const EstimationOptions& opt, int64_t* pairs,
                                   const std::function<bool(const uint8_t*)>& keep = nullptr) {
  BlockIndex index(records, rules, type, opt.window, std::max(1, opt.threads) * 16,
                   BlockOrder::kRandom);
  const auto& tasks = index.tasks();
  std::vector<std::unordered_map<uint64_t, int64_t>> maps(tasks.size());
  ParallelFor(tasks.size(), opt.threads, [&](size_t t) {
    uint8_t levels[kMaxComparisons];
    auto& m = maps[t];
    index.ForEachPair(tasks[t], [&](uint32_t a, uint32_t b) {
      comps.Levels(records, a, records, b, levels);
      if (keep && !keep(levels)) return;
      ++m[PackLevels(levels, comps.size())];
    });
  });
  std::unordered_map<uint64_t, int64_t> all;
  *pairs = 0;
  for (const auto& m : maps) {
    for (const auto& [k, v] : m) {
      all[k] += v;
      *pairs += v;
    }
  }
  std::vector<Pattern> out;
  out.reserve(all.size());
  for (const auto& [k, v] : all) out.push_back({k, v});
  std::sort(out.begin(), out.end(),
            [](const Pattern& x, const Pattern& y) { return x.key < y.key; });
  return out;
}

std::vector<Pattern> BlockedPatterns(const RecordSet& records, LinkType type,
                                     const ComparisonSet& comps, const BlockingRule& rule,
                                     const EstimationOptions& opt, int64_t* pairs) {
  return CountPatterns(records, type, comps, {rule}, opt, pairs);
}

// Patterns of the pairs that share an address or a postcode (the OR of `rules`), keeping
// only those whose location level falls in a stratum.
std::vector<Pattern> HouseholdPatterns(const RecordSet& records, LinkType type,
                                       const ComparisonSet& comps,
                                       const std::vector<BlockingRule>& rules,
                                       const LocationStrata& strata, const EstimationOptions& opt,
                                       int64_t* pairs) {
  const auto loc = static_cast<size_t>(strata.comparison);
  return CountPatterns(records, type, comps, rules, opt, pairs, [&](const uint8_t* levels) {
    return strata.stratum_of_level[levels[loc]] != 0;
  });
}

// EM for u given the location stratum, m held fixed: a two-class mixture per stratum over
// the pairs sharing an address or postcode (the same person, or two members of one
// household / neighbours). u_s is smoothed towards the overall u with a pseudo-count of
// opt.strata_u_pseudo_count pairs. Returns u[s - 1][c][level].
std::vector<std::vector<std::vector<double>>> HouseholdEm(
    const std::vector<Pattern>& patterns, const std::vector<bool>& active,
    const std::vector<ComparisonParameters>& params, const LocationStrata& strata,
    const EstimationOptions& opt, EmSession* session) {
  const size_t nc = params.size();
  const size_t ns = strata.names.size();
  const auto loc = static_cast<size_t>(strata.comparison);
  std::vector<std::vector<std::vector<double>>> u(ns);
  for (auto& us : u) {
    for (size_t c = 0; c < nc; ++c) us.push_back(params[c].u);
  }
  std::vector<std::vector<double>> log_m(nc);
  for (size_t c = 0; c < nc; ++c) {
    log_m[c].resize(params[c].m.size());
    for (size_t l = 1; l < params[c].m.size(); ++l) log_m[c][l] = std::log(params[c].m[l]);
  }
  std::vector<double> lambda(ns, 0.5);
  const double k = opt.strata_u_pseudo_count;
  for (int it = 0; it < opt.em_max_iterations; ++it) {
    std::vector<std::vector<std::vector<double>>> acc(ns);
    for (auto& a : acc) {
      for (size_t c = 0; c < nc; ++c) a.emplace_back(params[c].u.size(), 0.0);
    }
    std::vector<double> matches(ns, 0.0), total(ns, 0.0);
    std::vector<std::vector<std::vector<double>>> log_u(ns);
    for (size_t s = 0; s < ns; ++s) {
      log_u[s].resize(nc);
      for (size_t c = 0; c < nc; ++c) {
        log_u[s][c].resize(u[s][c].size());
        for (size_t l = 1; l < u[s][c].size(); ++l) log_u[s][c][l] = std::log(u[s][c][l]);
      }
    }
    for (const Pattern& p : patterns) {
      const size_t s = strata.stratum_of_level[UnpackLevel(p.key, loc)] - 1u;
      double lm = std::log(lambda[s]), lu = std::log1p(-lambda[s]);
      for (size_t c = 0; c < nc; ++c) {
        if (!active[c]) continue;
        const uint8_t l = UnpackLevel(p.key, c);
        if (l == kNullLevel) continue;
        lm += log_m[c][l];
        lu += log_u[s][c][l];
      }
      const double post = 1.0 / (1.0 + std::exp(lu - lm));
      const double count = static_cast<double>(p.count);
      matches[s] += post * count;
      total[s] += count;
      const double w = (1.0 - post) * count;
      for (size_t c = 0; c < nc; ++c) {
        if (!active[c]) continue;
        const uint8_t l = UnpackLevel(p.key, c);
        if (l != kNullLevel) acc[s][c][l] += w;
      }
    }
    double all_matches = 0, all_pairs = 0;
    for (size_t s = 0; s < ns; ++s) {
      all_matches += matches[s];
      all_pairs += total[s];
    }
    session->match_share = all_pairs > 0 ? all_matches / all_pairs : 0;
    double delta = 0;
    for (size_t s = 0; s < ns; ++s) {
      if (total[s] <= 0) continue;
      for (size_t c = 0; c < nc; ++c) {
        if (!active[c]) continue;
        double sum = 0;
        for (size_t l = 1; l < acc[s][c].size(); ++l) sum += acc[s][c][l];
        // As for the overall u, a level no non-match reached counts as half a pair - but
        // never more than its overall u (a stratum with few or no non-null pairs, e.g. the
        // town when both postcodes are present, keeps the overall u).
        const double half_pair = 0.5 / std::max(sum + k, 1.0);
        for (size_t l = 1; l < acc[s][c].size(); ++l) {
          const double nu = std::max((acc[s][c][l] + k * params[c].u[l]) / (sum + k),
                                     std::min(half_pair, params[c].u[l]));
          delta = std::max(delta, std::abs(nu - u[s][c][l]));
          u[s][c][l] = nu;
        }
      }
      const double nl = std::clamp(matches[s] / total[s], 1e-9, 1.0 - 1e-9);
      delta = std::max(delta, std::abs(nl - lambda[s]));
      lambda[s] = nl;
    }
    session->iterations = it + 1;
    if (delta < opt.em_tolerance) {
      session->converged = true;
      break;
    }
  }
  session->estimated.assign(nc, false);  // m is held fixed here
  return u;
}

}  // namespace

LocationStrata PlanLocationStrata(const ComparisonSet& comps) {
  LocationStrata st;
  for (size_t c = 0; c < comps.size(); ++c) {
    const ComparisonSpec& s = comps.spec(c);
    if (s.kind != ComparisonKind::kPostcode || !s.with_address) continue;
    st.comparison = static_cast<int>(c);
    st.names = {"same address", "same postcode"};
    st.stratum_of_level.assign(static_cast<size_t>(comps.level_count(c)), 0);
    const auto& labels = comps.labels(c);
    for (size_t l = 0; l < labels.size(); ++l) {
      if (labels[l] == "exact+address" || labels[l] == "address") st.stratum_of_level[l] = 1;
      if (labels[l] == "exact") st.stratum_of_level[l] = 2;
    }
    break;
  }
  return st;
}

std::vector<BlockingRule> DefaultTrainingRules(const RecordSet& records) {
  auto rules = ParseAll({"birth_date", "name_pair", "nhs_number"}, records);
  if (rules.empty()) rules = ParseAll({"identifier", "postcode", "email"}, records);
  return rules;
}

std::vector<BlockingRule> DefaultDeterministicRules(const RecordSet& records) {
  return ParseAll({"given_name & family_name & birth_date", "nhs_number & birth_date",
                   "identifier & birth_date", "email & birth_date"},
                  records);
}

int64_t USamplePairs(const RecordSet& records, const EstimationOptions& options) {
  if (options.u_max_pairs > 0) return options.u_max_pairs;
  return std::clamp<int64_t>(int64_t{5} * records.size(), 1'000'000, 10'000'000);
}

int64_t PossiblePairs(const RecordSet& records, LinkType type) {
  const int64_t n = records.size();
  if (type == LinkType::kDedupe) return n * (n - 1) / 2;
  int64_t left = 0;
  for (uint32_t r = 0; r < records.size(); ++r) left += records.source(r) == 0 ? 1 : 0;
  return left * (n - left);
}

namespace {

using Table = std::vector<std::vector<double>>;  // [comparison][level]

// Step 1: u per comparison and level from the random pairs' level counts (null levels left
// out; a level never seen counts as half a pair), and each comparison's null share.
std::vector<ComparisonParameters> UFromRandomPairs(const LevelCounts& uc,
                                                   const ComparisonSet& comps,
                                                   EstimationReport& rep) {
  const size_t nc = comps.size();
  std::vector<ComparisonParameters> params(nc);
  rep.null_share.assign(nc, 0.0);
  for (size_t c = 0; c < nc; ++c) {
    const int L = comps.level_count(c);
    int64_t nonnull = 0;
    for (int l = 1; l < L; ++l) nonnull += uc.counts[c * kMaxLevels + static_cast<size_t>(l)];
    rep.null_share[c] = rep.u_pairs > 0 ? static_cast<double>(uc.counts[c * kMaxLevels]) /
                                              static_cast<double>(rep.u_pairs)
                                        : 0.0;
    params[c].u.assign(static_cast<size_t>(L), 0.0);
    const double denom = static_cast<double>(std::max<int64_t>(nonnull, 1));
    for (int l = 1; l < L; ++l) {
      const auto k = static_cast<double>(uc.counts[c * kMaxLevels + static_cast<size_t>(l)]);
      params[c].u[static_cast<size_t>(l)] = std::max(k, 0.5) / denom;
    }
  }
  return params;
}

// One EM training session: the pairs a rule blocks, as level patterns, and which comparisons
// it may estimate (not those the rule's own fields freeze).
struct SessionData {
  BlockingRule rule;
  std::vector<Pattern> patterns;
  int64_t pairs = 0;
  std::vector<bool> active;
  int relatives_given = -1;   // the relatives' class: given-name comparison, or -1 (none)
  int relatives_sex = -1;     // and the sex comparison (-1: none)
  int relatives_family = -1;  // and the family-name comparison
};

std::vector<SessionData> PlanSessions(const RecordSet& records, LinkType type,
                                      const ComparisonSet& comps, const EstimationOptions& opt,
                                      Progress* progress) {
  const size_t nc = comps.size();
  std::vector<BlockingRule> training =
      opt.training_rules.empty() ? DefaultTrainingRules(records) : opt.training_rules;
  std::vector<SessionData> sessions;
  for (const BlockingRule& rule : training) {
    SessionData sd;
    sd.rule = rule;
    if (progress) progress->Update(0, 0, "EM on pairs blocked by " + rule.ToString());
    sd.patterns = BlockedPatterns(records, type, comps, rule, opt, &sd.pairs);
    sd.active.resize(nc);
    for (size_t c = 0; c < nc; ++c) sd.active[c] = !FrozenBy(rule, comps.spec(c).field);
    if (opt.relatives_class) {
      int given = -1, family = -1, sex = -1;
      for (size_t c = 0; c < nc; ++c) {
        if (!sd.active[c]) continue;
        const Field f = comps.spec(c).field;
        if (f == Field::kGivenName) given = static_cast<int>(c);
        if (f == Field::kFamilyName) family = static_cast<int>(c);
        if (f == Field::kSex) sex = static_cast<int>(c);
      }
      if (given >= 0 && family >= 0) {
        sd.relatives_given = given;
        sd.relatives_sex = sex;
        sd.relatives_family = family;
      }
    }
    sessions.push_back(std::move(sd));
  }
  return sessions;
}

// The household session: pairs sharing an address or a postcode, for u given the location
// stratum. Clears `strata` when no pair shares one.
SessionData PlanHouseholdSession(const RecordSet& records, LinkType type,
                                 const ComparisonSet& comps, const EstimationOptions& opt,
                                 LocationStrata& strata, Progress* progress) {
  SessionData household;
  if (strata.comparison < 0) return household;
  std::vector<BlockingRule> rules;
  for (std::string_view t : {"address", "postcode"}) {
    auto r = ParseBlockingRule(t);
    if (r.ok()) rules.push_back(*r);
  }
  if (progress) progress->Update(0, 0, "EM on pairs sharing an address or postcode");
  household.patterns =
      HouseholdPatterns(records, type, comps, rules, strata, opt, &household.pairs);
  household.active.resize(comps.size());
  for (size_t c = 0; c < comps.size(); ++c) {
    bool frozen = false;
    for (const BlockingRule& r : rules) frozen |= FrozenBy(r, comps.spec(c).field);
    household.active[c] = !frozen && static_cast<int>(c) != strata.comparison;
  }
  if (household.pairs == 0) strata = LocationStrata{};
  return household;
}

// What an EM session gives: m, the posterior-weighted level totals (acc), the match share
// and the matches agreeing exactly on both names.
struct SessionFit {
  Table m;
  Table acc;
  double lambda = 0.5;
  double names_exact = 0;
};

// EM with u fixed (per location stratum from the second round: `log_us`, empty in the first).
// Relatives' class (see estimation.h): in a session that compares both names, two relatives
// sharing the blocked field look like the same person with another given name; a third class
// holds them - m for every comparison except given name and sex, whose levels are those of
// different people (u).
SessionFit FitSession(const SessionData& sd, const Table& m0, const Table& log_u,
                      const std::vector<Table>& log_us, const LocationStrata& strata,
                      const EstimationOptions& opt, EmSession& session) {
  const size_t nc = m0.size();
  SessionFit fit;
  fit.m = m0;
  fit.acc.resize(nc);
  for (size_t c = 0; c < nc; ++c) fit.acc[c].assign(fit.m[c].size(), 0.0);
  Table& m = fit.m;
  Table& acc = fit.acc;
  double& lambda = fit.lambda;
  const int rel_given = sd.relatives_given;
  const int rel_sex = sd.relatives_sex;
  double lambda_rel = rel_given >= 0 ? 0.01 : 0.0;
  if (sd.pairs == 0) return fit;
  for (int it = 0; it < opt.em_max_iterations; ++it) {
    for (size_t c = 0; c < nc; ++c) acc[c].assign(m[c].size(), 0.0);
    double match_total = 0, rel_total = 0;
    fit.names_exact = 0;
    const double log_lambda = std::log(lambda), log_1m = std::log1p(-lambda - lambda_rel),
                 log_rel = rel_given >= 0 ? std::log(lambda_rel) : 0.0;
    for (const Pattern& p : sd.patterns) {
      const int st =
          log_us.empty()
              ? 0
              : strata.stratum_of_level[UnpackLevel(p.key, static_cast<size_t>(strata.comparison))];
      double lm = log_lambda, lu = log_1m, lr = log_rel;
      for (size_t c = 0; c < nc; ++c) {
        if (!sd.active[c]) continue;
        const uint8_t l = UnpackLevel(p.key, c);
        if (l == kNullLevel) continue;
        const double log_mc = std::log(m[c][l]);
        const double log_uc = (st == 0 || static_cast<int>(c) == strata.comparison)
                                  ? log_u[c][l]
                                  : log_us[static_cast<size_t>(st - 1)][c][l];
        lm += log_mc;
        lu += log_uc;
        lr += (static_cast<int>(c) == rel_given || static_cast<int>(c) == rel_sex) ? log_u[c][l]
                                                                                   : log_mc;
      }
      double post, post_rel = 0;
      if (rel_given >= 0) {
        const double top = std::max({lm, lu, lr});
        const double em = std::exp(lm - top), eu = std::exp(lu - top), er = std::exp(lr - top);
        post = em / (em + eu + er);
        post_rel = er / (em + eu + er);
      } else {
        post = 1.0 / (1.0 + std::exp(lu - lm));
      }
      const double w = post * static_cast<double>(p.count);
      match_total += w;
      rel_total += post_rel * static_cast<double>(p.count);
      if (rel_given >= 0 && UnpackLevel(p.key, static_cast<size_t>(rel_given)) == kExactLevel &&
          UnpackLevel(p.key, static_cast<size_t>(sd.relatives_family)) == kExactLevel) {
        fit.names_exact += w;
      }
      for (size_t c = 0; c < nc; ++c) {
        if (!sd.active[c]) continue;
        const uint8_t l = UnpackLevel(p.key, c);
        if (l != kNullLevel) acc[c][l] += w;
      }
    }
    double delta = 0;
    for (size_t c = 0; c < nc; ++c) {
      if (!sd.active[c]) continue;
      double sum = 0;
      for (size_t l = 1; l < m[c].size(); ++l) sum += acc[c][l];
      for (size_t l = 1; l < m[c].size(); ++l) {
        const double nm = (acc[c][l] + opt.m_pseudo_count * m0[c][l]) / (sum + opt.m_pseudo_count);
        delta = std::max(delta, std::abs(nm - m[c][l]));
        m[c][l] = nm;
      }
    }
    const double new_lambda =
        std::clamp(match_total / static_cast<double>(sd.pairs), 1e-9, 1.0 - 1e-9);
    delta = std::max(delta, std::abs(new_lambda - lambda));
    lambda = new_lambda;
    if (rel_given >= 0) {
      const double new_rel =
          std::clamp(rel_total / static_cast<double>(sd.pairs), 1e-9, (1.0 - lambda) / 2);
      delta = std::max(delta, std::abs(new_rel - lambda_rel));
      lambda_rel = new_rel;
    }
    session.iterations = it + 1;
    if (delta < opt.em_tolerance) {
      session.converged = true;
      break;
    }
  }
  return fit;
}

Table LogOf(const std::vector<std::vector<double>>& p) {
  Table out(p.size());
  for (size_t c = 0; c < p.size(); ++c) {
    out[c].resize(p[c].size());
    for (size_t l = 1; l < p[c].size(); ++l) out[c][l] = std::log(p[c][l]);
  }
  return out;
}

// P(both names non-null and exact | match), measured jointly in a session that compares both
// names (value < 0: none), and that session's two name comparisons.
struct NamesJoint {
  double p = -1;
  std::pair<int, int> comparisons{-1, -1};
};

// Step 2: m by EM, one session per training rule, u fixed; with location strata, alternated
// with the household session that estimates u given the location stratum. Sets params' m
// (the mean over the sessions that estimated each comparison) and strata's u.
NamesJoint EstimateM(const std::vector<SessionData>& sessions, const SessionData& household,
                     const ComparisonSet& comps, const EstimationOptions& opt,
                     std::vector<ComparisonParameters>& params, LocationStrata& strata,
                     EstimationReport& rep) {
  const size_t nc = comps.size();
  NamesJoint names;
  Table m0(nc);
  for (size_t c = 0; c < nc; ++c) m0[c] = StartingM(comps.level_count(c));
  Table u(nc);
  for (size_t c = 0; c < nc; ++c) u[c] = params[c].u;
  const Table log_u = LogOf(u);
  const int rounds = strata.comparison >= 0 ? 2 : 1;
  for (int round = 0; round < rounds; ++round) {
    const bool last = round == rounds - 1;
    std::vector<Table> log_us;  // log u per stratum for the E-step (none in the first round)
    for (const auto& us : strata.u) log_us.push_back(LogOf(us));
    Table m_sum(nc);
    std::vector<int> m_sessions(nc, 0);
    for (size_t c = 0; c < nc; ++c) m_sum[c].assign(m0[c].size(), 0.0);
    if (last) rep.sessions.clear();
    for (const SessionData& sd : sessions) {
      EmSession session;
      session.rule = sd.rule.ToString();
      session.pairs = sd.pairs;
      session.patterns = static_cast<int64_t>(sd.patterns.size());
      const SessionFit fit = FitSession(sd, m0, log_u, log_us, strata, opt, session);
      session.match_share = fit.lambda;
      if (sd.relatives_given >= 0 && sd.pairs > 0 &&
          fit.lambda * static_cast<double>(sd.pairs) >= 1.0) {
        names.p = fit.names_exact / (fit.lambda * static_cast<double>(sd.pairs));
        names.comparisons = {sd.relatives_given, sd.relatives_family};
      }
      session.estimated.assign(nc, false);
      for (size_t c = 0; c < nc; ++c) {
        if (!sd.active[c] || sd.pairs == 0) continue;
        double data = 0;
        for (size_t l = 1; l < fit.acc[c].size(); ++l) data += fit.acc[c][l];
        if (data < 1.0) continue;  // no non-null evidence about matches
        session.estimated[c] = true;
        ++m_sessions[c];
        for (size_t l = 1; l < fit.m[c].size(); ++l) m_sum[c][l] += fit.m[c][l];
      }
      if (last) rep.sessions.push_back(std::move(session));
    }
    for (size_t c = 0; c < nc; ++c) {
      params[c].m = m0[c];
      if (m_sessions[c] == 0) {
        if (last) {
          rep.warnings.push_back(fmt::format(
              "comparison {}: m could not be estimated by any training session; using starting "
              "values",
              comps.spec(c).name));
        }
        continue;
      }
      for (size_t l = 1; l < params[c].m.size(); ++l) {
        params[c].m[l] = m_sum[c][l] / m_sessions[c];
      }
    }
    if (strata.comparison >= 0) {
      EmSession session;
      session.rule = "address | postcode (u given the location)";
      session.pairs = household.pairs;
      session.patterns = static_cast<int64_t>(household.patterns.size());
      strata.u = HouseholdEm(household.patterns, household.active, params, strata, opt, &session);
      if (last) rep.sessions.push_back(std::move(session));
    }
  }
  return names;
}

// Pairs the deterministic rules find (each counted once across the rules).
int64_t CountDeterministicPairs(const RecordSet& records, LinkType type,
                                const std::vector<BlockingRule>& det,
                                const EstimationOptions& opt) {
  if (det.empty()) return 0;
  BlockIndex index(records, det, type, 10000, std::max(1, opt.threads) * 16);
  std::vector<int64_t> counts(index.tasks().size(), 0);
  ParallelFor(index.tasks().size(), opt.threads, [&](size_t t) {
    int64_t k = 0;
    index.ForEachPair(index.tasks()[t], [&](uint32_t, uint32_t) { ++k; });
    counts[t] = k;
  });
  int64_t pairs = 0;
  for (int64_t k : counts) pairs += k;
  return pairs;
}

// P(some deterministic rule fires | match): per rule the product over its fields of
// P(non-null) * m(exact) (the two names jointly when measured), united over rules by
// inclusion-exclusion. Rules with non-exact parts: assumed 0.8, with a warning.
double DeterministicRecall(const std::vector<BlockingRule>& det, const ComparisonSet& comps,
                           const std::vector<ComparisonParameters>& params, const NamesJoint& names,
                           EstimationReport& rep) {
  const size_t nc = comps.size();
  std::vector<std::vector<int>> rule_comps;
  bool computable = true;
  for (const BlockingRule& r : det) {
    std::vector<int> cs;
    for (const KeyPart& p : r.parts) {
      const int c = comps.IndexOf(p.field);
      if (p.transform != KeyTransform::kExact || c < 0) computable = false;
      if (c >= 0) cs.push_back(c);
    }
    rule_comps.push_back(cs);
  }
  if (!computable || det.size() > 12) {
    rep.warnings.push_back(
        "deterministic rules use non-exact parts; assuming they find 80% of matches");
    return 0.8;
  }
  double recall = 0;
  const size_t k = det.size();
  const auto [jg, jf] = names.comparisons;
  for (uint32_t mask = 1; mask < (1u << k); ++mask) {
    std::vector<bool> used(nc, false);
    int bits = 0;
    for (size_t i = 0; i < k; ++i) {
      if (mask & (1u << i)) {
        ++bits;
        for (int c : rule_comps[i]) used[static_cast<size_t>(c)] = true;
      }
    }
    double p = 1;
    const bool joint =
        names.p > 0 && used[static_cast<size_t>(jg)] && used[static_cast<size_t>(jf)];
    if (joint) p = names.p;
    for (size_t c = 0; c < nc; ++c) {
      if (joint && (static_cast<int>(c) == jg || static_cast<int>(c) == jf)) continue;
      if (used[c]) p *= (1.0 - rep.null_share[c]) * params[c].m[kExactLevel];
    }
    recall += (bits % 2 == 1) ? p : -p;
  }
  return recall;
}

}  // namespace

StatusOr<FellegiSunterModel> EstimateModel(const RecordSet& records, LinkType type,
                                           const ComparisonSet& comps, const EstimationOptions& opt,
                                           EstimationReport* report, Progress* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  EstimationReport local;
  EstimationReport& rep = report ? *report : local;
  rep = EstimationReport{};
  const size_t nc = comps.size();
  if (nc == 0) return InvalidArgumentError("no comparisons: map at least one field");
  if (nc > kMaxComparisons) {
    return InvalidArgumentError(fmt::format("at most {} comparisons", kMaxComparisons));
  }
  const int64_t possible = PossiblePairs(records, type);
  rep.possible_pairs = possible;
  if (possible < 1) return InvalidArgumentError("fewer than two records to compare");
  if (opt.u_max_pairs < 0) return InvalidArgumentError("u_max_pairs must not be negative");

  // 1. u from random pairs.
  if (progress) progress->Update(0, 0, "estimating u from random pairs");
  const LevelCounts uc =
      CountRandomPairs(records, type, comps, opt, USamplePairs(records, opt), possible, &rep);
  std::vector<ComparisonParameters> params = UFromRandomPairs(uc, comps, rep);

  // 2. m by EM.
  const std::vector<SessionData> sessions = PlanSessions(records, type, comps, opt, progress);
  LocationStrata strata = opt.location_strata ? PlanLocationStrata(comps) : LocationStrata{};
  const SessionData household = PlanHouseholdSession(records, type, comps, opt, strata, progress);
  const NamesJoint names = EstimateM(sessions, household, comps, opt, params, strata, rep);

  // 3. lambda from deterministic rules.
  std::vector<BlockingRule> det = opt.deterministic_rules.empty()
                                      ? DefaultDeterministicRules(records)
                                      : opt.deterministic_rules;
  for (const auto& r : det) rep.deterministic_rules.push_back(r.ToString());
  if (!det.empty() && progress) progress->Update(0, 0, "counting deterministic matches");
  const int64_t det_pairs = CountDeterministicPairs(records, type, det, opt);
  rep.deterministic_pairs = det_pairs;
  double recall = opt.deterministic_recall;
  if (recall <= 0 && !det.empty()) recall = DeterministicRecall(det, comps, params, names, rep);
  double lambda;
  if (det_pairs == 0 || recall <= 0) {
    lambda = 1.0 / static_cast<double>(possible);
    rep.warnings.push_back("no deterministic matches found; prior set to 1 / possible pairs");
  } else {
    lambda = static_cast<double>(det_pairs) / recall / static_cast<double>(possible);
  }
  lambda = std::clamp(lambda, 1.0 / static_cast<double>(possible + 1), 0.5);
  rep.deterministic_recall = recall;
  rep.lambda = lambda;
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return FellegiSunterModel(ComparisonSet(comps.specs()), std::move(params), lambda,
                            std::move(strata));
}

}  // namespace pioneer::link
