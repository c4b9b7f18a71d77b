// ExtractWriter: formats one PersonHistory as rows of every person-level extract, applying the
// data-quality faults of faults.h, and records the ground truth.
//
// Columns are written in exactly the order of formats/extract_schema.cc; PersonFileColumns()
// lists them so that the generator can check, before writing anything, that this file and
// the schema agree.
//
// Record ids are keyed permutations of (person index, sequence number) (permutation.h), so
// they are unique within each file but carry no trace of the person - linkage cannot cheat by
// reading ids. Faults draw from the person's own fault stream, so the same seed gives the
// same faults whatever the thread count.
//
// Thread safety: an ExtractWriter is immutable after construction and Write() is const; many
// threads may share one, each with its own BlockOutput.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/synth/area.h"
#include "pioneer/synth/faults.h"
#include "pioneer/synth/history.h"
#include "pioneer/synth/nhs_numbers.h"
#include "pioneer/synth/permutation.h"

namespace pioneer::synth {

// The files written per person, in the order they are listed in summaries.
enum PersonFile : int {
  kFilePds = 0,
  kFileGpRegistrations,
  kFileGpEvents,
  kFileApc,
  kFileAe,
  kFileOp,
  kFileCommunity,
  kFileMh,
  kFileSocialCare,
  kFileTruthPersons,
  kFileTruthRecords,
  kFileCarePlans,  // care_plans/care_plans.csv: an input for `pioneer careplan import`
  kPersonFileCount
};

// File name ("pds.csv", "truth/persons.csv", ...).
const char* PersonFileName(PersonFile f);
// The column names the writer emits for an extract file (empty span for truth files).
std::span<const std::string_view> PersonFileColumns(PersonFile f);
// Header rows of the files that are not extracts (truth files, care plans).
const char* TruthHeader(PersonFile f);

// Mid-year population counts: [year offset][sex 1/2 -> 0/1][age 0..90].
struct PopulationCounts {
  static constexpr int kAges = 91;
  int first_year = 0;
  int years = 0;
  std::vector<int64_t> counts;  // years * 2 * kAges
  void Init(int first, int n) {
    first_year = first;
    years = n;
    counts.assign(static_cast<size_t>(n) * 2 * kAges, 0);
  }
  int64_t& At(int year, int sex, int age) {
    return counts[(static_cast<size_t>(year - first_year) * 2 + (sex - 1)) * kAges + age];
  }
  void Add(const PopulationCounts& other);
};

struct BlockOutput {
  std::array<std::string, kPersonFileCount> data;
  std::array<int64_t, kPersonFileCount> rows{};
  PopulationCounts population;
  int64_t persons = 0;
  int64_t deaths = 0;
  int64_t left_area = 0;
  void Clear();
};

class NameTables;

struct WriterContext {
  const Area* area = nullptr;
  const NhsNumberAllocator* nhs = nullptr;
  const NameTables* names = nullptr;  // surnames for the family_name_other fault
  uint64_t seed = 1;
  Day window_start = 0;
  Day window_end = 0;
  FaultRates faults;
};

class ExtractWriter {
 public:
  explicit ExtractWriter(const WriterContext& context);

  // Appends person h's rows (and truth rows) to `out`, and counts them in the mid-year
  // population. REQUIRES: out->population initialised for the window's mid-years.
  void Write(const PersonHistory& h, BlockOutput* out) const;

  // Mid-years (30 June) inside the window: first year and count.
  static void MidYears(Day window_start, Day window_end, int* first, int* count);

 private:
  class PersonWriter;
  WriterContext context_;
  std::vector<Permutation> ids_;  // one per PersonFile
  Permutation referral_ids_;
  Permutation client_ids_;
};

}  // namespace pioneer::synth
