#include "pioneer/link/tracing.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <map>

#include "pioneer/base/parallel.h"
#include "pioneer/link/normalise.h"

namespace pioneer::link {
namespace {

constexpr std::string_view kMpsBlocks[] = {
    "soundex(family_name) & soundex(given_name) & birth_date",
    "soundex(family_name) & sex & birth_date & postcode",
    "soundex(given_name) & sex & birth_date & postcode",
    "birth_date & postcode & sex",
    // Beyond MPS (tracing.h): candidates for queries whose date of birth is missing or
    // wrong, whose postcode is missing or moved, or whose names are swapped or changed.
    "soundex(family_name) & soundex(given_name) & district(postcode)",
    "soundex(family_name) & soundex(given_name) & year(birth_date)",
    "name_pair & district(postcode)",
    "name_pair & birth_date",
    "birth_date",
};

uint64_t SoundexYearKey(uint16_t soundex, int year) {
  return HashCombine(static_cast<uint64_t>(soundex) + 1, static_cast<uint64_t>(year) + 7);
}

PersonRecord CurrentRecord(const MpiPerson& p, size_t index) {
  PersonRecord r;
  r.id = std::to_string(index);
  r.get(Field::kNhsNumber) = p.nhs_number;
  r.get(Field::kFamilyName) = p.family_name;
  r.get(Field::kGivenName) = p.given_name;
  r.get(Field::kSex) = p.sex;
  r.get(Field::kBirthDate) = p.birth_date;
  r.get(Field::kPostcode) = p.postcode;
  return r;
}

}  // namespace

const char* TraceStepName(TraceStep s) {
  switch (s) {
    case TraceStep::kCrossCheck:
      return "cross-check";
    case TraceStep::kAlphanumeric:
      return "alphanumeric";
    case TraceStep::kProbabilistic:
      return "probabilistic";
    case TraceStep::kNone:
      break;
  }
  return "none";
}

const char* TraceOutcomeName(TraceOutcome o) {
  switch (o) {
    case TraceOutcome::kMatched:
      return "matched";
    case TraceOutcome::kReview:
      return "review";
    case TraceOutcome::kNoMatch:
      break;
  }
  return "no-match";
}

StatusOr<Tracer> Tracer::Create(const std::vector<MpiPerson>& mpi, FellegiSunterModel model,
                                TraceOptions options) {
  if (model.comparisons().size() == 0) {
    return InvalidArgumentError("tracing model has no comparisons");
  }
  Tracer t;
  t.model_ = std::move(model);
  t.options_ = options;
  t.persons_ = mpi.size();
  for (size_t i = 0; i < mpi.size(); ++i) {
    const MpiPerson& p = mpi[i];
    std::string nhs = NormaliseNhsNumber(p.nhs_number);
    if (nhs.empty()) {
      return InvalidArgumentError(
          fmt::format("master person index: person {} has no valid NHS Number", i));
    }
    auto [it, inserted] = t.by_nhs_.emplace(nhs, static_cast<uint32_t>(i));
    if (!inserted) {
      return InvalidArgumentError(fmt::format(
          "master person index: persons {} and {} have the same NHS Number", it->second, i));
    }
    t.nhs_.push_back(std::move(nhs));
    t.first_row_.push_back(t.rows_.size());
    const PersonRecord cur = CurrentRecord(p, i);
    t.rows_.Add(cur, 1, static_cast<int64_t>(i));
    for (const MpiHistory& h : p.history) {
      PersonRecord r = cur;
      if (!h.family_name.empty()) r.get(Field::kFamilyName) = h.family_name;
      if (!h.given_name.empty()) r.get(Field::kGivenName) = h.given_name;
      if (!h.postcode.empty()) r.get(Field::kPostcode) = h.postcode;
      t.rows_.Add(r, 1, static_cast<int64_t>(i));
    }
  }
  t.first_row_.push_back(t.rows_.size());
  t.rows_.ComputeTermFrequencies();
  for (uint32_t r = 0; r < t.rows_.size(); ++r) {
    const uint32_t fam = t.rows_.value_id(Field::kFamilyName, r);
    if (fam == 0 || !t.rows_.has_birth_date(r)) continue;
    const uint16_t sx = t.rows_.value(Field::kFamilyName, fam).soundex;
    if (sx == 0) continue;
    t.by_soundex_year_[SoundexYearKey(sx, t.rows_.birth_date(r).year)].push_back(r);
  }
  for (std::string_view text : kMpsBlocks) {
    auto rule = ParseBlockingRule(text);
    if (!rule.ok()) return rule.status();
    t.blocks_.push_back(*rule);
    auto& index = t.block_rows_.emplace_back();
    for (uint32_t r = 0; r < t.rows_.size(); ++r) {
      const uint64_t key = BlockKey(*rule, t.rows_, r);
      if (key != 0) index[key].push_back(r);
    }
  }
  return t;
}

bool Tracer::NameCheck(const RecordSet& q, uint32_t person) const {
  const std::string_view qg = q.text_of(Field::kGivenName, 0);
  const std::string_view qf = q.text_of(Field::kFamilyName, 0);
  if (qg.empty() && qf.empty()) return false;
  bool given_ok = qg.empty(), family_ok = qf.empty();
  for (uint32_t r = first_row_[person]; r < first_row_[person + 1]; ++r) {
    const std::string_view g = rows_.text_of(Field::kGivenName, r);
    const std::string_view f = rows_.text_of(Field::kFamilyName, r);
    if (!qg.empty() && !g.empty() && g[0] == qg[0]) given_ok = true;
    if (!qf.empty()) {
      const size_t n = std::min<size_t>(3, qf.size());
      if (f.size() >= n && f.substr(0, n) == qf.substr(0, n)) family_ok = true;
    }
  }
  return given_ok && family_ok;
}

bool Tracer::OutcodeCheck(const RecordSet& q, uint32_t person) const {
  const uint32_t qid = q.value_id(Field::kPostcode, 0);
  if (qid == 0 || !q.value(Field::kPostcode, qid).pc_uk) return false;
  const std::string_view qd =
      q.text(Field::kPostcode, qid).substr(0, q.value(Field::kPostcode, qid).pc_district);
  for (uint32_t r = first_row_[person]; r < first_row_[person + 1]; ++r) {
    const uint32_t id = rows_.value_id(Field::kPostcode, r);
    if (id == 0 || !rows_.value(Field::kPostcode, id).pc_uk) continue;
    const std::string_view d =
        rows_.text(Field::kPostcode, id).substr(0, rows_.value(Field::kPostcode, id).pc_district);
    if (d == qd) return true;
  }
  return false;
}

void Tracer::CrossCheck(const RecordSet& q, TraceDecision* d, int64_t* owner) const {
  const std::string_view nhs = q.text_of(Field::kNhsNumber, 0);
  if (nhs.empty()) {
    d->evidence.push_back("cross-check: no valid NHS Number in the query");
    return;
  }
  auto it = by_nhs_.find(std::string(nhs));
  if (it == by_nhs_.end()) {
    d->evidence.push_back("cross-check: NHS Number not held by the index");
    return;
  }
  const uint32_t p = it->second;
  *owner = p;
  if (!q.has_birth_date(0)) {
    // No date to cross-check: the number stands only when the names agree (the name check)
    // and, when the query gives a postcode, its district too (the outcode check).
    const bool has_names =
        q.value_id(Field::kGivenName, 0) != 0 && q.value_id(Field::kFamilyName, 0) != 0;
    const bool has_postcode = q.value_id(Field::kPostcode, 0) != 0;
    if (has_names && NameCheck(q, p) && (!has_postcode || OutcodeCheck(q, p))) {
      d->outcome = TraceOutcome::kMatched;
      d->automatic = true;
      d->step = TraceStep::kCrossCheck;
      d->reason = "cross-check-no-birth-date";
      d->person = p;
      d->nhs_number = nhs_[p];
      d->probability = 1.0;
      d->evidence.push_back(
          "cross-check: NHS Number held by the index; no date of birth in the query; name "
          "check" +
          std::string(has_postcode ? " and outcode check" : "") + " passed");
      return;
    }
    d->evidence.push_back(
        "cross-check: NHS Number held, but the query has no date of birth and the name or "
        "outcode check failed");
    return;
  }
  const TraceDateAgreement agree =
      CompareForTrace(q.birth_date(0), rows_.birth_date(first_row_[p]));
  auto accept = [&](std::string reason, std::string why) {
    d->outcome = TraceOutcome::kMatched;
    d->automatic = true;
    d->step = TraceStep::kCrossCheck;
    d->reason = std::move(reason);
    d->person = p;
    d->nhs_number = nhs_[p];
    d->probability = 1.0;
    d->evidence.push_back("cross-check: NHS Number held by the index; " + why);
  };
  switch (agree) {
    case TraceDateAgreement::kExact:
      accept("cross-check-exact", "date of birth exact");
      return;
    case TraceDateAgreement::kAsGiven:
    case TraceDateAgreement::kPartial: {
      const char* date = agree == TraceDateAgreement::kAsGiven
                             ? "partial date of birth agrees as given"
                             : "date of birth agrees partially";
      const bool has_names =
          q.value_id(Field::kGivenName, 0) != 0 || q.value_id(Field::kFamilyName, 0) != 0;
      if (has_names) {
        if (NameCheck(q, p)) {
          accept("cross-check-name-check", std::string(date) + "; name check passed");
          return;
        }
        d->evidence.push_back(std::string("cross-check: conflict - ") + date +
                              " but the name check failed");
        return;
      }
      if (OutcodeCheck(q, p)) {
        accept("cross-check-outcode-check", std::string(date) + "; outcode check passed");
        return;
      }
      d->evidence.push_back(std::string("cross-check: conflict - ") + date +
                            " but the outcode check failed");
      return;
    }
    case TraceDateAgreement::kNone:
      d->evidence.push_back("cross-check: conflict - date of birth disagrees");
      return;
  }
}

bool Tracer::Alphanumeric(const RecordSet& q, TraceDecision* d) const {
  const uint32_t qf = q.value_id(Field::kFamilyName, 0);
  const uint16_t qsx = qf != 0 ? q.value(Field::kFamilyName, qf).soundex : uint16_t{0};
  if (qsx == 0 || !q.has_birth_date(0) || q.sex(0) == 0) {
    d->evidence.push_back("alphanumeric: needs family name, year of birth and sex");
    return false;
  }
  auto it = by_soundex_year_.find(SoundexYearKey(qsx, q.birth_date(0).year));
  std::vector<uint32_t> persons;
  if (it != by_soundex_year_.end()) {
    for (uint32_t r : it->second) persons.push_back(rows_.entity(r));
  }
  std::sort(persons.begin(), persons.end());
  persons.erase(std::unique(persons.begin(), persons.end()), persons.end());
  const uint32_t qpc = q.value_id(Field::kPostcode, 0);
  const uint32_t qg = q.value_id(Field::kGivenName, 0);
  const uint16_t qgsx = qg != 0 ? q.value(Field::kGivenName, qg).soundex : uint16_t{0};
  std::vector<uint32_t> survivors;
  for (uint32_t p : persons) {
    const uint32_t first = first_row_[p];
    if (rows_.sex(first) != q.sex(0) || !rows_.has_birth_date(first)) continue;
    const TraceDateAgreement a = CompareForTrace(q.birth_date(0), rows_.birth_date(first));
    if (a != TraceDateAgreement::kExact && a != TraceDateAgreement::kAsGiven) continue;
    bool family_ok = false, postcode_ok = qpc == 0, given_ok = qg == 0;
    for (uint32_t r = first; r < first_row_[p + 1]; ++r) {
      const uint32_t f = rows_.value_id(Field::kFamilyName, r);
      if (f != 0 && rows_.value(Field::kFamilyName, f).soundex == qsx) family_ok = true;
      if (qpc != 0 && rows_.text_of(Field::kPostcode, r) == q.text(Field::kPostcode, qpc)) {
        postcode_ok = true;
      }
      const uint32_t g = rows_.value_id(Field::kGivenName, r);
      if (qg != 0 && g != 0 && qgsx != 0 && rows_.value(Field::kGivenName, g).soundex == qgsx) {
        given_ok = true;
      }
    }
    if (family_ok && postcode_ok && given_ok) survivors.push_back(p);
  }
  if (survivors.size() == 1) {
    const uint32_t p = survivors[0];
    d->outcome = TraceOutcome::kMatched;
    d->automatic = true;
    d->step = TraceStep::kAlphanumeric;
    d->reason = "alphanumeric-unique";
    d->person = p;
    d->nhs_number = nhs_[p];
    d->probability = 1.0;
    d->evidence.push_back(
        "alphanumeric: exactly one person with the same family-name Soundex, sex and date of "
        "birth" +
        std::string(qpc != 0 ? ", postcode" : "") +
        std::string(qg != 0 ? ", given-name Soundex" : "") + " (current or historic)");
    return true;
  }
  d->evidence.push_back(fmt::format("alphanumeric: {} candidates, not unique", survivors.size()));
  return false;
}

void Tracer::Probabilistic(const RecordSet& q, int64_t owner, TraceDecision* d) const {
  std::map<uint32_t, uint32_t> hit_masks;  // person -> bit per block (ordered: deterministic)
  for (size_t k = 0; k < blocks_.size(); ++k) {
    const uint64_t key = BlockKey(blocks_[k], q, 0);
    if (key == 0) continue;
    auto it = block_rows_[k].find(key);
    if (it == block_rows_[k].end()) continue;
    for (uint32_t r : it->second) hit_masks[rows_.entity(r)] |= 1u << k;
  }
  if (owner >= 0) hit_masks.emplace(static_cast<uint32_t>(owner), 0u);
  std::vector<TraceCandidate> cands;
  for (const auto& [p, mask] : hit_masks) {
    TraceCandidate c;
    c.person = p;
    c.blocks_hit = std::popcount(mask);
    cands.push_back(std::move(c));
  }
  std::stable_sort(
      cands.begin(), cands.end(),
      [](const TraceCandidate& x, const TraceCandidate& y) { return x.blocks_hit > y.blocks_hit; });
  if (cands.size() > static_cast<size_t>(options_.max_candidates)) {
    cands.resize(static_cast<size_t>(options_.max_candidates));
  }
  d->step = TraceStep::kProbabilistic;
  if (cands.empty()) {
    d->outcome = TraceOutcome::kNoMatch;
    d->reason = "no-candidates";
    d->evidence.push_back("probabilistic: no candidate shares a block with the query");
    return;
  }
  const ComparisonSet& comps = model_.comparisons();
  uint8_t levels[kMaxComparisons], best_levels[kMaxComparisons];
  for (TraceCandidate& c : cands) {
    double best = -1e300;
    uint32_t best_row = first_row_[c.person];
    for (uint32_t r = first_row_[c.person]; r < first_row_[c.person + 1]; ++r) {
      const double w = model_.Score(q, 0, rows_, r, levels);
      ++d->scored_pairs;
      if (w > best) {
        best = w;
        best_row = r;
        std::copy(levels, levels + comps.size(), best_levels);
      }
    }
    c.weight = best;
    c.probability = FellegiSunterModel::Probability(best);
    for (size_t k = 0; k < comps.size(); ++k) {
      const Field f = comps.spec(k).field;
      if ((f == Field::kGivenName || f == Field::kFamilyName) &&
          comps.spec(k).kind == ComparisonKind::kName &&
          best_levels[k] + size_t{1} == comps.labels(k).size()) {
        c.name_disagrees = true;
      }
      FieldEvidence e;
      e.comparison = comps.spec(k).name;
      e.level = comps.labels(k)[best_levels[k]];
      e.weight = model_.Contribution(k, best_levels, q, 0, rows_, best_row);
      c.fields.push_back(std::move(e));
    }
  }
  std::stable_sort(
      cands.begin(), cands.end(),
      [](const TraceCandidate& x, const TraceCandidate& y) { return x.weight > y.weight; });
  const TraceCandidate& best = cands[0];
  d->weight = best.weight;
  d->probability = best.probability;
  d->person = best.person;
  d->nhs_number = nhs_[best.person];
  const bool has_runner_up = cands.size() > 1;
  if (has_runner_up) d->runner_up_weight = cands[1].weight;
  const bool close = has_runner_up && best.weight - cands[1].weight < options_.min_weight_gap;
  d->evidence.push_back(fmt::format("probabilistic: {} candidates; best weight {:.2f} (p {:.4f})",
                                    cands.size(), best.weight, best.probability));
  if (has_runner_up) {
    d->evidence.push_back(fmt::format("probabilistic: runner-up weight {:.2f}, gap {:.2f} bits",
                                      cands[1].weight, best.weight - cands[1].weight));
  }
  // PDS traces always need a date of birth: without one, the best candidate can only be
  // proposed for clerical review, however strong the other evidence.
  const bool has_date = q.has_birth_date(0);
  // The exception: the best candidate, clear of the runner-up, holds the query's own NHS
  // Number - the number and the demographics agree, so the number stands.
  const bool number_agrees = owner >= 0 && best.person == static_cast<uint32_t>(owner);
  if (!has_date && !number_agrees) {
    d->evidence.push_back("probabilistic: no date of birth in the query, no automatic match");
  }
  // Nor is a candidate whose given or family name disagrees outright (the "else" level:
  // not swapped, a nickname or similar) matched automatically: a shared date of birth and
  // one name is not enough, whatever the model's weights.
  if (best.name_disagrees) {
    d->evidence.push_back("probabilistic: a name disagrees, no automatic match");
  }
  if (has_date && !best.name_disagrees && best.probability >= options_.match_probability &&
      !close) {
    d->outcome = TraceOutcome::kMatched;
    d->automatic = true;
    d->reason = "probabilistic";
  } else if (!has_date && number_agrees && best.probability >= options_.review_probability &&
             !close) {
    d->outcome = TraceOutcome::kMatched;
    d->automatic = true;
    d->reason = "probabilistic-number-agrees";
    d->evidence.push_back(
        "probabilistic: no date of birth; the best candidate holds the query's NHS Number");
  } else if (!has_date && best.probability >= options_.review_probability && !close) {
    d->outcome = TraceOutcome::kReview;
    d->reason = "no-birth-date";
  } else if (close && cands[1].probability >= options_.review_probability) {
    d->outcome = TraceOutcome::kReview;
    d->reason = "ambiguous";
  } else if (best.probability >= options_.review_probability) {
    d->outcome = TraceOutcome::kReview;
    d->reason = close ? "ambiguous" : "below-match-threshold";
  } else {
    d->outcome = TraceOutcome::kNoMatch;
    d->reason = "below-review-threshold";
    d->person = -1;
    d->nhs_number.clear();
  }
  if (cands.size() > 5) cands.resize(5);
  d->candidates = std::move(cands);
}

TraceDecision Tracer::Trace(const PersonRecord& query) const {
  RecordSet q;
  q.Add(query, 0);
  q.UseTermFrequenciesFrom(rows_);
  TraceDecision d;
  int64_t owner = -1;
  CrossCheck(q, &d, &owner);
  if (d.outcome == TraceOutcome::kMatched) return d;
  if (Alphanumeric(q, &d)) return d;
  Probabilistic(q, owner, &d);
  if (owner >= 0 && d.person != owner) {
    d.evidence.push_back("the query's NHS Number belongs to a different index person");
  }
  return d;
}

std::vector<TraceDecision> Tracer::TraceAll(std::span<const PersonRecord> queries,
                                            int threads) const {
  std::vector<TraceDecision> out(queries.size());
  constexpr size_t kChunk = 256;
  const size_t chunks = (queries.size() + kChunk - 1) / kChunk;
  ParallelFor(chunks, threads, [&](size_t c) {
    const size_t end = std::min(queries.size(), (c + 1) * kChunk);
    for (size_t i = c * kChunk; i < end; ++i) out[i] = Trace(queries[i]);
  });
  return out;
}

StatusOr<FellegiSunterModel> EstimateTraceModel(const std::vector<MpiPerson>& mpi,
                                                std::span<const PersonRecord> queries,
                                                const EstimationOptions& options,
                                                EstimationReport* report) {
  RecordSet rs;
  bool query_numbers = false;
  for (const PersonRecord& q : queries) {
    rs.Add(q, 0);
    query_numbers |= !q.get(Field::kNhsNumber).empty();
  }
  for (size_t i = 0; i < mpi.size(); ++i) {
    PersonRecord r = CurrentRecord(mpi[i], i);
    // Queries without numbers: no NHS Number comparison, training or deterministic rule.
    if (!query_numbers) r.get(Field::kNhsNumber).clear();
    rs.Add(r, 1);
  }
  rs.ComputeTermFrequencies();
  // Compare only what tracing compares: names, birth date, sex, postcode, NHS Number.
  std::vector<ComparisonSpec> specs;
  auto present = [&](Field f) { return rs.present_count(f, 0) > 0 && rs.present_count(f, 1) > 0; };
  const bool both = present(Field::kGivenName) && present(Field::kFamilyName);
  for (Field f : {Field::kGivenName, Field::kFamilyName, Field::kBirthDate, Field::kSex,
                  Field::kPostcode, Field::kNhsNumber}) {
    if (present(f)) specs.push_back(DefaultComparison(f, both));
  }
  if (queries.empty() || mpi.empty()) {
    return InvalidArgumentError("tracing model needs queries and index persons");
  }
  return EstimateModel(rs, LinkType::kLinkOnly, ComparisonSet(std::move(specs)), options, report);
}

}  // namespace pioneer::link
