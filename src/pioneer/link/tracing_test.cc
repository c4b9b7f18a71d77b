#include "pioneer/link/tracing.h"

#include <gtest/gtest.h>

#include "pioneer/link/link_test_util.h"
#include "testing/test_util.h"

namespace pioneer::link {
namespace {

using pioneer::testing::TestNhsNumber;
using testing::P;
using testing::Rec;

// A hand-set model over the fields tracing compares (no TF: the index here is tiny).
FellegiSunterModel TraceModel() {
  std::vector<ComparisonSpec> specs;
  for (Field f :
       {Field::kGivenName, Field::kFamilyName, Field::kBirthDate, Field::kSex, Field::kPostcode}) {
    ComparisonSpec s = DefaultComparison(f, true);
    s.term_frequency = false;
    s.nickname_level = false;  // the hand-set m and u below have no nickname level
    specs.push_back(s);
  }
  std::vector<ComparisonParameters> p(5);
  p[0].m = p[1].m = {0, 0.85, 0.02, 0.06, 0.02, 0.02, 0.03};
  p[0].u = p[1].u = {0, 0.005, 0.0005, 0.002, 0.003, 0.04, 0.9495};
  p[2].m = {0, 0.9, 0.04, 0.01, 0.01, 0.01, 0.01, 0.02};
  p[2].u = {0, 0.0001, 0.0005, 0.00005, 0.002, 0.02, 0.15, 0.82735};
  p[3].m = {0, 0.98, 0.02};
  p[3].u = {0, 0.5, 0.5};
  p[4].m = {0, 0.7, 0.05, 0.05, 0.02, 0.05, 0.13};
  p[4].u = {0, 0.0005, 0.002, 0.01, 0.005, 0.05, 0.9325};
  return FellegiSunterModel(ComparisonSet(specs), p, 1e-4);
}

class TracingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // 0: Ann Smith, formerly Jones, moved from LS2 9JT.
    mpi_.push_back({TestNhsNumber(1),
                    "Smith",
                    "Ann",
                    "2",
                    "1940-05-01",
                    "LS1 4AP",
                    {{"Jones", "", "LS2 9JT"}}});
    // 1: Ravi Patel.
    mpi_.push_back({TestNhsNumber(2), "Patel", "Ravi", "1", "1930-01-12", "LS6 1AA", {}});
    // 2 and 3: twins with the same surname, birth date, sex and postcode.
    mpi_.push_back({TestNhsNumber(3), "Brown", "Edith", "2", "1990-07-07", "LS7 3BB", {}});
    mpi_.push_back({TestNhsNumber(4), "Brown", "Ethel", "2", "1990-07-07", "LS7 3BB", {}});
    // 4: George Wood.
    mpi_.push_back({TestNhsNumber(5), "Wood", "George", "1", "1955-11-30", "M1 1AA", {}});
    auto t = Tracer::Create(mpi_, TraceModel());
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    tracer_ = std::make_unique<Tracer>(std::move(*t));
  }
  TraceDecision Trace(const P& p) { return tracer_->Trace(Rec(p)); }
  static bool Mentions(const TraceDecision& d, std::string_view text) {
    for (const auto& e : d.evidence) {
      if (e.find(text) != std::string::npos) return true;
    }
    return false;
  }

  std::vector<MpiPerson> mpi_;
  std::unique_ptr<Tracer> tracer_;
};

TEST_F(TracingTest, CrossCheckExact) {
  const TraceDecision d = Trace({.id = "q", .dob = "1940-05-01", .nhs = TestNhsNumber(1)});
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_TRUE(d.automatic);
  EXPECT_EQ(d.step, TraceStep::kCrossCheck);
  EXPECT_EQ(d.reason, "cross-check-exact");
  EXPECT_EQ(d.person, 0);
  EXPECT_EQ(d.nhs_number, TestNhsNumber(1));
}

TEST_F(TracingTest, CrossCheckPartialDateNeedsNameCheck) {
  // Day and month swapped (1940-01-05): partial; name check against the HISTORIC surname.
  TraceDecision d = Trace({.id = "q",
                           .given = "Annie",
                           .family = "Jonas",
                           .dob = "1940-01-05",
                           .nhs = TestNhsNumber(1)});
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_EQ(d.step, TraceStep::kCrossCheck);
  EXPECT_EQ(d.reason, "cross-check-name-check");
  // Partial date but the names disagree: a conflict, never accepted at cross-check.
  d = Trace(
      {.id = "q", .given = "Zed", .family = "Quist", .dob = "1940-01-05", .nhs = TestNhsNumber(1)});
  EXPECT_NE(d.step, TraceStep::kCrossCheck);
  EXPECT_NE(d.outcome, TraceOutcome::kMatched);
  EXPECT_TRUE(Mentions(d, "name check failed"));
  // A partial query date (year only) agrees as given; the name check decides.
  d = Trace({.id = "q", .given = "Ann", .family = "Smith", .dob = "1940", .nhs = TestNhsNumber(1)});
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_EQ(d.reason, "cross-check-name-check");
}

TEST_F(TracingTest, CrossCheckOutcodeCheckUsesHistoricPostcodes) {
  // No names: the outcode (district) is checked against current and historic postcodes.
  TraceDecision d = Trace({.id = "q",
                           .dob = "1940-05-10",
                           .postcode = "LS2 1XX",
                           .nhs = TestNhsNumber(1)});  // 2 of 3 parts; LS2 is historic
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_EQ(d.reason, "cross-check-outcode-check");
  d = Trace({.id = "q", .dob = "1940-05-10", .postcode = "M9 1XX", .nhs = TestNhsNumber(1)});
  EXPECT_NE(d.outcome, TraceOutcome::kMatched);
  EXPECT_TRUE(Mentions(d, "outcode check failed"));
}

TEST_F(TracingTest, MisKeyedNumberFallsThroughToDemographics) {
  // Ravi Patel's details with Ann Smith's number: the dates disagree -> conflict, and the
  // alphanumeric step finds Ravi.
  const TraceDecision d = Trace({.id = "q",
                                 .given = "Ravi",
                                 .family = "Patel",
                                 .dob = "1930-01-12",
                                 .sex = "M",
                                 .postcode = "LS6 1AA",
                                 .nhs = TestNhsNumber(1)});
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_EQ(d.step, TraceStep::kAlphanumeric);
  EXPECT_EQ(d.person, 1);
  EXPECT_TRUE(Mentions(d, "date of birth disagrees"));
}

TEST_F(TracingTest, AlphanumericUsesNameAndPostcodeHistory) {
  // Maiden name and previous postcode: only the history rows agree.
  const TraceDecision d = Trace({.id = "q",
                                 .given = "Ann",
                                 .family = "Jones",
                                 .dob = "1940-05-01",
                                 .sex = "F",
                                 .postcode = "LS2 9JT"});
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_TRUE(d.automatic);
  EXPECT_EQ(d.step, TraceStep::kAlphanumeric);
  EXPECT_EQ(d.reason, "alphanumeric-unique");
  EXPECT_EQ(d.person, 0);
  EXPECT_TRUE(Mentions(d, "no valid NHS Number"));
}

TEST_F(TracingTest, TwinsAreAmbiguousAndNeverAutoAccepted) {
  // No given name: both twins survive the alphanumeric step and score the same.
  const TraceDecision d =
      Trace({.id = "q", .family = "Brown", .dob = "1990-07-07", .sex = "F", .postcode = "LS7 3BB"});
  EXPECT_EQ(d.step, TraceStep::kProbabilistic);
  EXPECT_EQ(d.outcome, TraceOutcome::kReview);
  EXPECT_FALSE(d.automatic);
  EXPECT_EQ(d.reason, "ambiguous");
  EXPECT_TRUE(Mentions(d, "alphanumeric: 2 candidates"));
  ASSERT_GE(d.candidates.size(), 2u);
  EXPECT_DOUBLE_EQ(d.weight, d.runner_up_weight);
  // With the given name the alphanumeric step finds exactly one.
  const TraceDecision e = Trace({.id = "q",
                                 .given = "Ethel",
                                 .family = "Brown",
                                 .dob = "1990-07-07",
                                 .sex = "F",
                                 .postcode = "LS7 3BB"});
  EXPECT_EQ(e.step, TraceStep::kAlphanumeric);
  EXPECT_EQ(e.person, 3);
}

TEST_F(TracingTest, ProbabilisticMatchWithHistoryAndEvidence) {
  // No sex (so no alphanumeric trace), a surname typo, and the previous postcode.
  const TraceDecision d = Trace(
      {.id = "q", .given = "Ann", .family = "Jomes", .dob = "1940-05-01", .postcode = "LS2 9JT"});
  EXPECT_EQ(d.step, TraceStep::kProbabilistic);
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_TRUE(d.automatic);
  EXPECT_EQ(d.person, 0);
  EXPECT_GT(d.probability, 0.95);
  ASSERT_FALSE(d.candidates.empty());
  const TraceCandidate& best = d.candidates[0];
  ASSERT_EQ(best.fields.size(), 5u);
  EXPECT_EQ(best.fields[1].comparison, "family_name");
  EXPECT_EQ(best.fields[1].level, "jw>=0.88");  // jones/jomes against the historic name
  EXPECT_EQ(best.fields[4].level, "exact");     // historic postcode
  double sum = tracer_->model().prior_weight();
  for (const FieldEvidence& f : best.fields) sum += f.weight;
  EXPECT_NEAR(sum, best.weight, 1e-9);
}

TEST_F(TracingTest, MinimumGapSendsCloseCallsToReview) {
  TraceOptions opt;
  opt.min_weight_gap = 1000;  // every runner-up is "close"
  auto t = Tracer::Create(mpi_, TraceModel(), opt);
  ASSERT_TRUE(t.ok());
  const TraceDecision d = t->Trace(Rec(
      {.id = "q", .given = "Ann", .family = "Jomes", .dob = "1940-05-01", .postcode = "LS2 9JT"}));
  if (d.candidates.size() > 1) {
    EXPECT_EQ(d.outcome, TraceOutcome::kReview);
    EXPECT_FALSE(d.automatic);
  }
}

TEST_F(TracingTest, NoMatchAndNoCandidates) {
  const TraceDecision d = Trace(
      {.id = "q", .given = "Zed", .family = "Quist", .dob = "2001-02-03", .postcode = "ZZ9 9ZZ"});
  EXPECT_EQ(d.outcome, TraceOutcome::kNoMatch);
  EXPECT_EQ(d.person, -1);
  EXPECT_TRUE(d.nhs_number.empty());
  EXPECT_EQ(d.reason, "no-candidates");
  const TraceDecision e = Trace({.id = "q", .nhs = "9434765918"});  // invalid check digit
  EXPECT_EQ(e.outcome, TraceOutcome::kNoMatch);
  EXPECT_TRUE(Mentions(e, "no valid NHS Number"));
}

TEST_F(TracingTest, NoBirthDateCrossCheckNeedsNamesAndOutcode) {
  // A held number, no date: both names pass the name check (historic surname) and the
  // postcode district agrees (historic postcode) -> the number stands.
  TraceDecision d = Trace({.id = "q",
                           .given = "Ann",
                           .family = "Jones",
                           .postcode = "LS2 9JT",
                           .nhs = TestNhsNumber(1)});
  EXPECT_EQ(d.outcome, TraceOutcome::kMatched);
  EXPECT_EQ(d.step, TraceStep::kCrossCheck);
  EXPECT_EQ(d.reason, "cross-check-no-birth-date");
  // The district disagrees: not at cross-check.
  d = Trace({.id = "q",
             .given = "Ann",
             .family = "Jones",
             .postcode = "M9 1XX",
             .nhs = TestNhsNumber(1)});
  EXPECT_NE(d.step, TraceStep::kCrossCheck);
  // Only one name: not at cross-check either.
  d = Trace({.id = "q", .family = "Smith", .nhs = TestNhsNumber(1)});
  EXPECT_NE(d.step, TraceStep::kCrossCheck);
}

TEST_F(TracingTest, NoBirthDateIsNeverLinkedAutomatically) {
  // Names, sex and postcode all agree with George Wood, but there is no date of birth:
  // found (a block beyond MPS) and proposed for review, never matched automatically.
  const TraceDecision d =
      Trace({.id = "q", .given = "George", .family = "Wood", .sex = "1", .postcode = "M1 1AA"});
  EXPECT_EQ(d.step, TraceStep::kProbabilistic);
  EXPECT_FALSE(d.automatic);
  EXPECT_NE(d.outcome, TraceOutcome::kMatched);
  ASSERT_FALSE(d.candidates.empty());
  EXPECT_EQ(d.candidates[0].person, 4u);
  EXPECT_TRUE(Mentions(d, "no date of birth"));
}

TEST_F(TracingTest, AnOutrightNameDisagreementIsNotLinkedAutomatically) {
  // Ravi Patel's date of birth, given name, sex and postcode, but another family name: the
  // model may score it high; a disagreeing name keeps it out of automatic matching.
  const TraceDecision d = Trace({.id = "q",
                                 .given = "Ravi",
                                 .family = "Quist",
                                 .dob = "1930-01-12",
                                 .sex = "1",
                                 .postcode = "LS6 1AA"});
  EXPECT_EQ(d.step, TraceStep::kProbabilistic);
  EXPECT_FALSE(d.automatic);
  ASSERT_FALSE(d.candidates.empty());
  EXPECT_TRUE(d.candidates[0].name_disagrees);
  EXPECT_TRUE(Mentions(d, "a name disagrees"));
}

TEST_F(TracingTest, EvidenceHoldsNoRecordContents) {
  const TraceDecision d = Trace({.id = "q",
                                 .given = "Ann",
                                 .family = "Jomes",
                                 .dob = "1940-05-01",
                                 .postcode = "LS2 9JT",
                                 .nhs = TestNhsNumber(2)});
  for (const std::string& e : d.evidence) {
    for (const char* secret : {"ann", "Ann", "Jomes", "jomes", "1940", "LS2", "Smith", "smith"}) {
      EXPECT_EQ(e.find(secret), std::string::npos) << e;
    }
    EXPECT_EQ(e.find(TestNhsNumber(2)), std::string::npos) << e;
  }
}

TEST_F(TracingTest, TraceAllIsDeterministicAndMatchesTrace) {
  std::vector<PersonRecord> qs;
  for (int i = 0; i < 700; ++i) {
    qs.push_back(Rec({.id = std::to_string(i),
                      .given = i % 2 ? "Ann" : "Ravi",
                      .family = i % 3 ? "Smith" : "Patel",
                      .dob = "1940-05-01",
                      .sex = i % 5 ? "F" : "",
                      .postcode = "LS1 4AP"}));
  }
  const auto a = tracer_->TraceAll(qs, 2);
  const auto b = tracer_->TraceAll(qs, 1);
  ASSERT_EQ(a.size(), qs.size());
  for (size_t i = 0; i < qs.size(); ++i) {
    const TraceDecision one = tracer_->Trace(qs[i]);
    EXPECT_EQ(a[i].outcome, one.outcome);
    EXPECT_EQ(a[i].person, one.person);
    EXPECT_EQ(a[i].evidence, one.evidence);
    EXPECT_EQ(b[i].person, one.person);
  }
}

TEST(TracerCreateTest, RejectsInvalidOrDuplicateNumbersWithoutPrintingThem) {
  std::vector<MpiPerson> mpi = {{TestNhsNumber(1), "A", "B", "1", "1950-01-01", "", {}},
                                {TestNhsNumber(1), "C", "D", "2", "1960-01-01", "", {}}};
  auto t = Tracer::Create(mpi, TraceModel());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "master person index: persons 0 and 1 have the same NHS Number");
  mpi[1].nhs_number = "9434765918";
  t = Tracer::Create(mpi, TraceModel());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message().find("9434765918"), std::string::npos);
}

TEST(TracerCreateTest, EstimatesAModelFromQueriesAndIndex) {
  std::vector<MpiPerson> mpi;
  std::vector<PersonRecord> queries;
  const char* given[] = {"Ann", "Bob", "Cara", "Dev", "Eve", "Fin", "Gus", "Hana"};
  const char* family[] = {"Smith", "Patel", "Brown", "Wood", "Khan", "Lee", "Hall", "Ward"};
  for (int i = 0; i < 400; ++i) {
    char dob[16];
    std::snprintf(dob, sizeof dob, "19%02d-%02d-%02d", 20 + i % 80, 1 + i % 12, 1 + i % 28);
    MpiPerson p{TestNhsNumber(i),
                family[i % 8],
                given[(i / 8) % 8],
                i % 2 ? "1" : "2",
                dob,
                "LS" + std::to_string(1 + i % 30) + " 1AA",
                {}};
    mpi.push_back(p);
    if (i % 2 == 0) {
      queries.push_back(Rec({.id = std::to_string(i),
                             .given = p.given_name,
                             .family = p.family_name,
                             .dob = dob,
                             .sex = p.sex,
                             .postcode = p.postcode}));
    }
  }
  EstimationReport rep;
  auto model = EstimateTraceModel(mpi, queries, {}, &rep);
  ASSERT_TRUE(model.ok()) << model.status().ToString();
  EXPECT_EQ(model->comparisons().size(), 5u);   // no NHS numbers in the queries
  EXPECT_GT(model->weight(2, kExactLevel), 5);  // birth date exact is strong evidence
  auto t = Tracer::Create(mpi, *model);
  ASSERT_TRUE(t.ok());
  const TraceDecision d = t->Trace(queries[3]);
  EXPECT_EQ(d.person, 6);
}

}  // namespace
}  // namespace pioneer::link
