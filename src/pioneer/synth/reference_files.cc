#include "pioneer/synth/reference_files.h"

#include <cassert>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/synth/csv_out.h"
#include "pioneer/synth/unit_costs.h"

namespace pioneer::synth {

std::string SchemaHeader(const char* file_name) {
  const formats::ExtractSpec* spec = formats::FindExtract(file_name);
  assert(spec != nullptr);
  std::string out;
  if (spec == nullptr) return out;
  for (size_t i = 0; i < spec->fields.size(); ++i) {
    if (i > 0) out.push_back(',');
    out += spec->fields[i].name;
  }
  out.push_back('\n');
  return out;
}

std::string OrganisationsCsv(const Area& area) {
  std::string out = SchemaHeader("organisations.csv");
  for (const Organisation& org : area.organisations()) {
    CsvOut o(&out);
    o.Text(org.code);
    o.Text(org.name);
    o.Text(org.type);
    o.Text(org.parent);
    o.Text(org.postcode);
    o.Date(org.open_date);
    o.Date(org.close_date);
    o.End();
  }
  return out;
}

std::string LsoaCsv(const Area& area) {
  std::string out = SchemaHeader("lsoa.csv");
  for (const Lsoa& l : area.lsoas()) {
    CsvOut o(&out);
    o.Text(l.code);
    o.Text(l.name);
    o.Text(area.la_code());
    o.Int(l.imd_decile);
    o.End();
  }
  return out;
}

std::string UnitCostsCsv() {
  std::string out = SchemaHeader("unit_costs.csv");
  for (const UnitCost& c : UnitCosts()) {
    CsvOut o(&out);
    o.Text(c.activity_type);
    o.Text(c.unit);
    o.Text(c.price_year);
    o.Money(c.cost_gbp);
    o.Text(c.source);
    o.End();
  }
  return out;
}

std::string PopulationCsv(const Area& area, const PopulationCounts& counts) {
  std::string out = SchemaHeader("population.csv");
  PopulationCounts c = counts;
  for (int y = c.first_year; y < c.first_year + c.years; ++y) {
    for (int sex = 1; sex <= 2; ++sex) {
      for (int age = 0; age < PopulationCounts::kAges; ++age) {
        CsvOut o(&out);
        o.Text(area.la_code());
        o.Int(y);
        o.Int(sex);
        o.Int(age);
        o.Int(c.At(y, sex, age));
        o.End();
      }
    }
  }
  return out;
}

}  // namespace pioneer::synth
