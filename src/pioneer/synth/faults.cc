#include "pioneer/synth/faults.h"

namespace pioneer::synth {

FaultRates HardFaultRates() {
  FaultRates f;
  // NHS Numbers: more clients and rows without one, more keying errors.
  f.sc_client_nhs_missing = 0.15;
  f.sc_row_nhs_missing = 0.05;
  f.sc_nhs_mistyped = 0.03;
  // Names (synth-people: nickname 12%, a typo 8% per name, swapped 3%, new surname 4% of
  // women, given name missing 2%, family name missing 1%).
  f.sc_row_given_name_variant = 0.12;
  f.sc_given_name_keyed_wrong = 0.08;
  f.sc_family_name_keyed_wrong = 0.08;
  f.sc_family_name_other = 0.04;
  f.sc_names_swapped = 0.03;
  f.sc_given_name_missing = 0.02;
  f.sc_family_name_missing = 0.01;
  // Dates of birth (missing 25%, day-month swap 5%, a digit typo 5%, year off by one 2%).
  f.sc_dob_missing = 0.25;
  f.sc_dob_day_month_swapped = 0.05;
  f.sc_dob_digit_typo = 0.05;
  f.sc_dob_year_off_by_one = 0.02;
  // Sex (missing 10%, wrong 1%) and postcode (missing 25%, moved 12%, a typo 3%).
  f.sc_sex_missing = 0.10;
  f.sc_sex_wrong = 0.01;
  f.sc_postcode_missing = 0.25;
  f.sc_postcode_moved = 0.12;
  f.sc_postcode_typo = 0.03;
  return f;
}

std::optional<FaultRates> FaultPreset(std::string_view name) {
  if (name == "default") return FaultRates{};
  if (name == "hard") return HardFaultRates();
  return std::nullopt;
}

}  // namespace pioneer::synth
