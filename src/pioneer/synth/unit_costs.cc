#include "pioneer/synth/unit_costs.h"

namespace pioneer::synth {
namespace {

constexpr std::string_view kPssru2013 =
    "PSSRU Unit Costs of Health and Social Care 2013 (as reported in risk-and-evaluation.md s7)";
constexpr std::string_view kRefCosts1617 =
    "NHS Reference Costs 2016/17 national average (HFMA summary; risk-and-evaluation.md s7)";
constexpr std::string_view kUplifted =
    "Section 7 figure moved to 2014/15 prices at ~1.2% a year NHS cost inflation (approximate)";

constexpr UnitCost kCosts[] = {
    // Section 7 figures at their own price years.
    {"gp_consultation", "per_attendance", "2012/13", 45.00, kPssru2013},
    {"gp_telephone", "per_attendance", "2012/13", 27.00, kPssru2013},
    {"gp_home_visit", "per_attendance", "2012/13", 114.00, kPssru2013},
    {"gp_consultation", "per_attendance", "2022/23", 49.00,
     "PSSRU Unit Costs 2023 Manual, Table 9.4.2: 10-minute consultation incl. qualifications"},
    {"apc_non_elective_spell", "per_spell", "2016/17", 1590.00, kRefCosts1617},
    {"apc_elective_spell", "per_spell", "2016/17", 3684.00, kRefCosts1617},
    {"apc_day_case", "per_spell", "2016/17", 738.00, kRefCosts1617},
    {"apc_excess_bed_day", "per_bed_day", "2016/17", 313.00, kRefCosts1617},
    {"op_attendance", "per_attendance", "2016/17", 120.00, kRefCosts1617},
    {"ae_attendance", "per_attendance", "2016/17", 148.00, kRefCosts1617},
    {"home_care_hour", "per_hour", "2023/24", 25.95,
     "Homecare Association Minimum Price for Homecare 2023-24 (risk-and-evaluation.md s7)"},
    {"residential_care_week", "per_week", "2022/23", 790.00,
     "LaingBuisson via Which?, East Midlands, for-profit homes for older people, all payers"},
    // The complete 2014/15 set.
    {"gp_consultation", "per_attendance", "2014/15", 46.10, kUplifted},
    {"gp_telephone", "per_attendance", "2014/15", 27.65, kUplifted},
    {"gp_home_visit", "per_attendance", "2014/15", 116.75, kUplifted},
    {"apc_non_elective_spell", "per_spell", "2014/15", 1552.70,
     "Reference Costs 2016/17 FCE figure moved to 2014/15 (~1.2%/yr), applied per spell"},
    {"apc_elective_spell", "per_spell", "2014/15", 3597.50, kUplifted},
    {"apc_day_case", "per_spell", "2014/15", 720.70, kUplifted},
    {"apc_excess_bed_day", "per_bed_day", "2014/15", 305.65, kUplifted},
    {"op_attendance", "per_attendance", "2014/15", 117.20, kUplifted},
    {"ae_attendance", "per_attendance", "2014/15", 144.50, kUplifted},
    {"community_contact", "per_attendance", "2014/15", 45.00,
     "Plausible value: ~20-minute district nurse visit at PSSRU 2015 community nurse rates; "
     "approximate, verify"},
    {"mh_contact", "per_attendance", "2014/15", 140.00,
     "Plausible value: community mental health team contact, NHS Reference Costs 2014/15 "
     "era; approximate, verify"},
    {"home_care_hour", "per_hour", "2014/15", 15.50,
     "Plausible value: council-commissioned independent home care, 2014/15 (UKHCA-reported "
     "rates of ~GBP 14-16/hour); approximate, verify"},
    {"home_care_week", "per_week", "2014/15", 170.00,
     "Plausible value: ~11 hours a week at the 2014/15 hourly rate; approximate"},
    {"residential_care_week", "per_week", "2014/15", 525.00,
     "Plausible value: council-funded residential care for older people, 2014/15 (PSS EX1 "
     "era averages ~GBP 500-550); approximate, verify"},
    {"nursing_care_week", "per_week", "2014/15", 600.00,
     "Plausible value: council-funded nursing care excluding the NHS-funded nursing care "
     "contribution, 2014/15; approximate, verify"},
    {"reablement_week", "per_week", "2014/15", 320.00,
     "Plausible value: home-based reablement, PSSRU 2015-era episode costs over ~6 weeks; "
     "approximate, verify"},
    {"direct_payment_week", "per_week", "2014/15", 230.00,
     "Plausible value: average older-person direct payment, 2014/15; approximate, verify"},
    {"respite_week", "per_week", "2014/15", 610.00,
     "Plausible value: short-stay residential respite, 2014/15; approximate, verify"},
    {"assessment", "per_assessment", "2014/15", 220.00,
     "Plausible value: ~5 hours of social worker time at PSSRU 2015 rates; approximate, verify"},
};

}  // namespace

std::span<const UnitCost> UnitCosts() { return kCosts; }

}  // namespace pioneer::synth
