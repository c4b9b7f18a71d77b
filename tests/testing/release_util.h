// Releases of aggregates for tests that need exact figures (worked examples, attacks on the
// published ones): asked of the real IG gate of the test's store, never constructed, so the
// tests go through the rule they rely on (docs/ig.md R23).
#pragma once

#include <gtest/gtest.h>

#include <ctime>

#include "pioneer/ig/aggregate_release.h"
#include "pioneer/ig/gate.h"
#include "pioneer/ig/users.h"
#include "pioneer/store/store.h"

namespace pioneer::testing {

inline constexpr char kTestIgOfficer[] = "test-ig-officer";
inline constexpr char kTestIgOfficerPassword[] = "reconcile-the-figures";

// Adds the IG officer account the tests sign in with (once per store).
inline void AddTestIgOfficer(store::Store& store) {
  ig::NewUser officer;
  officer.username = kTestIgOfficer;
  officer.role = ig::Role::kIgOfficer;
  officer.org_code = "B86001";
  Status st = ig::UserDirectory(store).Add(officer, kTestIgOfficerPassword);
  EXPECT_TRUE(st.ok() || st.code() == StatusCode::kAlreadyExists) << st.ToString();
}

// A release with small numbers shown (and objectors counted when asked), granted by the gate
// to the test IG officer. A failure to get it fails the test and returns Published().
inline ig::AggregateRelease ReconciliationRelease(store::Store& store,
                                                  bool include_objectors = false) {
  AddTestIgOfficer(store);
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  ig::SignInFailure failure = ig::SignInFailure::kNone;
  auto who = ig::UserDirectory(store).SignIn(kTestIgOfficer, kTestIgOfficerPassword, now, &failure);
  if (!who) {
    ADD_FAILURE() << "the test IG officer could not sign in";
    return ig::AggregateRelease::Published();
  }
  ig::AggregateRequest request;
  request.show_small_numbers = true;
  request.include_objectors = include_objectors;
  request.reason = "exact figures for a test";
  request.output = "test";
  ig::Gate gate(store, now);
  auto release = gate.ReleaseAggregates(*who, request);
  if (!release.ok()) {
    ADD_FAILURE() << release.status().ToString();
    return ig::AggregateRelease::Published();
  }
  return *release;
}

}  // namespace pioneer::testing
