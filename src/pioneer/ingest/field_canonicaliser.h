// FieldCanonicaliser: checks one field value against its FieldSpec and produces the
// canonical form stored for it (docs/ingest.md, "Validation rules").
//
// Every value is first trimmed of surrounding spaces and tabs; an empty result means "not
// recorded" and is stored as NULL (missing_required if the field is required). Canonical
// forms: integers and decimals as numbers; dates as ISO text; codes exactly as in their code
// set; ICD-10 and OPCS-4 HES-normalised ("J45.9" -> "J459", OPCS "-" -> NULL); ODS codes as
// given (3-6 upper-case letters/digits; "b86001" is bad_ods_code); postcodes "LS1 4AP"; text as
// given. NHS Numbers never fail: a valid one becomes its 10 digits with status "valid", a blank one
// NULL with "missing", an invalid one keeps its raw text with the NhsNumberProblem name as status.
// Thread safety: immutable after Create; Canonicalise is const.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/ingest/reason_code.h"
#include "pioneer/store/ingest_writer.h"

namespace pioneer::ingest {

// The canonical value of one field. `text` points into the raw input or into `owned`, so a
// CanonicalField must not be copied while in use.
struct CanonicalField {
  store::Cell::Kind kind = store::Cell::Kind::kNull;
  int64_t i = 0;
  double r = 0;
  std::string_view text;
  std::string owned;
  std::optional<Date> date;     // kDate fields with a value
  std::string_view nhs_status;  // kNhsNumber fields
};

class FieldCanonicaliser {
 public:
  // kInternal if a kCode field names a code set that does not exist.
  static StatusOr<FieldCanonicaliser> Create(const formats::FieldSpec& spec);

  const formats::FieldSpec& spec() const { return *spec_; }
  // Fills `out` and returns nullopt, or returns why the value is not acceptable.
  std::optional<Reason> Canonicalise(std::string_view raw, CanonicalField* out) const;
  // A short explanation of `reason` for this field, for quarantine.detail.
  std::string Explain(Reason reason) const;

 private:
  explicit FieldCanonicaliser(const formats::FieldSpec& spec) : spec_(&spec) {}
  const formats::FieldSpec* spec_;
  std::unordered_set<std::string_view> codes_;  // kCode fields only
};

// `s` without surrounding spaces and tabs.
std::string_view TrimBlanks(std::string_view s);

}  // namespace pioneer::ingest
