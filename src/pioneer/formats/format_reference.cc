#include "pioneer/formats/format_reference.h"

#include <fmt/format.h>

#include <set>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/model/code_sets.h"

namespace pioneer::formats {
namespace {

struct TypeDoc {
  FieldType type;
  std::string_view valid;
  std::string_view invalid;
  std::string_view on_bad_value;
};

constexpr TypeDoc kTypeDocs[] = {
    {FieldType::kText, "`Smith`, `12 Park Row`", "(any UTF-8 is accepted)", "-"},
    {FieldType::kInteger, "`0`, `87`, `-3`", "`87.5`, `eighty`", "quarantine `bad_integer`"},
    {FieldType::kDecimal, "`412.50`, `0`, `19`", "`£412`, `412,50`", "quarantine `bad_decimal`"},
    {FieldType::kDate, "`2014-10-01`", "`01/10/2014`, `2015-02-29`", "quarantine `bad_date`"},
    {FieldType::kNhsNumber, "`9434765919`, `943 476 5919`", "`9434765918` (check digit)",
     "row kept; number flagged invalid in `<field>_status` for linkage"},
    {FieldType::kCode, "a value listed in the field's code set", "`2E` for admission_method",
     "quarantine `bad_code`"},
    {FieldType::kIcd10, "`J45.9`, `J459`, `J46`, `S72.00`", "`45.9`, `J4`",
     "quarantine `bad_icd10`"},
    {FieldType::kOpcs4, "`K40.1`, `K401`, `-` (none)", "`K4`, `4K01`", "quarantine `bad_opcs4`"},
    {FieldType::kOdsCode, "`B86001`, `RR8`, `15F`", "`b86001`, `B8600123`",
     "quarantine `bad_ods_code`"},
    {FieldType::kPostcode, "`LS1 4AP`, `ls14ap`", "`LS1`, `12345`", "quarantine `bad_postcode`"},
};

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else
      out.push_back(c);
  }
  return out;
}

}  // namespace

std::string FormatReferenceMarkdown() {
  std::string out;
  auto it = std::back_inserter(out);
  fmt::format_to(it,
                 "### Field types\n\n| type | valid examples | invalid examples | a bad value |\n"
                 "|---|---|---|---|\n");
  for (const TypeDoc& d : kTypeDocs) {
    fmt::format_to(it, "| {} | {} | {} | {} |\n", FieldTypeName(d.type), d.valid, d.invalid,
                   d.on_bad_value);
  }
  fmt::format_to(it,
                 "\nAn empty value in a required field is quarantined as `missing_required`. "
                 "An empty NHS Number is kept and flagged `missing`.\n");

  std::set<std::string_view> used_sets;
  for (const ExtractSpec& e : AllExtracts()) {
    fmt::format_to(it, "\n### `{}`\n\n{} Imitates: {}. Store table `{}`.{}\n\n", e.file_name,
                   e.description, e.imitates, e.table,
                   e.record_id_field.empty() ? std::string()
                                             : fmt::format(" Record id: `{}`.", e.record_id_field));
    fmt::format_to(it,
                   "| # | field | type | required | code set | meaning |\n"
                   "|---|---|---|---|---|---|\n");
    int n = 1;
    for (const FieldSpec& f : e.fields) {
      fmt::format_to(it, "| {} | `{}` | {} | {} | {} | {} |\n", n++, f.name, FieldTypeName(f.type),
                     f.required ? "yes" : "no",
                     f.code_set.empty() ? std::string("") : fmt::format("`{}`", f.code_set),
                     Escape(f.description));
      if (!f.code_set.empty()) used_sets.insert(f.code_set);
    }
    // What the readers take from the extract: its roles, date rules and timeline event.
    std::string roles, rules;
    for (const FieldSpec& f : e.fields) {
      if (f.role == FieldRole::kNone) continue;
      roles += fmt::format("{}`{}` {}", roles.empty() ? "" : ", ", f.name, FieldRoleName(f.role));
    }
    for (const DateOrder& d : e.date_order) {
      rules += fmt::format("{}`{}` ≥ `{}`", rules.empty() ? "" : ", ", d.later, d.earlier);
    }
    std::string ranges;
    for (const FieldSpec& f : e.fields) {
      for (const ValueRange& r : f.ranges) {
        ranges += fmt::format(
            "{}`{}` {} ({})", ranges.empty() ? "" : ", ", f.name,
            r.max == kNoMaximum ? fmt::format("≥ {}", r.min) : fmt::format("{}..{}", r.min, r.max),
            r.why);
      }
    }
    if (!roles.empty()) fmt::format_to(it, "\nField roles: {}.\n", roles);
    if (!ranges.empty()) fmt::format_to(it, "\nValue ranges: {}.\n", ranges);
    if (!rules.empty()) fmt::format_to(it, "\nDate rules (when both are present): {}.\n", rules);
    if (!e.event.start.empty()) {
      fmt::format_to(it, "\nTimeline event: start `{}`, end {}, code `{}`, detail {}.\n",
                     e.event.start, e.event.end.empty() ? "none" : fmt::format("`{}`", e.event.end),
                     e.event.code,
                     e.event.detail.empty() ? "none" : fmt::format("`{}`", e.event.detail));
    }
  }

  fmt::format_to(it, "\n### Code sets\n");
  for (const model::CodeSet& s : model::AllCodeSets()) {
    fmt::format_to(it, "\n#### `{}`\n\nSource: {} [{}].{}\n\n| code | meaning |\n|---|---|\n",
                   s.name, s.source, s.provenance,
                   used_sets.count(s.name) ? "" : " (Not used by any extract field.)");
    for (const model::Code& c : s.codes) {
      fmt::format_to(it, "| `{}` | {} |\n", c.code, Escape(c.meaning));
    }
  }
  return out;
}

}  // namespace pioneer::formats
