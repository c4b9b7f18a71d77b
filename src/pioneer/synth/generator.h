// `pioneer synth` as a library: generate a synthetic Health and Wellbeing Board area.
//
// GenerateArea writes, into options.out_dir, every extract of formats/extract_schema.cc
// (organisations, lsoa, population, unit_costs, pds, gp_registrations, gp_events,
// apc_episodes, ae_attendances, op_appointments, community_contacts, mh_contacts,
// social_care_events) plus the ground truth in out_dir/truth/ (persons.csv, record_truth.csv),
// which nothing but evaluations may read, and synthetic joint care plans in
// out_dir/care_plans/care_plans.csv (care_plans.h; loaded by `pioneer careplan import`).
//
// Contract:
//  * Deterministic: the same population, seed and dates give byte-identical files whatever the
//    thread count. People are simulated in fixed blocks of 2,048 on per-person random streams
//    and the blocks are written in order.
//  * `population` people live in the area on `start`; births and in-migrants are added
//    (crude rates in demography.h) and deaths and departures remove people, so the area is
//    roughly stable; see docs/synthetic-data.md for the whole model and its parameters.
//  * Everything identifying is fictional: NHS Numbers in the 9xx test block (nhs_numbers.h),
//    Z-prefixed ODS codes, KH postcodes, E0190xxxx LSOAs, council E08000999 (area.h).
//  * Existing files of the same names in out_dir are overwritten; other files are left alone.
//  * Errors: InvalidArgument for bad options; Unavailable when a file cannot be written.
// Thread safety: GenerateArea may be called from any thread; it starts its own workers.
// The progress callback runs on the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/synth/faults.h"
#include "pioneer/synth/intervention.h"

namespace pioneer::synth {

struct SynthOptions {
  int64_t population = 800000;  // residents on `start` (Leeds-sized by default)
  uint64_t seed = 1;
  std::string out_dir;
  Date start = *Date::FromYmd(2012, 4, 1);  // first day of the window
  Date end = *Date::FromYmd(2016, 3, 31);   // last day (inclusive)
  int threads = 0;                          // 0: DefaultThreads() (base/parallel.h)
  FaultRates faults;                        // documented defaults (HardFaultRates: faults.h)
  // Planted interventions (intervention.h): enrolment lists in interventions/, truth in
  // truth/interventions.csv. Empty: no such files, and every other file is unchanged.
  std::vector<InterventionSpec> interventions;
};

struct FileSummary {
  std::string file_name;  // relative to out_dir, e.g. "apc_episodes.csv", "truth/persons.csv"
  int64_t rows = 0;       // data rows (excluding the header)
  int64_t bytes = 0;
};

struct SynthSummary {
  int64_t initial_population = 0;
  int64_t births = 0;
  int64_t in_migrants = 0;
  int64_t persons = 0;  // everyone who lived in the area during the window
  int64_t deaths = 0;
  int64_t left_area = 0;
  std::vector<FileSummary> files;
  int64_t total_rows = 0;   // extract rows (truth files excluded)
  int64_t total_bytes = 0;  // all files written
  double seconds = 0;
};

struct SynthProgress {
  int64_t persons_done = 0;
  int64_t persons_total = 0;
  int64_t rows = 0;
  int64_t bytes = 0;
  double seconds = 0;
};
using ProgressFn = std::function<void(const SynthProgress&)>;

// Largest supported population (NHS Number and record-id capacity).
int64_t MaxPopulation();

StatusOr<SynthSummary> GenerateArea(const SynthOptions& options, const ProgressFn& progress = {});

}  // namespace pioneer::synth
