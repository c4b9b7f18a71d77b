#include "pioneer/formats/derived_tables.h"

namespace pioneer::formats {
namespace {

using T = FieldType;
constexpr bool kReq = true;
constexpr bool kOpt = false;

constexpr FieldSpec kCarePlans[] = {
    {"plan_id", T::kInteger, kReq, "", "Plan id (assigned by the register)"},
    {"nhs_number", T::kNhsNumber, kReq, "", "NHS Number of the person the plan is for"},
    {"nhs_number_status", T::kText, kReq, "", "Always 'valid': the register validates it"},
    {"status", T::kText, kReq, "",
     "FHIR CarePlan.status: draft, active, on-hold, completed, revoked, entered-in-error"},
    {"accountable_gp", T::kText, kOpt, "", "Named accountable GP ('' none)"},
    {"gp_practice", T::kOdsCode, kOpt, "", "The GP's practice"},
    {"care_coordinator", T::kText, kOpt, "", "Named care coordinator ('' none)"},
    {"coordinator_role", T::kText, kOpt, "", "Role of the care coordinator"},
    {"coordinator_org", T::kText, kOpt, "", "Organisation employing the care coordinator"},
    {"organisations", T::kText, kReq, "",
     "Organisations involved, codes joined with ';' (two or more: a joint plan)"},
    {"start_date", T::kDate, kReq, "", "Plan start"},
    {"review_date", T::kDate, kOpt, "", "Next review"},
    {"end_date", T::kDate, kOpt, "", "End (completed or revoked plans)"},
    {"version", T::kInteger, kReq, "", "Version of the plan (1 = first)"},
};

constexpr FieldSpec kRiskStrata[] = {
    {"nhs_number", T::kNhsNumber, kReq, "", "NHS Number of the scored person"},
    {"nhs_number_status", T::kText, kReq, "", "Always 'valid' (a person of the timeline)"},
    {"index_date", T::kDate, kReq, "", "The date the risk was scored at"},
    {"model_id", T::kText, kReq, "", "Hash of the model directory that scored it"},
    {"practice", T::kOdsCode, kReq, "", "Practice the person was registered with on the day"},
    {"age", T::kInteger, kReq, "", "Age in years on the day"},
    {"top2_practice", T::kInteger, kReq, "", "1: in the practice's top 2% by risk"},
    {"top4_practice", T::kInteger, kReq, "", "1: in the practice's top 4% by risk"},
    {"loa_band", T::kInteger, kReq, "", "Likelihood of Admission band 1-5"},
    {"rub_band", T::kInteger, kOpt, "", "Resource Utilisation Band 1-5 (when scored)"},
    {"saved_at", T::kText, kReq, "", "UTC time the stratum was saved"},
};

constexpr ExtractSpec kDerived[] = {
    {"",
     "care_plans",
     "Pioneer's joint care plan register",
     "The current version of each joint care plan",
     kCarePlans,
     "plan_id",
     true,
     {},
     {"start_date", "end_date", "status", "coordinator_role"}},
    {"",
     "risk_strata",
     "Pioneer's risk stratification",
     "Risk strata of every scored person at an index date",
     kRiskStrata,
     "",
     true,
     {},
     {"index_date", "", "model_id", ""}},
};

}  // namespace

std::span<const ExtractSpec> DerivedTables() { return kDerived; }

const ExtractSpec* FindSourceTable(std::string_view table) {
  for (const ExtractSpec& e : AllExtracts()) {
    if (e.table == table) return &e;
  }
  for (const ExtractSpec& e : kDerived) {
    if (e.table == table) return &e;
  }
  return nullptr;
}

}  // namespace pioneer::formats
