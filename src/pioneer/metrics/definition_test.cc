#include "pioneer/metrics/definition.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "pioneer/ig/gate.h"
#include "pioneer/store/store.h"

namespace pioneer::metrics {
namespace {

namespace fs = std::filesystem;

TEST(GatedSwitchesTest, CallersCannotSetThemAndPublishedIsTheDefault) {
  for (const char* name : {"disclosure.apply", "objections.secondary_use"}) {
    const SwitchSpec* spec = nullptr;
    for (const auto& s : AllSwitches()) {
      if (s.name == name) spec = &s;
    }
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_TRUE(spec->gated) << name;
    for (const std::string& value : spec->allowed) {
      auto sw = ResolveSwitches({{name, value}});
      ASSERT_FALSE(sw.ok()) << name << "=" << value;
      EXPECT_NE(sw.status().message().find("decided by the IG gate"), std::string::npos);
    }
  }
  auto sw = ResolveSwitches({{"nel.method_set", "mar"}});
  ASSERT_TRUE(sw.ok()) << sw.status().ToString();
  EXPECT_EQ(sw->at("disclosure.apply"), "true");
  EXPECT_EQ(sw->at("objections.secondary_use"), "exclude");
  EXPECT_EQ(sw->at("nel.method_set"), "mar");
  int gated = 0;
  for (const auto& s : AllSwitches()) gated += s.gated;
  EXPECT_EQ(gated, 2);
}

TEST(GatedSwitchesTest, TheGatesReleaseSetsThem) {
  const fs::path dir = fs::path(::testing::TempDir()) / "pioneer_gated_switches";
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    auto store = store::Store::OpenSqlite((dir / "store.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ig::Principal officer;
    officer.username = "iris";
    officer.role = ig::Role::kIgOfficer;
    officer.org_code = "B86001";
    ig::Gate gate(**store, 1'800'000'000);
    ig::AggregateRequest ask;
    ask.show_small_numbers = true;
    ask.include_objectors = true;
    ask.reason = "reconcile with the SUS extract";
    ask.output = "test";
    auto release = gate.ReleaseAggregates(officer, ask);
    ASSERT_TRUE(release.ok()) << release.status().ToString();
    auto sw = ResolveSwitches({}, *release);
    ASSERT_TRUE(sw.ok());
    EXPECT_EQ(sw->at("disclosure.apply"), "false");
    EXPECT_EQ(sw->at("objections.secondary_use"), "include");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace pioneer::metrics
