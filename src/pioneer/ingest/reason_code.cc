#include "pioneer/ingest/reason_code.h"

namespace pioneer::ingest {
namespace {

struct ReasonInfo {
  Reason reason;
  std::string_view name;
  std::string_view description;
};

constexpr ReasonInfo kReasons[] = {
    {Reason::kColumnCount, "column_count", "the row has more or fewer fields than the header"},
    {Reason::kMissingRequired, "missing_required", "a required field is empty"},
    {Reason::kBadInteger, "bad_integer", "not an integer (optional '-', digits)"},
    {Reason::kBadDecimal, "bad_decimal", "not a decimal number (optional '-', digits, '.')"},
    {Reason::kBadDate, "bad_date", "not a real calendar date in the form YYYY-MM-DD"},
    {Reason::kBadCode, "bad_code", "not a value of the field's code set"},
    {Reason::kBadIcd10, "bad_icd10", "not an ICD-10 code"},
    {Reason::kBadOpcs4, "bad_opcs4", "not an OPCS-4 code"},
    {Reason::kBadOdsCode, "bad_ods_code", "not an ODS organisation code (3-6 letters/digits)"},
    {Reason::kBadPostcode, "bad_postcode", "not a UK postcode"},
    {Reason::kDateOrder, "date_order", "a date is earlier than the date it must follow"},
    {Reason::kOutOfRange, "out_of_range",
     "a number outside the field's allowed range (or too large for 64 bits)"},
    {Reason::kMalformedRecord, "malformed_record",
     "the line cannot be split into fields: a stray or unbalanced quote"},
};

constexpr Reason kAll[] = {
    Reason::kColumnCount,     Reason::kMissingRequired, Reason::kBadInteger, Reason::kBadDecimal,
    Reason::kBadDate,         Reason::kBadCode,         Reason::kBadIcd10,   Reason::kBadOpcs4,
    Reason::kBadOdsCode,      Reason::kBadPostcode,     Reason::kDateOrder,  Reason::kOutOfRange,
    Reason::kMalformedRecord,
};

const ReasonInfo& Info(Reason r) { return kReasons[static_cast<int>(r)]; }

}  // namespace

std::string_view ReasonCodeName(Reason r) { return Info(r).name; }
std::string_view ReasonDescription(Reason r) { return Info(r).description; }
std::span<const Reason> AllReasons() { return kAll; }

}  // namespace pioneer::ingest
