// Observations: the measured values a plan report reads, keyed by metric and period.
//
// The report's pure calculations (tracking, P4P, scenarios) read only Observations and
// StoreFacts, so they can be tested with hand-made values; measure.h fills both from a store.
// Thread safety: plain values.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "pioneer/base/date.h"

namespace pioneer::report {

struct Observation {
  std::optional<double> numerator;  // count of records (absent when suppressed)
  std::optional<double> rate;       // the catalogue's rate over the period (per 100,000, or %)
  bool suppressed = false;          // disclosure control hid the value
};

class Observations {
 public:
  void Put(const std::string& metric, const std::string& period_label, Observation o) {
    values_[{metric, period_label}] = std::move(o);
  }
  // nullptr when the metric or the period was not measured.
  const Observation* Get(const std::string& metric, const std::string& period_label) const {
    auto it = values_.find({metric, period_label});
    return it == values_.end() ? nullptr : &it->second;
  }
  std::set<std::string> measured;          // catalogue ids evaluated
  std::set<std::string> not_in_catalogue;  // ids the plan names that Pioneer cannot measure yet
  std::string engine;
  std::string data_as_of;  // latest activity date in the store (ISO)
  bool disclosure_applied = true;

 private:
  std::map<std::pair<std::string, std::string>, Observation> values_;
};

// Facts read straight from the store for the money models.
struct StoreFacts {
  // unit_costs.activity_type -> (cost in £, price year, source) for the chosen price year.
  struct UnitCost {
    double gbp = 0;
    std::string price_year;
    std::string source;
  };
  std::map<std::string, UnitCost> unit_costs;
  // Reablement service starts (social_care_events, service_type reablement) per period label,
  // and the mean length of a finished reablement episode in weeks.
  std::map<std::string, double> reablement_starts;
  std::optional<double> mean_reablement_weeks;
  // Hospital discharges (apc_episodes with a discharge date) by ISO weekday 1=Mon..7=Sun over
  // `weekday_period`.
  std::vector<int64_t> discharges_by_weekday = std::vector<int64_t>(7, 0);
  std::string weekday_period;
};

// A labelled half-open period; labels are unique within one report.
struct NamedPeriod {
  std::string label;  // "2014/15", "2014/15 Q3", "2014-10..2014-12"
  Period period;
};

}  // namespace pioneer::report
