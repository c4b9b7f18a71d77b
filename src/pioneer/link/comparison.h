// Comparisons: for a pair of records, which "level" of agreement each field reached.
//
// A comparison looks at one canonical field and assigns every pair exactly one level: the
// first of its ordered conditions that holds. Level 0 is always "null" (either side
// missing; contributes weight 0 in the model), the last is always "else". The levels of
// each kind (labels as printed in summaries and output columns):
//
//  kName (given_name, family_name):
//    null | exact | swapped | nickname | jw>=t1 | jw>=t2 | jw>=t3 | else  (t = 0.92, 0.88, 0.70)
//    "nickname" (given names only, nickname_level): the two names share a nickname group
//    (nicknames.h: Bill / William, Kate / Catherine), whatever their spelling distance.
//    "swapped" = this field equals the *other* name field of the other record (given vs
//    family), only when both name fields are compared. When the pair looks swapped (the
//    other name field crosses exactly), the JW levels use the better of the direct and the
//    crossed alignment, so "Caleb Rwoe" / "Rowe Caleb" scores swapped + jw>=0.92.
//  kBirthDate:
//    null | exact | dl<=1 | dm-swap | <=31d | <=365d | <=3653d | else
//    dl<=1: the YYYYMMDD strings are one Damerau-Levenshtein edit apart (typo or adjacent
//    swap, also for impossible dates); dm-swap: day and month transposed; the day-distance
//    levels need two real dates. Partial dates: equal -> exact, same year -> <=365d.
//  kPostcode:
//    null | exact | sector | district | dl<=1 | area | else
//    sector/district/area need two UK postcodes; dl<=1 applies to any text (FEBRL's
//    Australian codes reach only exact / dl<=1 / else).
//  kPostcode with_address (the default when both postcode and address are compared):
//    null | exact+address | exact | exact,other-address | address | sector | district |
//    dl<=1 | area | other-address | else
//    One comparison for both fields, because they are not independent: people of one
//    household share both, so two separate comparisons would count the same evidence twice
//    and let a parent match a child. exact+address: same postcode and same address;
//    exact: same postcode, an address missing; exact,other-address: same postcode, different
//    addresses (a neighbour - or a typo); address: same address, postcodes differ or one is
//    missing; other-address: a postcode missing, both addresses present and different; the
//    postcode levels below need both postcodes. null = nothing comparable. No TF.
//  kEmail:  null | exact | user | jw>=0.88 | user-jw>=0.88 | else
//  kIdentifier (identifier, nhs_number): null | exact | dl<=1 | dl<=2 | else
//  kText (address, city): null | exact | jw>=t1 | jw>=t2 | else     (t = 0.92, 0.80)
//    city (null_with_uk_postcodes, the default): null when both records hold a UK postcode -
//    the postcode already says where, more precisely; a town shared by a tenth of the
//    records, counted on top of it, is evidence counted twice (and misleads EM).
//  kSex:    null | exact | else          (unknown sex is null)
//
// Term-frequency adjustment (model.h) applies to the exact level of comparisons with
// term_frequency set (names, postcode, city by default).
//
// Thread safety: a ComparisonSet is immutable after construction; Levels() is const and
// allocation-free, safe from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/link/person_record.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

enum class ComparisonKind : uint8_t {
  kName,
  kBirthDate,
  kPostcode,
  kEmail,
  kIdentifier,
  kText,
  kSex
};

struct ComparisonSpec {
  std::string name;  // label in summaries and the output CSV ("given_name")
  ComparisonKind kind = ComparisonKind::kName;
  Field field = Field::kGivenName;
  bool swapped_level = false;   // kName: include the "swapped" level
  bool term_frequency = false;  // TF adjustment on the exact level
  bool nickname_level = false;  // kName: include the "nickname" level (given names)
  bool with_address = false;
  bool null_with_uk_postcodes = false;  // kText (city): null when both postcodes are UK ones    //
                                        // kPostcode: joint postcode + address levels (see above)
  std::vector<double> thresholds;       // JW thresholds (kName: 3, kText: 2), descending
};

inline constexpr int kMaxLevels = 16;
inline constexpr int kMaxComparisons = 16;
inline constexpr uint8_t kNullLevel = 0;
inline constexpr uint8_t kExactLevel = 1;

// Level labels of a spec, index = level.
std::vector<std::string> LevelLabels(const ComparisonSpec& spec);

// The default comparison for a canonical field (names get swapped_level when both name
// fields are present: pass both_names).
ComparisonSpec DefaultComparison(Field f, bool both_names);

class ComparisonSet {
 public:
  explicit ComparisonSet(std::vector<ComparisonSpec> specs);
  ComparisonSet() = default;

  size_t size() const { return specs_.size(); }
  const ComparisonSpec& spec(size_t c) const { return specs_[c]; }
  const std::vector<ComparisonSpec>& specs() const { return specs_; }
  int level_count(size_t c) const { return level_counts_[c]; }
  const std::vector<std::string>& labels(size_t c) const { return labels_[c]; }
  // Index of the comparison on field f, or -1.
  int IndexOf(Field f) const;

  // levels[c] for every comparison c. REQUIRES: levels has size() entries.
  void Levels(const RecordSet& A, uint32_t a, const RecordSet& B, uint32_t b,
              uint8_t* levels) const;
  uint8_t Level(size_t c, const RecordSet& A, uint32_t a, const RecordSet& B, uint32_t b) const;

 private:
  std::vector<ComparisonSpec> specs_;
  std::vector<int> level_counts_;
  std::vector<std::vector<std::string>> labels_;
  std::vector<float> thresholds_;  // flattened, kMaxLevels per comparison
};

// The default comparison set for the fields that are present in `records`, in canonical
// field order: non-missing in at least one record (dedupe), or in at least one record of
// each source (link_only = true; a field one file lacks can never agree). identifier and
// nhs_number: nhs_number wins when both are present.
std::vector<ComparisonSpec> DefaultComparisons(const RecordSet& records, bool link_only = false);

}  // namespace pioneer::link
