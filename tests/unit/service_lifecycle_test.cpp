// The lifecycle use cases (src/service/lifecycle_steps.hpp): a step is recorded with its audit
// row in one transaction and rolled back with it; who may take it where is decided before the
// lifecycle is asked (links, jurisdiction), and the lifecycle's refusals arrive as kinds. On
// both stores (store_support.hpp).
#include "core/error.hpp"
#include "service/lifecycle_steps.hpp"
#include "service_support.hpp"

#include <gtest/gtest.h>

using mineplan::Json;
using review_test::TempDir;
namespace service = mineplan::service;
namespace store = mineplan::store;

namespace {

class ServiceSteps : public ::testing::Test {
protected:
  void SetUp() override {
    st = registry_test::store_with_mines(dir.file("s.gpkg"), 2);
    places = std::make_unique<service::DivisionPlaces>(st->divisions());
  }

  service::StepDeps deps() { return {*st, registry_test::lifecycles(), *places, {}}; }

  // The holder of T-000 applies for the green list.
  service::StepOutcome apply(const service::Actor &actor, const std::string &mine = "T-000") {
    auto target = service::authorise_step(deps(), actor, service::kGreenMine, mine);
    return service::take_step(
        deps(), actor, target,
        {"apply", "2025-03-01", Json{{"level", "league"}, {"self_assessment", "自评估报告"}}});
  }

  TempDir dir;
  std::unique_ptr<store::Store> st;
  std::unique_ptr<service::DivisionPlaces> places;
};

} // namespace

TEST_F(ServiceSteps, AStepIsRecordedWithItsAuditRow) {
  auto out = apply(service_test::holder({"T-000"}));
  EXPECT_EQ(out.step.to_state, "applied");
  EXPECT_EQ(out.state.state, "applied");
  EXPECT_EQ(st->registry_events("green-mine", "T-000").size(), 1u);
  EXPECT_EQ(service_test::audit_rows(*st, "registry.green-mine.apply"), 1);
  EXPECT_TRUE(st->verify_audit().ok);
}

TEST_F(ServiceSteps, AStepRolledBackWithItsTransactionLeavesNoAuditRow) {
  EXPECT_THROW(st->in_transaction([&] {
    apply(service_test::holder({"T-000"}));
    throw std::runtime_error("what the caller did next failed");
  }),
               std::runtime_error);
  EXPECT_TRUE(st->registry_events("green-mine", "T-000").empty());
  EXPECT_EQ(service_test::audit_rows(*st, "registry.green-mine.apply"), 0);
}

TEST_F(ServiceSteps, AHolderNotLinkedToTheMineIsForbidden) {
  EXPECT_THROW(apply(service_test::holder({"T-001"})), mineplan::Forbidden);
  EXPECT_TRUE(st->registry_events("green-mine", "T-000").empty());
}

TEST_F(ServiceSteps, StaffOutsideTheMinesJurisdictionAreForbidden) {
  EXPECT_THROW(service::authorise_step(deps(), service_test::staff("150800", "league_staff"),
                                       service::kGreenMine, "T-000"),
               mineplan::Forbidden);
}

TEST_F(ServiceSteps, ARoleTheLifecycleDoesNotGiveTheStepIsForbidden) {
  // Staff of the place may act on the mine, but applying is the holder's.
  EXPECT_THROW(apply(service_test::staff("150621")), mineplan::Forbidden);
}

TEST_F(ServiceSteps, AStepTheStateDoesNotTakeIsAConflict) {
  const auto actor = service_test::staff("150621");
  auto target = service::authorise_step(deps(), actor, service::kGreenMine, "T-000");
  EXPECT_THROW(
      service::take_step(deps(), actor, target, {"county_pass", "2025-03-01", Json::object()}),
      mineplan::Conflict);
}

TEST_F(ServiceSteps, AMineNotInTheRegisterIsNotFound) {
  EXPECT_THROW(
      service::authorise_step(deps(), service_test::staff("150621"), service::kGreenMine, "T-999"),
      mineplan::NotFound);
}
