#include "pioneer/ingest/field_canonicaliser.h"

#include <fmt/format.h>

#include <charconv>

#include "pioneer/model/clinical_codes.h"
#include "pioneer/model/code_sets.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/extract_tables.h"

namespace pioneer::ingest {
namespace {

using formats::FieldType;
using Kind = store::Cell::Kind;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// [-]digits[.digits]
bool IsDecimalShape(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t int_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++int_digits;
  if (int_digits == 0) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  ++i;
  size_t frac_digits = 0;
  while (i < s.size() && IsDigit(s[i])) ++i, ++frac_digits;
  return frac_digits > 0 && i == s.size();
}

void SetText(CanonicalField* out, std::string_view t) {
  out->kind = Kind::kText;
  out->text = t;
}

void SetOwned(CanonicalField* out, std::string s) {
  out->owned = std::move(s);
  out->kind = Kind::kText;
  out->text = out->owned;
}

}  // namespace

std::string_view TrimBlanks(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

StatusOr<FieldCanonicaliser> FieldCanonicaliser::Create(const formats::FieldSpec& spec) {
  FieldCanonicaliser c(spec);
  if (spec.type == FieldType::kCode) {
    const model::CodeSet* set = model::FindCodeSet(spec.code_set);
    if (set == nullptr) {
      return InternalError(fmt::format("field {} names code set '{}', which does not exist",
                                       spec.name, spec.code_set));
    }
    for (const model::Code& code : set->codes) c.codes_.insert(code.code);
  }
  return c;
}

std::optional<Reason> FieldCanonicaliser::Canonicalise(std::string_view raw,
                                                       CanonicalField* out) const {
  out->kind = Kind::kNull;
  out->text = {};
  out->date.reset();
  out->nhs_status = {};
  std::string_view v = TrimBlanks(raw);
  const FieldType type = spec_->type;
  if (type == FieldType::kNhsNumber) {
    if (v.empty()) {
      out->nhs_status = store::kNhsMissing;
      return std::nullopt;
    }
    NhsNumberProblem problem = NhsNumber::Check(v);
    if (problem == NhsNumberProblem::kNone) {
      SetOwned(out, NhsNumber::Parse(v)->digits());
      out->nhs_status = store::kNhsValid;
    } else {
      SetText(out, raw);  // kept exactly as supplied, for linkage to judge
      out->nhs_status = NhsNumberProblemName(problem);
    }
    return std::nullopt;
  }
  if (v.empty()) {
    return spec_->required ? std::optional<Reason>(Reason::kMissingRequired) : std::nullopt;
  }
  switch (type) {
    case FieldType::kText:
      SetText(out, v);
      return std::nullopt;
    case FieldType::kInteger: {
      int64_t n = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      if (ec == std::errc::result_out_of_range && p == v.data() + v.size()) {
        return Reason::kOutOfRange;  // digits, but beyond 64 bits
      }
      if (ec != std::errc() || p != v.data() + v.size() || v[0] == '+') {
        return Reason::kBadInteger;
      }
      out->kind = Kind::kInt;
      out->i = n;
      return std::nullopt;
    }
    case FieldType::kDecimal: {
      double d = 0;
      if (!IsDecimalShape(v)) return Reason::kBadDecimal;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
      if (ec == std::errc::result_out_of_range) return Reason::kOutOfRange;
      if (ec != std::errc() || p != v.data() + v.size()) return Reason::kBadDecimal;
      out->kind = Kind::kReal;
      out->r = d;
      return std::nullopt;
    }
    case FieldType::kDate: {
      std::optional<Date> d = Date::ParseIso(v);
      if (!d) return Reason::kBadDate;
      out->date = d;
      SetText(out, v);
      return std::nullopt;
    }
    case FieldType::kCode:
      if (!codes_.contains(v)) return Reason::kBadCode;
      SetText(out, v);
      return std::nullopt;
    case FieldType::kIcd10: {
      std::optional<std::string> code = model::NormaliseIcd10(v);
      if (!code) return Reason::kBadIcd10;
      SetOwned(out, std::move(*code));
      return std::nullopt;
    }
    case FieldType::kOpcs4: {
      std::optional<std::string> code = model::NormaliseOpcs4(v);
      if (!code) return Reason::kBadOpcs4;
      if (code->empty()) {  // "-" or "&": no operation
        return spec_->required ? std::optional<Reason>(Reason::kMissingRequired) : std::nullopt;
      }
      SetOwned(out, std::move(*code));
      return std::nullopt;
    }
    case FieldType::kOdsCode:
      // Strict shape (upper case letters and digits), as docs/data-formats.md documents.
      if (!model::IsValidOdsCode(v)) return Reason::kBadOdsCode;
      SetText(out, v);
      return std::nullopt;
    case FieldType::kPostcode: {
      std::optional<std::string> pc = model::NormalisePostcode(v);
      if (!pc) return Reason::kBadPostcode;
      SetOwned(out, std::move(*pc));
      return std::nullopt;
    }
    case FieldType::kNhsNumber:
      break;  // handled above
  }
  return std::nullopt;
}

std::string FieldCanonicaliser::Explain(Reason reason) const {
  if (reason == Reason::kBadCode) {
    return fmt::format("not a value of code set '{}'", spec_->code_set);
  }
  if (reason == Reason::kOutOfRange) {
    return spec_->type == formats::FieldType::kInteger
               ? "out of range: too large for a 64-bit integer"
               : "out of range: too large for a decimal number";
  }
  return std::string(ReasonDescription(reason));
}

}  // namespace pioneer::ingest
