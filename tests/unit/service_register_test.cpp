// The register use cases (src/service/register.hpp): an import views the register once and
// the registries answer its changes once, in its transaction; a change by hand is refused
// outside the actor's jurisdiction, for a missing entry and at the closure gate, and tells the
// read model when it landed. On both stores (store_support.hpp).
#include "core/error.hpp"
#include "service/register.hpp"
#include "service_support.hpp"

#include <gtest/gtest.h>

#include <fstream>

using mineplan::Json;
using review_test::TempDir;
namespace service = mineplan::service;
namespace store = mineplan::store;
namespace fs = std::filesystem;

namespace {

class ServiceRegister : public ::testing::Test {
protected:
  void SetUp() override {
    st = registry_test::store_with_mines(dir.file("s.gpkg"), 3);
    // T-000 is on the green list (by the register).
    auto mines = st->mines(store::AsOf{});
    for (auto &m : mines)
      if (m.uid == "T-000") {
        m.green_level = "league";
        m.green_year = 2021;
        st->import_mines({m}, "2021-01-01", "service test");
      }
    places = std::make_unique<service::DivisionPlaces>(st->divisions());
    schema = mineplan::io::LedgerSchema::load(fs::path(MINEPLAN_SOURCE_DIR) / "data" /
                                              "ledger-columns.json");
  }

  // A mines ledger of T-000 with the scale class and status given.
  fs::path ledger(const std::string &scale, const std::string &status) {
    fs::path file = dir.file("mines.csv");
    std::ofstream(file) << "矿山编号,矿山名称,矿业权人,开采矿种,矿山规模,生产状态,行政区代码,"
                           "绿色矿山级别,入选年份\n"
                           "T-000,测试矿山T-000,乙公司,煤炭,"
                        << scale << "," << status << ",150621,盟市级,2021\n";
    return file;
  }

  service::ImportOutcome import(store::Store &s, const fs::path &file) {
    service::ImportRequest req;
    req.file = file;
    req.name = "mines.csv";
    req.options.layer = "mines";
    req.options.as_of = "2025-06-01";
    req.options.threads = 1;
    req.schema = &schema;
    return service::import_register({s, registry_test::lifecycles(), *places, [&] { ++told; }, {}},
                                    service_test::staff("150621"), req);
  }

  service::RegisterDeps deps() {
    return {*st, registry_test::lifecycles(), *places, [&] { ++told; }, {}};
  }

  TempDir dir;
  std::unique_ptr<store::Store> st;
  std::unique_ptr<service::DivisionPlaces> places;
  mineplan::io::LedgerSchema schema;
  int told = 0;
};

} // namespace

TEST_F(ServiceRegister, AnImportReadsTheRegisterOnce) {
  service_test::CountingStore counting(*st);
  auto out = import(counting, ledger("中型", "停产"));
  ASSERT_TRUE(out.result.written) << out.result.json().dump();
  EXPECT_EQ(out.result.summary.changed, 1);
  // Its rights and its mines, once: not again to check the rows, not again to compare.
  EXPECT_EQ(counting.register_reads, 2);
  EXPECT_TRUE(out.registry_steps.empty());
}

TEST_F(ServiceRegister, AnImportAnswersTheRegisterChangeOnce) {
  auto out = import(*st, ledger("大型", "生产"));
  ASSERT_TRUE(out.result.written) << out.result.json().dump();
  ASSERT_EQ(out.registry_steps.size(), 1u);
  EXPECT_TRUE(out.registry_steps[0].recorded) << out.registry_steps[0].reason;
  auto evs = st->registry_events("green-mine", "T-000");
  ASSERT_EQ(evs.size(), 1u);
  EXPECT_EQ(evs[0].to_state, "reassessment");
  EXPECT_EQ(evs[0].data["trigger"]["by"], "staff");
  EXPECT_EQ(evs[0].data["trigger"]["source"], "import mines.csv");
  EXPECT_EQ(told, 1);
}

TEST_F(ServiceRegister, AnImportOfRowsOutsideTheJurisdictionWritesNothing) {
  service::ImportRequest req;
  req.file = ledger("大型", "生产");
  req.name = "mines.csv";
  req.options.layer = "mines";
  req.options.as_of = "2025-06-01";
  req.options.threads = 1;
  req.schema = &schema;
  auto out = service::import_register(deps(), service_test::staff("150800", "league_staff"), req);
  EXPECT_FALSE(out.result.written);
  ASSERT_EQ(out.result.problems.size(), 1u);
  EXPECT_EQ(out.result.problems[0].column, "jurisdiction");
  EXPECT_TRUE(st->registry_events("green-mine", "T-000").empty());
  EXPECT_EQ(told, 0);
}

TEST_F(ServiceRegister, OnlyStaffImport) {
  service::ImportRequest req;
  req.file = ledger("大型", "生产");
  req.schema = &schema;
  EXPECT_THROW(service::import_register(deps(), service_test::holder({"T-000"}), req),
               mineplan::Forbidden);
}

TEST_F(ServiceRegister, APatchOutsideTheActorsJurisdictionIsForbidden) {
  service::RegisterPatch patch{"T-001", [] {
                                 return Json{{"status", "stopped"}, {"effective", "2025-01-01"}};
                               }};
  EXPECT_THROW(service::update_mine(deps(), service_test::staff("150800", "league_staff"), patch),
               mineplan::Forbidden);
  EXPECT_EQ(mineplan::registry::current_mine(*st, "T-001")->status, "producing");
  EXPECT_EQ(told, 0);
}

TEST_F(ServiceRegister, APatchWithinTheJurisdictionLandsAndTellsTheReadModel) {
  service::RegisterPatch patch{"T-001", [] {
                                 return Json{{"status", "stopped"}, {"effective", "2025-01-01"}};
                               }};
  auto out = service::update_mine(deps(), service_test::staff("150600", "league_staff"), patch);
  ASSERT_TRUE(out.mine);
  EXPECT_EQ(out.mine->status, "stopped");
  EXPECT_EQ(told, 1);
}

TEST_F(ServiceRegister, APatchOfAFieldThatCannotChangeNamesIt) {
  service::RegisterPatch patch{"T-001", [] {
                                 return Json{{"holder", "丙公司"}, {"effective", "2025-01-01"}};
                               }};
  try {
    service::update_mine(deps(), service_test::staff("150621"), patch);
    FAIL() << "expected a refusal";
  } catch (const mineplan::Refusal &e) {
    EXPECT_EQ(e.kind(), mineplan::ErrorKind::invalid_input);
    EXPECT_EQ(e.field(), "holder");
  }
}

TEST_F(ServiceRegister, AClosureBeforeTheRestorationIsAcceptedIsAConflict) {
  service::RegisterPatch patch{"T-001", [] {
                                 return Json{{"status", "closed"}, {"effective", "2025-01-01"}};
                               }};
  EXPECT_THROW(service::update_mine(deps(), service_test::staff("150621"), patch),
               mineplan::Conflict);
  EXPECT_EQ(mineplan::registry::current_mine(*st, "T-001")->status, "producing");
}

TEST_F(ServiceRegister, APatchOfNoCurrentRightIsNotFound) {
  service::RegisterPatch patch{"no-such-right", [] {
                                 return Json{{"status", "stopped"}, {"effective", "2025-01-01"}};
                               }};
  EXPECT_THROW(service::update_right(deps(), service_test::staff("150621"), patch),
               mineplan::NotFound);
}
