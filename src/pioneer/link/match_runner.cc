#include "pioneer/link/match_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

namespace pioneer::link {
namespace {

using Clock = std::chrono::steady_clock;
double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// RFC 4180 quoting when needed.
std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string Thousands(int64_t v) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return v < 0 ? "-" + out : out;
}

struct FileCloser {
  void operator()(std::FILE* f) const {
    if (f) std::fclose(f);
  }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

StatusOr<File> OpenForWrite(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return UnavailableError(fmt::format("{}: cannot open for writing", path));
  return File(f);
}

Status CloseChecked(File f, const std::string& path) {
  std::FILE* raw = f.release();
  const bool bad = std::ferror(raw) != 0;
  if (std::fclose(raw) != 0 || bad) return UnavailableError(fmt::format("{}: write failed", path));
  return OkStatus();
}

}  // namespace

StatusOr<MatchSummary> RunMatch(const MatchOptions& o, Progress* progress) {
  MatchSummary s;
  if (o.inputs.empty() || o.inputs.size() > 2) {
    return InvalidArgumentError("give one input file with --dedupe, or two files to link");
  }
  if (o.inputs.size() == 1 && !o.dedupe) {
    return InvalidArgumentError("one input file: add --dedupe to find duplicates within it");
  }
  if (o.inputs.size() == 2 && o.dedupe) {
    return InvalidArgumentError("--dedupe takes one input file");
  }
  if (o.out_path.empty()) return InvalidArgumentError("--out FILE is required");
  if (!(o.threshold > 0 && o.threshold < 1)) {
    return InvalidArgumentError("--threshold must be a probability in (0, 1)");
  }
  if (!(o.review_threshold > 0 && o.review_threshold <= o.threshold)) {
    return InvalidArgumentError("--review-threshold must be in (0, --threshold]");
  }
  if (o.window < 1) return InvalidArgumentError("--window must be at least 1");
  if (o.threads < 1) return InvalidArgumentError("--threads must be at least 1");
  if (!o.truth_column.empty() && o.truth_from_id) {
    return InvalidArgumentError("give --truth or --truth-from-id, not both");
  }

  PIONEER_ASSIGN_OR_RETURN(ColumnMap map, ParseColumnMap(o.map));
  map.id_column = o.id_column;
  map.truth_column = o.truth_column;
  std::vector<BlockingRule> rules;
  for (const std::string& text : o.blocking_rules) {
    PIONEER_ASSIGN_OR_RETURN(BlockingRule r, ParseBlockingRule(text));
    rules.push_back(std::move(r));
  }

  // Load.
  const auto t_load = Clock::now();
  RecordSet records;
  for (size_t i = 0; i < o.inputs.size(); ++i) {
    LoadedInput info;
    if (progress) progress->Update(0, 0, "reading " + o.inputs[i]);
    PIONEER_RETURN_IF_ERROR(
        LoadCsvRecords(o.inputs[i], map, static_cast<uint8_t>(i), &records, &info));
    if (info.rows == 0) return InvalidArgumentError(fmt::format("{}: no records", o.inputs[i]));
    s.inputs.push_back(std::move(info));
  }
  s.records = records.size();
  s.load_seconds = Since(t_load);

  // Link.
  LinkSettings& st = s.settings;
  st.type = o.dedupe ? LinkType::kDedupe : LinkType::kLinkOnly;
  st.prediction_rules = rules;
  st.window = o.window;
  st.threads = o.threads;
  st.match_probability = o.threshold;
  st.review_probability = o.review_threshold;
  st.max_cluster_size = o.max_cluster_size;
  st.min_bridge_share = o.min_bridge_share;
  st.birth_date_conflict_bits = o.birth_date_conflict_bits;
  st.estimation.u_max_pairs = o.u_max_pairs;
  st.estimation.seed = o.seed;
  st.estimation.deterministic_recall = o.deterministic_recall;
  PIONEER_ASSIGN_OR_RETURN(s.result, LinkRecords(records, st, progress));

  // Write.
  const auto t_write = Clock::now();
  const LinkResult& r = s.result;
  const ComparisonSet& comps = r.model.comparisons();
  {
    PIONEER_ASSIGN_OR_RETURN(File f, OpenForWrite(o.out_path));
    std::string header = "id_l,id_r,match_weight,match_probability,decision";
    for (size_t c = 0; c < comps.size(); ++c) {
      header += ',';
      header += CsvField(comps.spec(c).name);
    }
    fmt::print(f.get(), "{}\n", header);
    uint8_t levels[kMaxComparisons];
    std::string line;
    for (const ScoredPair& p : r.prediction.pairs) {
      const PairDecision d = r.Decide(p, st);
      if (d == PairDecision::kMatch) ++s.matches;
      if (d == PairDecision::kReview) ++s.reviews;
      comps.Levels(records, p.a, records, p.b, levels);
      line.clear();
      fmt::format_to(std::back_inserter(line), "{},{},{:.4f},{:.6f},{}", CsvField(records.id(p.a)),
                     CsvField(records.id(p.b)), p.weight, FellegiSunterModel::Probability(p.weight),
                     PairDecisionName(d));
      for (size_t c = 0; c < comps.size(); ++c) {
        line.push_back(',');
        line += comps.labels(c)[levels[c]];
      }
      line.push_back('\n');
      std::fwrite(line.data(), 1, line.size(), f.get());
    }
    PIONEER_RETURN_IF_ERROR(CloseChecked(std::move(f), o.out_path));
  }
  if (!o.clusters_path.empty()) {
    PIONEER_ASSIGN_OR_RETURN(File f, OpenForWrite(o.clusters_path));
    const bool link = st.type == LinkType::kLinkOnly;
    fmt::print(f.get(), "{}\n", link ? "file,id,cluster_id" : "id,cluster_id");
    for (uint32_t i = 0; i < records.size(); ++i) {
      if (link) {
        fmt::print(f.get(), "{},{},{}\n", records.source(i) + 1, CsvField(records.id(i)),
                   r.clustering.cluster_of[i]);
      } else {
        fmt::print(f.get(), "{},{}\n", CsvField(records.id(i)), r.clustering.cluster_of[i]);
      }
    }
    PIONEER_RETURN_IF_ERROR(CloseChecked(std::move(f), o.clusters_path));
  }
  if (!o.model_out_path.empty()) {
    PIONEER_ASSIGN_OR_RETURN(File f, OpenForWrite(o.model_out_path));
    fmt::print(f.get(), "{}\n", r.model.ToJson().dump(2));
    PIONEER_RETURN_IF_ERROR(CloseChecked(std::move(f), o.model_out_path));
  }
  s.write_seconds = Since(t_write);

  // Evaluate.
  if (!o.truth_column.empty() || o.truth_from_id) {
    std::vector<std::string> truth_text;
    if (o.truth_from_id) {
      for (uint32_t i = 0; i < records.size(); ++i) {
        const std::string& id = records.id(i);
        const size_t b = id.find_first_of("0123456789");
        const size_t e = b == std::string::npos ? b : id.find_first_not_of("0123456789", b);
        // No digits: the record is its own entity.
        truth_text.push_back(b == std::string::npos ? "#" + id : id.substr(b, e - b));
      }
    } else {
      for (const LoadedInput& in : s.inputs) {
        truth_text.insert(truth_text.end(), in.truth.begin(), in.truth.end());
      }
    }
    const std::vector<int64_t> truth = LabelsFromStrings(truth_text);
    const std::vector<uint8_t> sources = SourcesOf(records, st.type);
    std::vector<RecordPair> predicted;
    const double tw = FellegiSunterModel::WeightForProbability(o.threshold);
    for (const ScoredPair& p : r.prediction.pairs) {
      if (p.weight >= tw) predicted.emplace_back(p.a, p.b);
    }
    s.pairwise = EvaluatePairs(predicted, truth, sources);
    s.cluster_pairwise =
        EvaluatePairs(PairsFromClusters(r.clustering.cluster_of, sources), truth, sources);
    const BlockIndex index(records, r.prediction_rules, st.type, st.window,
                           std::max(1, st.threads) * 32);
    s.blocking_coverage = EvaluateBlockingCoverage(index, truth, sources);
    s.cluster_metrics = EvaluateClusters(r.clustering.cluster_of, truth);
    s.evaluated = true;
  }
  return s;
}

namespace {

// Appends one line of the summary.
void Line(std::string& out, std::string_view text) {
  out += text;
  out += '\n';
}

// The inputs, the field mapping and what was not understood.
void InputsSection(const MatchSummary& s, std::string& out) {
  const LinkResult& r = s.result;
  const LinkSettings& st = s.settings;
  const EstimationReport& e = r.estimation;
  const bool link = st.type == LinkType::kLinkOnly;
  std::string files;
  for (const LoadedInput& in : s.inputs) {
    if (!files.empty()) files += " + ";
    files += fmt::format("{} ({} records)", in.path, Thousands(in.rows));
  }
  Line(out, fmt::format("pioneer match: {} of {}", link ? "link-only" : "dedupe", files));
  if (!s.inputs.empty()) {
    std::string mapping;
    for (const auto& [f, cols] : s.inputs[0].mapping) {
      if (!mapping.empty()) mapping += ", ";
      mapping += fmt::format("{} <- {}", FieldName(f), cols);
    }
    Line(out, fmt::format("fields: {}; ids: {}", mapping,
                          s.inputs[0].id_column.empty() ? "line numbers" : s.inputs[0].id_column));
  }
  for (const LoadedInput& in : s.inputs) {
    for (const FieldIssue& is : in.unparsed) {
      Line(out, fmt::format("warning: {}: {} {} value(s) not understood (first at line {}, column "
                            "{}); treated as missing",
                            in.path, Thousands(is.count), FieldName(is.field), is.first_line,
                            is.first_column));
    }
  }
  for (const std::string& w : e.warnings) Line(out, "warning: " + w);
  Line(out, "");
}

// Blocking: pairs per rule, the recall ceiling, scoring speed.
void BlockingSection(const MatchSummary& s, std::string& out) {
  const LinkResult& r = s.result;
  const LinkSettings& st = s.settings;
  const EstimationReport& e = r.estimation;
  // Blocking.
  Line(out,
       fmt::format("blocking (window {} per rule; a record meets at most {} candidates per rule):",
                   st.window, 2 * st.window));
  Line(out, fmt::format("  {:<48} {:>12} {:>9} {:>7} {:>8}", "rule", "pairs", "blocks", "capped",
                        "largest"));
  for (size_t i = 0; i < r.prediction_rules.size(); ++i) {
    const BlockingStats& b = r.blocking[i];
    Line(out, fmt::format("  {:<48} {:>12} {:>9} {:>7} {:>8}", r.prediction_rules[i].ToString(),
                          Thousands(r.prediction.pairs_per_rule[i]), Thousands(b.blocks),
                          Thousands(b.capped_blocks), Thousands(b.largest_block)));
  }
  const double share = e.possible_pairs > 0
                           ? 100.0 * static_cast<double>(r.prediction.scored_pairs) /
                                 static_cast<double>(e.possible_pairs)
                           : 0.0;
  Line(out, fmt::format("  {} candidate pairs scored, {:.4f}% of {} possible (counted before "
                        "scoring: {} over all rules)",
                        Thousands(r.prediction.scored_pairs), share, Thousands(e.possible_pairs),
                        Thousands(r.candidate_pairs_estimate)));
  Line(out, fmt::format("  recall ceiling of blocking, estimated without labels: {:.4f} (expected "
                        "matches among the scored pairs / lambda x possible pairs)",
                        r.estimated_recall_ceiling));
  if (s.evaluated) {
    Line(out,
         fmt::format("  recall ceiling measured against truth: {:.4f} ({} of {} true pairs "
                     "generated)",
                     s.blocking_coverage.recall_ceiling, Thousands(s.blocking_coverage.generated),
                     Thousands(s.blocking_coverage.true_pairs)));
  }
  const double secs = std::max(r.prediction.seconds, 1e-9);
  const double pps = static_cast<double>(r.prediction.scored_pairs) / secs;
  Line(out,
       fmt::format("scoring: {:.3f} s, {:.0f} pairs/s on {} thread(s) ({:.0f} pairs/s per thread)",
                   r.prediction.seconds, pps, st.threads, pps / std::max(1, st.threads)));
  Line(out, "");
}

// The Fellegi-Sunter model: u and m, lambda, weights per level (and per household stratum).
void ModelSection(const MatchSummary& s, std::string& out) {
  const LinkResult& r = s.result;
  const EstimationReport& e = r.estimation;
  const ComparisonSet& comps = r.model.comparisons();
  // Model.
  std::string sessions;
  for (const EmSession& es : e.sessions) {
    if (!sessions.empty()) sessions += "; ";
    sessions += fmt::format("{} ({} pairs, {} iterations{})", es.rule, Thousands(es.pairs),
                            es.iterations, es.converged ? "" : ", not converged");
  }
  Line(out, fmt::format("model: u from {} {} pairs; m by EM on pairs blocked by: {}",
                        Thousands(e.u_pairs), e.u_exhaustive ? "(all)" : "random", sessions));
  Line(out, fmt::format("  lambda = {:.4g} = {} deterministic pairs / recall {:.3f} / {} possible "
                        "pairs (prior weight {:+.2f})",
                        r.model.lambda(), Thousands(e.deterministic_pairs), e.deterministic_recall,
                        Thousands(e.possible_pairs), r.model.prior_weight()));
  Line(out, fmt::format("  {:<14} {:<14} {:>9} {:>11} {:>8}", "comparison", "level", "m", "u",
                        "weight"));
  for (size_t c = 0; c < comps.size(); ++c) {
    const ComparisonParameters& p = r.model.params()[c];
    for (int l = 1; l < comps.level_count(c); ++l) {
      const auto li = static_cast<size_t>(l);
      Line(out, fmt::format("  {:<14} {:<14} {:>9.5f} {:>11.3e} {:>+8.2f}{}",
                            l == 1 ? comps.spec(c).name : "", comps.labels(c)[li], p.m[li], p.u[li],
                            r.model.weight(c, l),
                            l == kExactLevel && comps.spec(c).term_frequency ? "  +TF" : ""));
    }
  }
  if (const LocationStrata& st = r.model.strata(); st.active()) {
    // Household-aware u: what the other comparisons weigh when the location agrees.
    std::string head = fmt::format(
        "  {:<14} {:<14}", "given " + comps.spec(static_cast<size_t>(st.comparison)).name, "level");
    for (const std::string& n : st.names)
      head += fmt::format(" {:>11} {:>8}", "u|" + n.substr(5), "weight");
    Line(out, fmt::format("  u given the location level (household strata; no TF): {}", [&] {
           std::string t;
           for (size_t k = 0; k < st.names.size(); ++k) {
             if (k) t += ", ";
             t += st.names[k] + " =";
             for (size_t l = 0; l < st.stratum_of_level.size(); ++l) {
               if (st.stratum_of_level[l] == k + 1) {
                 t += " " + comps.labels(static_cast<size_t>(st.comparison))[l];
               }
             }
           }
           return t;
         }()));
    Line(out, head);
    for (size_t c = 0; c < comps.size(); ++c) {
      if (static_cast<int>(c) == st.comparison) continue;
      for (int l = 1; l < comps.level_count(c); ++l) {
        const auto li = static_cast<size_t>(l);
        std::string row =
            fmt::format("  {:<14} {:<14}", l == 1 ? comps.spec(c).name : "", comps.labels(c)[li]);
        for (size_t k = 0; k < st.u.size(); ++k) {
          row += fmt::format(" {:>11.3e} {:>+8.2f}", st.u[k][c][li],
                             r.model.stratum_weight(static_cast<int>(k + 1), c, l));
        }
        Line(out, row);
      }
    }
  }
}

// Histogram of match weights: 1-bit bins merged into at most ~24 display rows.
void HistogramSection(const MatchSummary& s, std::string& out) {
  const LinkResult& r = s.result;
  const LinkSettings& st = s.settings;
  const auto& h = r.prediction.histogram.counts;
  int lo = -1, hi = -1;
  for (int i = 0; i < WeightHistogram::kBins; ++i) {
    if (h[static_cast<size_t>(i)] == 0) continue;
    if (lo < 0) lo = i;
    hi = i;
  }
  if (lo >= 0) {
    const int width = std::max(1, (hi - lo + 24) / 24);
    lo = WeightHistogram::kMin + lo;
    lo = lo - ((lo % width) + width) % width;  // align rows to multiples of width
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
    const double tw = FellegiSunterModel::WeightForProbability(st.match_probability);
    Line(out, fmt::format("match weight histogram of scored pairs ({}-bit bins; bar length ~ log10 "
                          "count; > marks the match threshold, weight {:.2f}):",
                          width, tw));
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
      Line(out, fmt::format("  {:>9} {}{:<41}{:>12}", label, at_threshold ? ">" : " ",
                            std::string(static_cast<size_t>(len), '#'), Thousands(n)));
    }
  }
}

// Decisions, clusters, accuracy against truth (when evaluated) and time.
void DecisionsSection(const MatchSummary& s, std::string& out) {
  const LinkResult& r = s.result;
  const LinkSettings& st = s.settings;
  const EstimationReport& e = r.estimation;
  const int64_t nonmatch = r.prediction.scored_pairs - s.matches - s.reviews;
  Line(out, fmt::format("decisions: {} match (p >= {}), {} clerical review ({} <= p < {}), {} "
                        "non-match",
                        Thousands(s.matches), st.match_probability, Thousands(s.reviews),
                        st.review_probability, st.match_probability, Thousands(nonmatch)));
  const Clustering& cl = r.clustering;
  Line(out, fmt::format("clusters: {} entities from {} records (largest {}); over-merge guard "
                        "refused {} edge(s) by size cap {}, {} by bridge share {} and {} by "
                        "dates of birth weighing <= -{} bits",
                        Thousands(cl.clusters), Thousands(s.records), cl.largest,
                        Thousands(cl.rejected_size), st.max_cluster_size,
                        Thousands(cl.rejected_bridge), st.min_bridge_share,
                        Thousands(cl.rejected_conflict), st.birth_date_conflict_bits));
  if (s.evaluated) {
    auto m = [&](const char* what, const PairwiseMetrics& pm) {
      Line(out,
           fmt::format("accuracy ({}): precision {:.4f} recall {:.4f} F1 {:.4f} (TP {}, FP {}, "
                       "FN {}; {} true pairs)",
                       what, pm.precision, pm.recall, pm.f1, Thousands(pm.true_positives),
                       Thousands(pm.false_positives), Thousands(pm.false_negatives),
                       Thousands(pm.true_pairs)));
    };
    m("pairs at threshold", s.pairwise);
    m("pairs within clusters", s.cluster_pairwise);
    const ClusterMetrics& cm = s.cluster_metrics;
    Line(out, fmt::format("clusters vs people: {} predicted for {} true people; exact-match share "
                          "{:.4f} (people recovered exactly); cluster precision {:.4f} (predicted "
                          "clusters that are exactly one whole person), recall {:.4f}",
                          Thousands(cm.predicted_clusters), Thousands(cm.true_clusters),
                          cm.exact_match_share, cm.precision, cm.recall));
  }
  Line(out, fmt::format(
                "time: {:.2f} s total (read {:.2f}, estimate {:.2f}, score {:.2f}, write {:.2f})",
                s.load_seconds + r.seconds + s.write_seconds, s.load_seconds, e.seconds,
                r.prediction.seconds, s.write_seconds));
}

}  // namespace

std::string RenderMatchSummary(const MatchSummary& s) {
  std::string out;
  InputsSection(s, out);  // the inputs and blocking sections end with their own blank line
  BlockingSection(s, out);
  ModelSection(s, out);
  out += '\n';
  HistogramSection(s, out);
  out += '\n';
  DecisionsSection(s, out);
  return out;
}

}  // namespace pioneer::link
