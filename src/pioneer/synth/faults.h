// Real-world data-quality faults the generator injects, with their documented rates
// (docs/synthetic-data.md, "Faults"). Every faulted record whose identifiers or demographics
// differ from the truth is listed in truth/record_truth.csv with the fault names below.
//
// Rates are probabilities per row unless marked per client / per spell / per person.
//
// Two presets: the default FaultRates{} (what every area had before presets existed; the
// output for a seed is unchanged by the fields added since, whose defaults are 0 and draw
// nothing) and HardFaultRates() (`pioneer synth --faults hard`), which applies the
// corruption model of `pioneer synth-people` (link/synthetic_people.h) to social care
// records' identifiers and demographics, plus more missing and wrong NHS Numbers.
#pragma once

#include <optional>
#include <string_view>

namespace pioneer::synth {

struct FaultRates {
  // --- Adult social care (the Leeds seed: 88% of records carry an NHS Number) ---
  double sc_client_nhs_missing = 0.095;  // per client: no NHS Number on any of their rows
  double sc_row_nhs_missing = 0.028;     // further rows without one
  double sc_nhs_mistyped = 0.01;         // rows with a keying error (see nhs_numbers.h)
  double sc_mistype_other_person = 0.2;  // share of keying errors that are another person's number
  double sc_mistype_transposed = 0.35;   // share that are adjacent transpositions (rest: a digit)
  double sc_duplicate_row = 0.003;       // exact duplicate rows
  double sc_given_name_variant = 0.04;   // per client: "Kath" for "Katherine"
  double sc_name_typo = 0.01;            // a transposed, dropped or doubled letter
  double sc_stale_surname = 0.4;         // per client: name not updated after marriage
  double sc_stale_postcode = 0.3;        // per client: address not updated after a move
  double sc_surname_upper_case = 0.05;   // per client: "SMITH"
  double sc_strip_diacritics = 0.6;      // per client whose name has diacritics
  double sc_drop_punctuation = 0.5;      // per client whose surname has a hyphen or apostrophe
  double sc_dob_day_month_swapped = 0.003;
  double sc_dob_implausible = 0.0003;  // 1900-01-01 placeholders or a century slip (age > 115)
  double sc_sex_missing = 0.005;
  double sc_postcode_missing = 0.01;
  double sc_postcode_unformatted = 0.02;  // "kh74ab": lower case, no space
  double sc_death_date_known = 0.9;       // per client who died: the council knows the date
  // Hard-model faults (0 by default; HardFaultRates sets them). Per row, each drawn
  // independently, in this order, after the faults above of the same field.
  double sc_row_given_name_variant = 0;   // a nickname or spelling variant on this row
  double sc_given_name_keyed_wrong = 0;   // one keying error in the forename
  double sc_family_name_keyed_wrong = 0;  // one keying error in the surname
  double sc_family_name_other = 0;        // women: another surname PDS does not know
  double sc_names_swapped = 0;            // forename and surname exchanged
  double sc_given_name_missing = 0;
  double sc_family_name_missing = 0;
  double sc_dob_missing = 0;
  double sc_dob_year_off_by_one = 0;
  double sc_dob_digit_typo = 0;  // one digit of the day, month or decade/year changed
  double sc_sex_wrong = 0;       // the other sex recorded
  double sc_postcode_moved = 0;  // a postcode elsewhere in the area, not in PDS
  double sc_postcode_typo = 0;   // one character of the postcode changed

  // --- Hospital, community and mental health extracts ---
  double apc_nhs_missing = 0.012;  // per spell (all its episodes)
  double ae_nhs_missing = 0.03;
  double op_nhs_missing = 0.015;
  double community_nhs_missing = 0.02;
  double mh_nhs_missing = 0.02;
  double apc_duplicate_row = 0.001;
  double apc_discharge_before_admission = 0.001;  // per spell: dates keyed wrongly
  double activity_after_death = 0.05;  // per person who died in the window: one contact after
  double ae_sex_not_known = 0.0005;    // sex "0" on an A&E record
};

// The hard corruption model for social care records (docs/synthetic-data.md, "Faults",
// "--faults hard"): the defaults above, with the rates of `pioneer synth-people` for
// names, dates of birth, sex and postcodes, and more missing and mis-keyed NHS Numbers.
// Hospital extracts keep their default rates.
FaultRates HardFaultRates();

// The preset named `name`: "default" or "hard"; nullopt for anything else.
std::optional<FaultRates> FaultPreset(std::string_view name);

// Fault names used in truth/record_truth.csv.
namespace fault {
inline constexpr const char* kNhsMissing = "nhs_number_missing";
inline constexpr const char* kDuplicateRow = "duplicate_row";
inline constexpr const char* kGivenNameVariant = "given_name_variant";
inline constexpr const char* kNameTypo = "name_typo";
inline constexpr const char* kPreviousSurname = "family_name_previous";
inline constexpr const char* kPreviousPostcode = "postcode_previous";
inline constexpr const char* kSurnameUpperCase = "family_name_upper_case";
inline constexpr const char* kDiacriticsStripped = "diacritics_stripped";
inline constexpr const char* kPunctuationDropped = "punctuation_dropped";
inline constexpr const char* kDobSwapped = "birth_date_day_month_swapped";
inline constexpr const char* kDobImplausible = "birth_date_implausible";
inline constexpr const char* kSexMissing = "sex_missing";
inline constexpr const char* kPostcodeMissing = "postcode_missing";
inline constexpr const char* kPostcodeUnformatted = "postcode_unformatted";
inline constexpr const char* kDuplicateClient = "duplicate_client_record";
inline constexpr const char* kDischargeBeforeAdmission = "discharge_before_admission";
inline constexpr const char* kActivityAfterDeath = "activity_after_death";
inline constexpr const char* kSexNotKnown = "sex_not_known";
// Hard-model faults.
inline constexpr const char* kGivenNameKeyedWrong = "given_name_keying_error";
inline constexpr const char* kFamilyNameKeyedWrong = "family_name_keying_error";
inline constexpr const char* kFamilyNameOther = "family_name_other";
inline constexpr const char* kNamesSwapped = "names_swapped";
inline constexpr const char* kGivenNameMissing = "given_name_missing";
inline constexpr const char* kFamilyNameMissing = "family_name_missing";
inline constexpr const char* kDobMissing = "birth_date_missing";
inline constexpr const char* kDobYearOffByOne = "birth_date_year_off_by_one";
inline constexpr const char* kDobDigitTypo = "birth_date_digit_typo";
inline constexpr const char* kSexWrong = "sex_wrong";
inline constexpr const char* kPostcodeMoved = "postcode_moved";
inline constexpr const char* kPostcodeTypo = "postcode_typo";
}  // namespace fault

}  // namespace pioneer::synth
