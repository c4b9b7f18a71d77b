// The data-quality report: what a council or CCG analyst needs to act on before trusting
// joined-up figures.
//
// Every figure is a numerator over a denominator (and the percentage), per source where
// that makes sense:
//   nhs_number     coverage (valid / rows) and validity (invalid / present) per source —
//                  the Leeds "88% of adult social care records have an NHS Number" figure;
//   linkage        records that cannot be linked yet: no valid number, or a valid number with
//                  no PDS record;
//   duplicates     rows repeated exactly, and record ids used more than once;
//   consistency    activity after death, events after the as-of date, people aged over 115,
//                  and row-level inconsistencies quarantined at ingest (date order);
//   completeness   optional fields left empty;
//   quarantine     rows quarantined at ingest by file, field and reason (missing mandatory
//                  fields, codes outside their code set, bad dates, ...).
// Figures are aggregates only: the report never contains identifiable data.
// Thread safety: the builder reads the store; do not share a Store across threads.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::quality {

struct Figure {
  std::string section;  // nhs_number, linkage, duplicates, consistency, completeness, quarantine
  std::string measure;  // machine name, e.g. "nhs_number_coverage"
  std::string source;   // table (e.g. "social_care_events") or "all"
  std::string field;    // field concerned, or empty
  int64_t numerator = 0;
  int64_t denominator = 0;
  std::string description;  // one line for people

  // numerator / denominator * 100, or 0 when the denominator is 0.
  double percent() const {
    return denominator == 0 ? 0.0 : 100.0 * static_cast<double>(numerator) / denominator;
  }
};

struct QualityReport {
  Date as_of;
  std::vector<Figure> figures;

  // The first figure with this measure and source, or nullptr.
  const Figure* Find(std::string_view measure, std::string_view source,
                     std::string_view field = {}) const;
};

struct QualityOptions {
  Date as_of;  // "events in the future" are after this date; ages are computed on it
  // Completeness figures are shown in the terminal table only below this percentage
  // (all are in the JSON).
  double completeness_display_below = 95.0;
};

// Reads the store and computes every figure. Errors: the store's (kUnavailable, ...), or
// kFailedPrecondition when the store holds no ingested data.
StatusOr<QualityReport> BuildQualityReport(store::Store& store, const QualityOptions& options);

// Human-readable table for a terminal.
std::string RenderQualityTable(const QualityReport& report, const QualityOptions& options);

// {"as_of": "...", "figures": [{section, measure, source, field, numerator, denominator,
//   percent, description}, ...]}
nlohmann::json QualityReportToJson(const QualityReport& report);

}  // namespace pioneer::quality
