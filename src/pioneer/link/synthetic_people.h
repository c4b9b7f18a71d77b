// Synthetic person records with known truth, corrupted the way administrative data is:
// the hard test data for person linkage (`pioneer synth-people`, docs/linkage.md).
//
// People live in households: members share a family name (mostly), an address and a
// postcode; some households have twins (same family name, address, postcode and date of
// birth, different given names). About 15 households share a postcode unit and a street.
// Given names are drawn from common English names by sex with Zipf-like weights plus a
// generated rare tail; family names likewise (a long tail of rare names), so that a shared
// "smith" is weak evidence and a shared rare name strong.
//
// Each person has 1-5 records (30/35/20/10/5%). The first record of a person goes to source
// A, the others to source B. Every record (the first too) is corrupted independently with
// the CorruptionModel below; each rate is the probability per record. Corruptions:
//   nickname     given name replaced by a nickname or spelling variant (William -> Bill,
//                Catherine -> Kathryn, Stephen -> Steve);
//   name_typo    one keying error (substitute / insert / delete / transpose) in a name,
//                drawn separately for given and family name;
//   swap_names   given and family name exchanged;
//   new_surname  a woman's family name replaced (marriage);
//   missing_*    the field left empty (given name, date of birth, postcode, address, sex);
//   dob_swap     day and month transposed (when the day is 12 or less);
//   dob_typo     one digit of the date changed (the result may be an impossible date);
//   dob_year     year of birth off by one;
//   moved        the record has another postcode and address (the person moved);
//   postcode_typo  one character of the postcode changed;
//   sex_error    the other sex recorded.
//
// Outputs (WriteSyntheticPeople) in `dir`:
//   people.csv  every record, for a dedupe job; Splink-style headers
//               unique_id,first_name,surname,dob,gender,postcode,address,city,source,truth_person
//   a.csv       source A; same headers as people.csv without `source`
//   b.csv       source B; NHS PDS-style headers
//               record_id,forename,family_name,birth_date,sex,post_code,address_line_1,town,truth_person
//   truth.csv   unique_id,truth_person (all records)
// truth_person is the person's number: same number = same person. Dates are YYYY-MM-DD.
// All names and places are invented from common-name lists; no real person is described.
//
// Determinism: same options -> byte-identical output on every platform (own SplitMix64
// generator, no std distributions). Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/link/person_record.h"

namespace pioneer::link {

struct CorruptionModel {
  double nickname = 0.12;
  double name_typo = 0.08;
  double swap_names = 0.03;
  double new_surname = 0.04;  // applied to women only
  double missing_given = 0.02;
  double missing_family = 0.01;
  double missing_dob = 0.25;
  double dob_swap = 0.05;
  double dob_typo = 0.05;
  double dob_year = 0.02;
  double missing_postcode = 0.25;
  double moved = 0.12;
  double postcode_typo = 0.03;
  double missing_address = 0.35;
  double missing_sex = 0.10;
  double sex_error = 0.01;
};

struct SyntheticPeopleOptions {
  int64_t records = 100000;  // approximate number of records to generate (>= 10)
  uint64_t seed = 1;
  double twin_share = 0.10;  // households with 2+ children that have twins
  CorruptionModel corruption;
};

struct SyntheticRecord {
  PersonRecord record;  // id "r<N>"; fields as written (raw text)
  uint8_t source = 0;   // 0 = A, 1 = B
  int64_t person = 0;   // truth
};

struct SyntheticPeople {
  std::vector<SyntheticRecord> records;
  int64_t people = 0;
  int64_t households = 0;
  int64_t twin_pairs = 0;
  // Records with date of birth or postcode (or both) missing, as a share of all records.
  double missing_dob_or_postcode_share = 0;
};

// REQUIRES: options.records >= 10 and every rate in [0, 1] (else InvalidArgument).
StatusOr<SyntheticPeople> GenerateSyntheticPeople(const SyntheticPeopleOptions& options);

// Writes people.csv, a.csv, b.csv and truth.csv into dir (created if needed).
// Errors: Unavailable when a file cannot be written.
Status WriteSyntheticPeople(const SyntheticPeople& people, const std::string& dir);

}  // namespace pioneer::link
