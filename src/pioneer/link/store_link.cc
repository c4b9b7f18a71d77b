#include "pioneer/link/store_link.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/extract_tables.h"
#include "pioneer/store/record_links.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::link {
namespace {

using store::Param;
using store::RowView;

std::string Thousands(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return v < 0 ? "-" + out : out;
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Own NHS Number of a record as the store classified it, refined by tracing.
enum class OwnStatus : uint8_t { kValid, kMissing, kInvalid };

struct RowRef {
  int64_t row_id;
  uint32_t query;  // distinct identifier tuple
  OwnStatus own;
};

// One record that needs a record_links row.
struct LinkRow {
  int64_t row_id = 0;
  std::string own_status;  // missing | invalid | not-in-index | conflict
  const TraceDecision* decision = nullptr;
  std::string traced;  // number linked or proposed ("" none)
  std::string decision_text;
};

StatusOr<std::vector<MpiPerson>> LoadIndex(store::Store& store, int64_t* history_rows) {
  std::vector<MpiPerson> mpi;
  if (!store.HasTable(formats::kMasterIndexTable)) {
    return FailedPreconditionError(
        "the store has no master person index (pds table): ingest pds.csv first");
  }
  std::unordered_map<std::string, uint32_t> by_nhs;
  std::vector<std::pair<std::string, MpiHistory>> history;
  const std::vector<std::string> cols = {"nhs_number",  "nhs_number_status", "record_type",
                                         "family_name", "given_name",        "sex",
                                         "birth_date",  "postcode"};
  PIONEER_RETURN_IF_ERROR(store.Scan(formats::kMasterIndexTable, cols, [&](const RowView& r) {
    if (r.Text(1) != "valid") return;
    if (r.Text(2) == "current") {
      auto [it, inserted] =
          by_nhs.try_emplace(std::string(r.Text(0)), static_cast<uint32_t>(mpi.size()));
      if (!inserted) return;  // a duplicated current row: the first one wins (as the timeline)
      mpi.push_back({std::string(r.Text(0)),
                     std::string(r.Text(3)),
                     std::string(r.Text(4)),
                     std::string(r.Text(5)),
                     std::string(r.Text(6)),
                     std::string(r.Text(7)),
                     {}});
    } else {
      history.emplace_back(
          std::string(r.Text(0)),
          MpiHistory{std::string(r.Text(3)), std::string(r.Text(4)), std::string(r.Text(7))});
    }
  }));
  for (auto& [nhs, h] : history) {
    auto it = by_nhs.find(nhs);
    if (it == by_nhs.end()) continue;  // history without a current row cannot be traced to
    mpi[it->second].history.push_back(std::move(h));
    ++*history_rows;
  }
  return mpi;
}

// Evidence for record_links.evidence. Candidates carry their NHS Number so that a reviewer
// can accept the k-th one; it stays in the store and is never printed.
nlohmann::json EvidenceJson(const TraceDecision& d, const std::vector<MpiPerson>& mpi) {
  nlohmann::json j;
  j["evidence"] = d.evidence;
  if (!std::isnan(d.runner_up_weight)) j["runner_up_weight"] = d.runner_up_weight;
  nlohmann::json cands = nlohmann::json::array();
  for (const TraceCandidate& c : d.candidates) {
    nlohmann::json fields = nlohmann::json::array();
    for (const FieldEvidence& f : c.fields) {
      fields.push_back({{"comparison", f.comparison}, {"level", f.level}, {"weight", f.weight}});
    }
    cands.push_back({{"nhs_number", mpi[c.person].nhs_number},
                     {"blocks_hit", c.blocks_hit},
                     {"weight", c.weight},
                     {"probability", c.probability},
                     {"fields", std::move(fields)}});
  }
  j["candidates"] = std::move(cands);
  return j;
}

}  // namespace

const std::vector<TraceSource>& TraceSources() {
  static const std::vector<TraceSource> kSources = [] {
    using formats::FieldRole;
    std::vector<TraceSource> traceable, others;
    for (const formats::ExtractSpec& e : formats::AllExtracts()) {
      if (!e.person_level || e.table == formats::kMasterIndexTable ||
          e.FieldIndex("nhs_number") < 0) {
        continue;
      }
      TraceSource src{e.table,
                      e.FieldNameWithRole(FieldRole::kGivenName),
                      e.FieldNameWithRole(FieldRole::kFamilyName),
                      e.FieldNameWithRole(FieldRole::kBirthDate),
                      e.FieldNameWithRole(FieldRole::kSex),
                      e.FieldNameWithRole(FieldRole::kPostcode)};
      (src.traceable() ? traceable : others).push_back(src);
    }
    traceable.insert(traceable.end(), others.begin(), others.end());
    return traceable;
  }();
  return kSources;
}

namespace {

// One `pioneer link` run over a store, in the order LinkStore calls its steps.
class StoreLinkRun {
 public:
  StoreLinkRun(store::Store& store, const StoreLinkOptions& options, Progress* progress)
      : store_(store), options_(options), progress_(progress) {
    rep_.match_probability = options.trace.match_probability;
  }

  // 1. The master person index.
  Status LoadMasterIndex();
  // 2. Source records: coverage, and the distinct identifier tuples to trace.
  Status ReadSources();
  // 3. The model (no labels), then tracing.
  Status Trace();
  // 4. Clerical verdicts of earlier reviews.
  Status LoadVerdicts();
  // 5. A decision per record.
  void Decide();
  // 6. Persist, in one transaction.
  Status Persist();

  StoreLinkReport& report() { return rep_; }
  void Stage(std::string_view label, int64_t done = 0) {
    if (progress_) progress_->Update(0, done, label);
  }

 private:
  Status ReadSource(const TraceSource& src);
  LinkRow DecideRow(const RowRef& ref, const std::string& table, SourceLinkCounts& sc,
                    bool* confirmed);
  Status WriteLinkRow(const std::string& table, const LinkRow& lr);

  store::Store& store_;
  const StoreLinkOptions& options_;
  Progress* progress_;
  StoreLinkReport rep_;
  std::vector<MpiPerson> mpi_;
  std::unordered_map<std::string_view, uint32_t> index_by_nhs_;
  std::vector<PersonRecord> queries_;
  std::unordered_map<std::string, uint32_t> query_ids_;
  std::vector<std::vector<RowRef>> source_rows_;  // per traceable source
  std::vector<const TraceSource*> traced_sources_;
  std::vector<TraceDecision> decisions_;
  // (table, row, number) -> accepted?
  std::map<std::tuple<std::string, int64_t, std::string>, bool> verdicts_;
  std::vector<std::vector<LinkRow>> link_rows_;  // per traceable source
};

Status StoreLinkRun::LoadMasterIndex() {
  Stage("reading the master person index (pds)");
  PIONEER_ASSIGN_OR_RETURN(mpi_, LoadIndex(store_, &rep_.index_history_rows));
  if (mpi_.empty()) {
    return FailedPreconditionError(
        "the master person index (pds table) has no current rows: ingest pds.csv first");
  }
  rep_.index_persons = static_cast<int64_t>(mpi_.size());
  for (uint32_t i = 0; i < mpi_.size(); ++i) index_by_nhs_.emplace(mpi_[i].nhs_number, i);
  return OkStatus();
}

Status StoreLinkRun::ReadSources() {
  for (const TraceSource& src : TraceSources()) {
    if (store_.HasTable(src.table)) PIONEER_RETURN_IF_ERROR(ReadSource(src));
  }
  rep_.distinct_queries = static_cast<int64_t>(queries_.size());
  return OkStatus();
}

// Counts a source's rows by the state of their own NHS Number; for a traceable source, also
// collects each row's identifier tuple (one query per distinct tuple).
Status StoreLinkRun::ReadSource(const TraceSource& src) {
  SourceLinkCounts& sc = rep_.sources.emplace_back();
  sc.table = std::string(src.table);
  sc.traceable = src.traceable();
  const std::string rid(store_.dialect().RowIdColumn());
  std::vector<std::string> cols = {rid, "nhs_number", "nhs_number_status"};
  const std::string_view* fields[] = {&src.given_name, &src.family_name, &src.birth_date, &src.sex,
                                      &src.postcode};
  const Field canon[] = {Field::kGivenName, Field::kFamilyName, Field::kBirthDate, Field::kSex,
                         Field::kPostcode};
  if (sc.traceable) {
    for (const std::string_view* f : fields)
      cols.emplace_back(f->empty() ? std::string_view(rid) : *f);
  }
  std::vector<RowRef>* refs = nullptr;
  if (sc.traceable) {
    refs = &source_rows_.emplace_back();
    traced_sources_.push_back(&src);
  }
  std::string key;
  return store_.Scan(src.table, cols, [&](const RowView& r) {
    ++sc.rows;
    if ((sc.rows & 0x3FFF) == 0) Stage(fmt::format("reading {}", src.table), sc.rows);
    const std::string_view status = r.Text(2);
    OwnStatus own = OwnStatus::kValid;
    if (status == store::kNhsValid) {
      ++sc.valid_before;
    } else if (status == store::kNhsMissing) {
      own = OwnStatus::kMissing;
      ++sc.missing;
    } else {
      own = OwnStatus::kInvalid;
      ++sc.invalid;
    }
    if (!sc.traceable) {
      if (own == OwnStatus::kValid) {
        if (!index_by_nhs_.contains(r.Text(1))) ++sc.not_in_index;
        ++sc.confirmed;
        ++sc.covered_after;
      }
      return;
    }
    key.clear();
    if (own == OwnStatus::kValid) key.append(r.Text(1));
    for (int i = 0; i < 5; ++i) {
      key.push_back('\x1f');
      if (!fields[i]->empty()) key.append(r.Text(3 + i));
    }
    auto [it, inserted] = query_ids_.try_emplace(key, static_cast<uint32_t>(queries_.size()));
    if (inserted) {
      PersonRecord q;
      q.id = std::to_string(r.Int(0));
      if (own == OwnStatus::kValid) q.get(Field::kNhsNumber) = std::string(r.Text(1));
      for (int i = 0; i < 5; ++i) {
        if (!fields[i]->empty()) q.get(canon[i]) = std::string(r.Text(3 + i));
      }
      queries_.push_back(std::move(q));
    }
    refs->push_back({r.Int(0), it->second, own});
  });
}

Status StoreLinkRun::Trace() {
  if (queries_.empty() || mpi_.empty()) return OkStatus();
  const auto t_est = std::chrono::steady_clock::now();
  Stage("estimating the model (u from random pairs, m by EM)");
  std::vector<PersonRecord> no_numbers(queries_);
  for (PersonRecord& q : no_numbers) q.get(Field::kNhsNumber).clear();
  PIONEER_ASSIGN_OR_RETURN(
      FellegiSunterModel model,
      EstimateTraceModel(mpi_, no_numbers, options_.estimation, &rep_.estimation));
  rep_.model = model;
  rep_.model_estimated = true;
  rep_.estimate_seconds = Since(t_est);
  const auto t_trace = std::chrono::steady_clock::now();
  Stage("indexing the master person index");
  PIONEER_ASSIGN_OR_RETURN(Tracer tracer, Tracer::Create(mpi_, std::move(model), options_.trace));
  decisions_.resize(queries_.size());
  constexpr size_t kSlice = 8192;
  if (progress_) progress_->Start(static_cast<int64_t>(queries_.size()));
  for (size_t b = 0; b < queries_.size(); b += kSlice) {
    const size_t e = std::min(queries_.size(), b + kSlice);
    std::vector<TraceDecision> part = tracer.TraceAll(
        std::span<const PersonRecord>(queries_).subspan(b, e - b), options_.threads);
    std::move(part.begin(), part.end(), decisions_.begin() + static_cast<std::ptrdiff_t>(b));
    if (progress_) {
      progress_->Update(
          static_cast<int64_t>(e), static_cast<int64_t>(e),
          fmt::format("tracing {} of {} distinct records", Thousands(static_cast<int64_t>(e)),
                      Thousands(static_cast<int64_t>(queries_.size()))));
    }
  }
  rep_.trace_seconds = Since(t_trace);
  for (const TraceDecision& d : decisions_) rep_.scored_pairs += d.scored_pairs;
  return OkStatus();
}

Status StoreLinkRun::LoadVerdicts() {
  return store_.Query("SELECT source_table, row_id, nhs_number, verdict FROM link_reviews", {},
                      [&](const RowView& r) {
                        verdicts_[{std::string(r.Text(0)), r.Int(1), std::string(r.Text(2))}] =
                            r.Text(3) == "accepted";
                      });
}

void StoreLinkRun::Decide() {
  link_rows_.assign(traced_sources_.size(), {});
  size_t sc_index = 0;
  for (size_t s = 0; s < traced_sources_.size(); ++s) {
    while (rep_.sources[sc_index].table != traced_sources_[s]->table) ++sc_index;
    SourceLinkCounts& sc = rep_.sources[sc_index];
    const std::string table(traced_sources_[s]->table);
    for (const RowRef& ref : source_rows_[s]) {
      bool confirmed = false;
      LinkRow lr = DecideRow(ref, table, sc, &confirmed);
      if (!confirmed) link_rows_[s].push_back(std::move(lr));
    }
  }
}

// One record's decision. A valid own number the trace confirms needs no record_links row
// (*confirmed). Reviewer verdicts come first: an accepted candidate wins; a rejected proposal
// blocks.
LinkRow StoreLinkRun::DecideRow(const RowRef& ref, const std::string& table, SourceLinkCounts& sc,
                                bool* confirmed) {
  const TraceDecision& d = decisions_[ref.query];
  const std::string& own_number = queries_[ref.query].get(Field::kNhsNumber);
  LinkRow lr;
  if (ref.own == OwnStatus::kMissing) {
    lr.own_status = "missing";
  } else if (ref.own == OwnStatus::kInvalid) {
    lr.own_status = "invalid";
  } else if (d.outcome == TraceOutcome::kMatched && d.nhs_number == own_number) {
    ++sc.confirmed;
    ++sc.covered_after;
    *confirmed = true;
    return lr;
  } else if (!index_by_nhs_.contains(own_number)) {
    lr.own_status = "not-in-index";
    ++sc.not_in_index;
  } else {
    lr.own_status = "conflict";
    ++sc.conflict;
  }
  lr.row_id = ref.row_id;
  lr.decision = &d;
  ++rep_.by_step[static_cast<int>(d.step)];
  if (d.step == TraceStep::kProbabilistic && !d.candidates.empty()) {
    rep_.histogram.Add(d.candidates[0].weight);
  }
  auto verdict = [&](const std::string& nhs) -> int {
    auto it = verdicts_.find({table, ref.row_id, nhs});
    return it == verdicts_.end() ? -1 : (it->second ? 1 : 0);
  };
  std::string accepted_number;
  if (!d.nhs_number.empty() && verdict(d.nhs_number) == 1) accepted_number = d.nhs_number;
  for (const TraceCandidate& c : d.candidates) {
    if (accepted_number.empty() && verdict(mpi_[c.person].nhs_number) == 1) {
      accepted_number = mpi_[c.person].nhs_number;
    }
  }
  if (!accepted_number.empty()) {
    lr.traced = accepted_number;
    lr.decision_text = "accepted";
    ++sc.accepted;
  } else if (!d.nhs_number.empty() && verdict(d.nhs_number) == 0) {
    lr.traced = d.nhs_number;
    lr.decision_text = "rejected";
    ++sc.rejected;
  } else if (d.outcome == TraceOutcome::kMatched) {
    lr.traced = d.nhs_number;
    lr.decision_text = "automatic";
    ++sc.automatic;
  } else if (d.outcome == TraceOutcome::kReview) {
    lr.traced = d.nhs_number;
    lr.decision_text = "review";
    ++sc.review;
  } else {
    lr.decision_text = "unmatched";
    ++sc.unmatched;
  }
  const bool usable = store::IsUsableLinkDecision(lr.decision_text) && !lr.traced.empty();
  if (usable || ref.own == OwnStatus::kValid) ++sc.covered_after;
  return lr;
}

Status StoreLinkRun::WriteLinkRow(const std::string& table, const LinkRow& lr) {
  const TraceDecision& d = *lr.decision;
  const Param p[] = {Param::Of(table),
                     Param::Of(lr.row_id),
                     Param::Of(lr.own_status),
                     lr.traced.empty() ? Param::Null() : Param::Of(lr.traced),
                     Param::Of(static_cast<int64_t>(d.step)),
                     Param::Of(TraceOutcomeName(d.outcome)),
                     Param::Of(lr.decision_text),
                     std::isnan(d.weight) ? Param::Null() : Param::Of(d.weight),
                     std::isnan(d.probability) ? Param::Null() : Param::Of(d.probability),
                     Param::Of(d.reason.empty() ? std::string("no-trace") : d.reason),
                     Param::Of(EvidenceJson(d, mpi_).dump()),
                     Param::Of(rep_.run_id)};
  return store_
      .Execute(
          "INSERT INTO record_links(source_table, row_id, own_number_status, "
          "traced_nhs_number, mps_step, outcome, decision, match_weight, "
          "match_probability, reason_code, evidence, run_id) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) "
          "ON CONFLICT(source_table, row_id) DO UPDATE SET "
          "own_number_status = excluded.own_number_status, "
          "traced_nhs_number = excluded.traced_nhs_number, "
          "mps_step = excluded.mps_step, outcome = excluded.outcome, "
          "decision = excluded.decision, match_weight = excluded.match_weight, "
          "match_probability = excluded.match_probability, "
          "reason_code = excluded.reason_code, evidence = excluded.evidence, "
          "run_id = excluded.run_id",
          p)
      .status();
}

// A link_runs row, this run's record_links (replacing every earlier run's), and the run's
// totals, all or nothing.
Status StoreLinkRun::Persist() {
  Stage("writing record_links");
  const auto t_write = std::chrono::steady_clock::now();
  const nlohmann::json model_json =
      rep_.model_estimated ? rep_.model.ToJson() : nlohmann::json::object();
  PIONEER_RETURN_IF_ERROR(store_.InTransaction([&]() -> Status {
    const Param run_params[] = {Param::Of(store::UtcNowIso8601()),
                                Param::Of(options_.pioneer_version), Param::Of(model_json.dump())};
    PIONEER_RETURN_IF_ERROR(
        store_
            .Execute("INSERT INTO link_runs(started_at, pioneer_version, model_json) "
                     "VALUES(?1, ?2, ?3)",
                     run_params)
            .status());
    rep_.run_id = store_.LastInsertId();
    int64_t written = 0, checked = 0, traced = 0, automatic = 0, accepted = 0, review = 0,
            unmatched = 0;
    for (const SourceLinkCounts& sc : rep_.sources) {
      checked += sc.rows;
      automatic += sc.automatic;
      accepted += sc.accepted;
      review += sc.review;
      unmatched += sc.unmatched + sc.rejected;
    }
    for (size_t s = 0; s < traced_sources_.size(); ++s) {
      const std::string table(traced_sources_[s]->table);
      for (const LinkRow& lr : link_rows_[s]) {
        ++traced;
        PIONEER_RETURN_IF_ERROR(WriteLinkRow(table, lr));
        if ((++written & 0x3FFF) == 0) Stage("writing record_links", written);
      }
    }
    const Param del[] = {Param::Of(rep_.run_id)};
    PIONEER_RETURN_IF_ERROR(
        store_.Execute("DELETE FROM record_links WHERE run_id <> ?1", del).status());
    const Param fin[] = {Param::Of(store::UtcNowIso8601()),
                         Param::Of(checked),
                         Param::Of(traced),
                         Param::Of(automatic),
                         Param::Of(accepted),
                         Param::Of(review),
                         Param::Of(unmatched),
                         Param::Of(rep_.run_id)};
    return store_
        .Execute(
            "UPDATE link_runs SET finished_at = ?1, records_checked = ?2, "
            "records_traced = ?3, automatic = ?4, accepted = ?5, review = ?6, "
            "unmatched = ?7 WHERE run_id = ?8",
            fin)
        .status();
  }));
  rep_.write_seconds = Since(t_write);
  return OkStatus();
}

}  // namespace

StatusOr<StoreLinkReport> LinkStore(store::Store& store, const StoreLinkOptions& options,
                                    Progress* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!store.HasTable("record_links")) {
    return FailedPreconditionError("the store has no linkage tables (schema version < 2)");
  }
  if (progress) progress->Start(0);
  StoreLinkRun run(store, options, progress);
  PIONEER_RETURN_IF_ERROR(run.LoadMasterIndex());
  PIONEER_RETURN_IF_ERROR(run.ReadSources());
  run.report().read_seconds = Since(t0);
  run.report().threads = options.threads;
  PIONEER_RETURN_IF_ERROR(run.Trace());
  PIONEER_RETURN_IF_ERROR(run.LoadVerdicts());
  run.Decide();
  PIONEER_RETURN_IF_ERROR(run.Persist());
  if (progress) progress->Finish();
  StoreLinkReport rep = std::move(run.report());
  rep.seconds = Since(t0);
  return rep;
}

std::string ModelTableText(const FellegiSunterModel& model) {
  std::string out;
  const ComparisonSet& comps = model.comparisons();
  out += fmt::format("  {:<14} {:<14} {:>9} {:>11} {:>8}\n", "comparison", "level", "m", "u",
                     "weight");
  for (size_t c = 0; c < comps.size(); ++c) {
    const ComparisonParameters& p = model.params()[c];
    for (int l = 1; l < comps.level_count(c); ++l) {
      const auto li = static_cast<size_t>(l);
      out += fmt::format("  {:<14} {:<14} {:>9.5f} {:>11.3e} {:>+8.2f}{}\n",
                         l == 1 ? comps.spec(c).name : "", comps.labels(c)[li], p.m[li], p.u[li],
                         model.weight(c, l),
                         l == kExactLevel && comps.spec(c).term_frequency ? "  +TF" : "");
    }
  }
  return out;
}

std::string WeightHistogramText(const WeightHistogram& histogram, double tw) {
  std::string out;
  const auto& h = histogram.counts;
  int lo = -1, hi = -1;
  for (int i = 0; i < WeightHistogram::kBins; ++i) {
    if (h[static_cast<size_t>(i)] == 0) continue;
    if (lo < 0) lo = i;
    hi = i;
  }
  if (lo < 0) return "  (nothing scored)\n";
  const int width = std::max(1, (hi - lo + 24) / 24);
  lo = WeightHistogram::kMin + lo;
  lo = lo - ((lo % width) + width) % width;
  hi = WeightHistogram::kMin + hi + 1;
  std::vector<std::pair<int, int64_t>> rows;
  int64_t peak = 0;
  for (int from = lo; from < hi; from += width) {
    int64_t n = 0;
    for (int w = from; w < from + width; ++w) {
      const int i = w - WeightHistogram::kMin;
      if (i >= 0 && i < WeightHistogram::kBins) n += h[static_cast<size_t>(i)];
    }
    rows.emplace_back(from, n);
    peak = std::max(peak, n);
  }
  out += fmt::format(
      "  ({}-bit bins; bar length ~ log10 count; > marks the automatic-match "
      "threshold, weight {:.2f})\n",
      width, tw);
  for (const auto& [from, n] : rows) {
    const int len = n == 0 ? 0
                           : 1 + static_cast<int>(std::round(
                                     39.0 * std::log10(static_cast<double>(n)) /
                                     std::max(1.0, std::log10(static_cast<double>(peak)))));
    const bool at_threshold = tw >= from && tw < from + width;
    const std::string label = from == WeightHistogram::kMin ? fmt::format("< {}", from + width)
                              : from + width >= WeightHistogram::kMin + WeightHistogram::kBins
                                  ? fmt::format(">= {}", from)
                                  : fmt::format("{}..{}", from, from + width);
    out += fmt::format("  {:>9} {}{:<41}{:>12}\n", label, at_threshold ? ">" : " ",
                       std::string(static_cast<size_t>(len), '#'), Thousands(n));
  }
  return out;
}

std::string StoreLinkReportText(const StoreLinkReport& r) {
  std::string out;
  auto line = [&out](const std::string& s) {
    out += s;
    out += '\n';
  };
  auto pct = [](int64_t n, int64_t d) {
    return d > 0 ? 100.0 * static_cast<double>(n) / static_cast<double>(d) : 0.0;
  };
  line(
      fmt::format("pioneer link: run {} traced against a master person index of {} persons "
                  "({} history rows); {} distinct identifier sets traced",
                  r.run_id, Thousands(r.index_persons), Thousands(r.index_history_rows),
                  Thousands(r.distinct_queries)));
  line("");
  line("NHS Number coverage per source (records with a usable NHS Number):");
  line(fmt::format("  {:<20} {:>10} {:>9} {:>9}  {}", "source", "records", "before", "after",
                   "note"));
  for (const SourceLinkCounts& s : r.sources) {
    line(fmt::format("  {:<20} {:>10} {:>8.2f}% {:>8.2f}%  {}", s.table, Thousands(s.rows),
                     100 * s.coverage_before(), 100 * s.coverage_after(),
                     s.traceable ? "traced" : "no names or date of birth: gaps cannot be traced"));
  }
  line("");
  line(
      "decisions (records whose NHS Number was missing, invalid, not in the index or failed "
      "the cross-check):");
  line(fmt::format("  {:<20} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}", "source",
                   "missing", "invalid", "not-in-ix", "conflict", "automatic", "accepted", "review",
                   "rejected", "unmatched"));
  for (const SourceLinkCounts& s : r.sources) {
    if (!s.traceable) continue;
    line(fmt::format("  {:<20} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9} {:>9} {:>9} {:>9}", s.table,
                     Thousands(s.missing), Thousands(s.invalid), Thousands(s.not_in_index),
                     Thousands(s.conflict), Thousands(s.automatic), Thousands(s.accepted),
                     Thousands(s.review), Thousands(s.rejected), Thousands(s.unmatched)));
    const int64_t needing = s.rows - s.confirmed;
    line(
        fmt::format("    {} of {} records needing a trace linked ({:.1f}%); {} confirmed as "
                    "they stand",
                    Thousands(s.automatic + s.accepted), Thousands(needing),
                    pct(s.automatic + s.accepted, needing), Thousands(s.confirmed)));
  }
  line(fmt::format("  by MPS step: cross-check {}, alphanumeric {}, probabilistic {}, none {}",
                   Thousands(r.by_step[1]), Thousands(r.by_step[3]), Thousands(r.by_step[4]),
                   Thousands(r.by_step[0])));
  line("");
  if (r.model_estimated) {
    const EstimationReport& e = r.estimation;
    std::string sessions;
    for (const EmSession& es : e.sessions) {
      if (!sessions.empty()) sessions += "; ";
      sessions += fmt::format("{} ({} pairs, {} iterations{})", es.rule, Thousands(es.pairs),
                              es.iterations, es.converged ? "" : ", not converged");
    }
    line(
        fmt::format("model (estimated without labels): u from {} {} pairs; m by EM on pairs "
                    "blocked by: {}",
                    Thousands(e.u_pairs), e.u_exhaustive ? "(all)" : "random", sessions));
    line(fmt::format("  lambda = {:.4g} (prior weight {:+.2f})", r.model.lambda(),
                     r.model.prior_weight()));
    out += ModelTableText(r.model);
    line("");
    line("match weight of the best candidate, records decided by probabilistic matching:");
    out += WeightHistogramText(r.histogram,
                               FellegiSunterModel::WeightForProbability(r.match_probability));
  }
  const double pps =
      r.trace_seconds > 0 ? static_cast<double>(r.scored_pairs) / r.trace_seconds : 0.0;
  line(
      fmt::format("time: {:.2f} s (read {:.2f}, estimate {:.2f}, trace {:.2f} on {} thread(s): "
                  "{} record/index pairs scored, {:.0f} pairs/s; write {:.2f})",
                  r.seconds, r.read_seconds, r.estimate_seconds, r.trace_seconds, r.threads,
                  Thousands(r.scored_pairs), pps, r.write_seconds));
  return out;
}

nlohmann::json StoreLinkReportJson(const StoreLinkReport& r) {
  nlohmann::json j;
  j["run_id"] = r.run_id;
  j["index_persons"] = r.index_persons;
  j["index_history_rows"] = r.index_history_rows;
  j["distinct_queries"] = r.distinct_queries;
  nlohmann::json sources = nlohmann::json::array();
  for (const SourceLinkCounts& s : r.sources) {
    sources.push_back({{"table", s.table},
                       {"traceable", s.traceable},
                       {"records", s.rows},
                       {"valid_before", s.valid_before},
                       {"covered_after", s.covered_after},
                       {"coverage_before", s.coverage_before()},
                       {"coverage_after", s.coverage_after()},
                       {"missing", s.missing},
                       {"invalid", s.invalid},
                       {"not_in_index", s.not_in_index},
                       {"conflict", s.conflict},
                       {"confirmed", s.confirmed},
                       {"automatic", s.automatic},
                       {"accepted", s.accepted},
                       {"review", s.review},
                       {"rejected", s.rejected},
                       {"unmatched", s.unmatched}});
  }
  j["sources"] = std::move(sources);
  j["by_step"] = {{"none", r.by_step[0]},
                  {"cross_check", r.by_step[1]},
                  {"alphanumeric", r.by_step[3]},
                  {"probabilistic", r.by_step[4]}};
  if (r.model_estimated) j["model"] = r.model.ToJson();
  nlohmann::json hist = nlohmann::json::array();
  for (int i = 0; i < WeightHistogram::kBins; ++i) {
    const int64_t n = r.histogram.counts[static_cast<size_t>(i)];
    if (n > 0) hist.push_back({{"weight_from", WeightHistogram::kMin + i}, {"records", n}});
  }
  j["match_weight_histogram"] = std::move(hist);
  j["seconds"] = r.seconds;
  j["timing"] = {
      {"read_seconds", r.read_seconds},
      {"estimate_seconds", r.estimate_seconds},
      {"trace_seconds", r.trace_seconds},
      {"write_seconds", r.write_seconds},
      {"threads", r.threads},
      {"scored_pairs", r.scored_pairs},
      {"scored_pairs_per_second",
       r.trace_seconds > 0 ? static_cast<double>(r.scored_pairs) / r.trace_seconds : 0.0}};
  return j;
}

}  // namespace pioneer::link
