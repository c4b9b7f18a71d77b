// Helpers for the link/ unit tests: terse construction of person records.
#pragma once

#include <string>

#include "pioneer/link/person_record.h"

namespace pioneer::link::testing {

struct P {
  std::string id, given, family, dob, sex, postcode, address, city, email, identifier, nhs;
};

inline PersonRecord Rec(const P& p) {
  PersonRecord r;
  r.id = p.id;
  r.get(Field::kGivenName) = p.given;
  r.get(Field::kFamilyName) = p.family;
  r.get(Field::kBirthDate) = p.dob;
  r.get(Field::kSex) = p.sex;
  r.get(Field::kPostcode) = p.postcode;
  r.get(Field::kAddress) = p.address;
  r.get(Field::kCity) = p.city;
  r.get(Field::kEmail) = p.email;
  r.get(Field::kIdentifier) = p.identifier;
  r.get(Field::kNhsNumber) = p.nhs;
  return r;
}

}  // namespace pioneer::link::testing
