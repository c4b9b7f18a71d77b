// Population structure and movement: the age/sex pyramid, mortality, births, migration,
// within-area moves and surname changes. Every figure and its source or reasoning is in the
// parameter table of docs/synthetic-data.md.
//
// Thread safety: pure functions over constant tables.
#pragma once

#include <cstdint>

#include "pioneer/synth/rng.h"

namespace pioneer::synth {

inline constexpr int kMaxAge = 105;

// Crude rates per person-year used to size the entrant cohorts (docs: births and migration).
inline constexpr double kBirthRate = 0.0125;       // Leeds 2014: ~9,900 births / 766,000
inline constexpr double kInMigrationRate = 0.047;  // gross inflow, internal + international

// Age in whole years for a resident at the start of the window, drawn from the England
// mid-2012 pyramid for `sex` (1 male, 2 female).
int SampleResidentAge(Rng& rng, int sex);
// Sex of a resident (from the pyramid's sex ratio) and of a newborn (105 boys : 100 girls).
int SampleResidentSex(Rng& rng);
int SampleNewbornSex(Rng& rng);
// Age of someone moving into the area (migrants are mostly 18-35).
int SampleInMigrantAge(Rng& rng);

// Baseline death hazard per year at `age` for `sex`: a Gompertz-Makeham curve fitted by eye
// to the England and Wales 2012-14 life tables, before health multipliers.
double DeathHazard(int age, int sex);
// Hazard per year of leaving the area.
double OutMigrationHazard(int age);
// Hazard per year of moving house within the area.
double LocalMoveHazard(int age);
// Hazard per year of changing surname (marriage or civil partnership, divorce).
double SurnameChangeHazard(int age, int sex);

}  // namespace pioneer::synth
