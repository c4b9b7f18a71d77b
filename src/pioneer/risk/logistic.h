// The transparent baseline: a main-effects logistic regression on a fixed design of terms
// derived from the risk features (age bands, sex, deprivation quintiles, each long-term
// condition, frailty markers, prior-use categories and log counts, social care), fitted by
// iteratively reweighted least squares with a small ridge penalty, and a two-parameter
// logistic (Platt) recalibration used by both models.
//
// Every term is declared once in BaselineTerms() (name and definition); a person's log-odds
// is intercept + sum(coefficient x term value), and Contributions() lists each term's part
// of it, so a score can be explained line by line.
// Thread safety: pure functions; a LogisticModel is a value.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/risk/features.h"

namespace pioneer::risk {

struct BaselineTerm {
  std::string name;
  std::string definition;
  Feature feature;  // the feature it is derived from (for per-feature reasons)
};

// The design's terms (without the intercept), in coefficient order.
const std::vector<BaselineTerm>& BaselineTerms();

// Term values of one feature row (size BaselineTerms().size()).
void DesignRow(std::span<const float> features, std::vector<double>& out);

struct LogisticModel {
  double intercept = 0;
  std::vector<double> coefficients;  // one per BaselineTerms() entry
  int iterations = 0;
  bool converged = false;
};

// Fits y ~ design(x) on the rows where `use[i]` is true (all rows when empty).
// Errors: kInvalidArgument when there are no rows or the outcome does not vary;
// kInternal when the normal equations are singular.
StatusOr<LogisticModel> FitLogistic(const Cohort& cohort, Outcome outcome,
                                    const std::vector<uint8_t>& use, double ridge = 1.0);

// Log-odds of one feature row.
double LogOdds(const LogisticModel& m, std::span<const float> features);
// The same from the row's design (DesignRow of it): for scoring several models on one row.
double LogOddsOfDesign(const LogisticModel& m, std::span<const double> design);

struct TermContribution {
  int term;             // index into BaselineTerms()
  double value;         // the term's value for this person
  double contribution;  // coefficient x value (log-odds)
};
// Every non-zero term's contribution, largest first.
std::vector<TermContribution> Contributions(const LogisticModel& m,
                                            std::span<const float> features);

// Platt recalibration p' = 1 / (1 + exp(-(a + b logit(p)))), fitted by Newton-Raphson.
struct Recalibration {
  double a = 0;
  double b = 1;
  double Apply(double p) const;
};
// Errors: kInvalidArgument when y does not vary.
StatusOr<Recalibration> FitRecalibration(std::span<const double> p, std::span<const uint8_t> y);

double Logit(double p);  // clamped to [1e-9, 1 - 1e-9]
double Sigmoid(double z);

// Solves the symmetric positive definite system A x = b (A n x n row-major) by Cholesky.
// Returns false when A is not positive definite.
bool SolveSpd(std::vector<double> a, std::vector<double> b, int n, std::vector<double>& x);

}  // namespace pioneer::risk
