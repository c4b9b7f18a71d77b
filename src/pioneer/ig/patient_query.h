// PatientQuery: the criteria of a Patient search, already parsed (fhir/ turns FHIR search
// parameters into one). All criteria are ANDed; string criteria match case-insensitively
// from the start of the name (FHIR string search), dates are ISO YYYY-MM-DD bounds.
// Thread safety: a plain value.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pioneer/model/nhs_number.h"

namespace pioneer::ig {

struct PatientQuery {
  std::optional<NhsNumber> nhs_number;      // identifier=https://fhir.nhs.uk/Id/nhs-number|N
  bool impossible = false;                  // e.g. an identifier that is not a valid NHS Number
  std::optional<int64_t> pds_row;           // _id
  std::vector<std::string> family;          // family name starts with each
  std::vector<std::string> given;           // a given name starts with each
  std::vector<std::string> name;            // family or a given name starts with each
  std::optional<std::string> birth_from;    // birth_date >= (inclusive)
  std::optional<std::string> birth_before;  // birth_date < (exclusive)
  std::optional<std::string> sex;           // PDS code: 1, 2, 9, 0

  bool HasCriteria() const {
    return nhs_number || impossible || pds_row || !family.empty() || !given.empty() ||
           !name.empty() || birth_from || birth_before || sex;
  }
};

}  // namespace pioneer::ig
