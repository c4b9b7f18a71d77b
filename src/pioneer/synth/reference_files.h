// The reference extracts of a synthetic area: organisations.csv, lsoa.csv, unit_costs.csv and
// population.csv (ONS-style mid-year estimates computed from the synthetic residents, so that
// every rate the platform computes has a consistent denominator). Each function returns the
// whole file, header included, in the column order of formats/extract_schema.cc.
#pragma once

#include <string>

#include "pioneer/synth/area.h"
#include "pioneer/synth/extract_writer.h"

namespace pioneer::synth {

// The header row of an extract ("a,b,c\n") from the schema. REQUIRES: a known file name.
std::string SchemaHeader(const char* file_name);

std::string OrganisationsCsv(const Area& area);
std::string LsoaCsv(const Area& area);
std::string UnitCostsCsv();
// Residents on 30 June of each year by sex and single year of age 0..90 (90 = 90 and over).
std::string PopulationCsv(const Area& area, const PopulationCounts& counts);

}  // namespace pioneer::synth
