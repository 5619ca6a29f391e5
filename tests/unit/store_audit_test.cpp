// The audit log: every store write appends a row in its own transaction, the store refuses to
// change or delete rows, and a row changed behind the store's back breaks the hash chain.
#include "review_support.hpp"

using mineplan::testing::TempDir;
using review_test::base_store_file;

namespace {

// The location of a new store holding the seed plans.
std::string fresh_copy(const TempDir &dir) {
  auto f = dir.path() / "audit.gpkg";
  mineplan::testing::copy_store(base_store_file(), f).reset();
  return mineplan::testing::store_location(f);
}

} // namespace

TEST(StoreAudit, WritesAppendRowsThatNameTheActor) {
  TempDir dir;
  auto st = mineplan::store::Store::open(fresh_copy(dir));
  const auto before = st->verify_audit().rows;
  EXPECT_GE(before, 1); // the catalogue load
  st->set_actor({"alice", "region_staff"});
  mineplan::store::Notice n;
  n.jurisdiction = "150000";
  n.title = "t";
  n.body = "b";
  st->add_notice(n);
  auto rows = st->audit_entries(0, 1000);
  ASSERT_EQ(static_cast<std::int64_t>(rows.size()), before + 1);
  EXPECT_EQ(rows.back().who, "alice");
  EXPECT_EQ(rows.back().role, "region_staff");
  EXPECT_EQ(rows.back().action, "notice.add");
  EXPECT_EQ(rows.back().prev_hash, rows[rows.size() - 2].hash);
  EXPECT_TRUE(st->verify_audit().ok);
}

TEST(StoreAudit, TheStoreRefusesToChangeOrDeleteRows) {
  TempDir dir;
  auto file = fresh_copy(dir);
  using mineplan::testing::raw_sql;
  EXPECT_THROW(raw_sql(file, "UPDATE audit_log SET who = 'mallory'"), mineplan::Error);
  EXPECT_THROW(raw_sql(file, "DELETE FROM audit_log"), mineplan::Error);
}

TEST(StoreAudit, ATamperedRowIsDetected) {
  TempDir dir;
  auto file = fresh_copy(dir);
  {
    auto st = mineplan::store::Store::open(file);
    st->set_actor({"alice", "region_staff"});
    for (int i = 0; i < 3; ++i)
      st->audit("test.event", "t/" + std::to_string(i), nullptr, mineplan::Json{{"i", i}});
    ASSERT_TRUE(st->verify_audit().ok);
  }
  auto last_id = [&] {
    auto st = mineplan::store::Store::open(file);
    return st->audit_entries(0, 1000).at(2).id;
  }();
  {
    // Someone with the file drops the trigger and edits a row in the middle.
    mineplan::testing::lift_append_only(file, "audit_log");
    mineplan::testing::raw_sql(file, "UPDATE audit_log SET who = 'mallory' WHERE fid = " +
                                         std::to_string(last_id));
  }
  auto st = mineplan::store::Store::open(file);
  auto check = st->verify_audit();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, last_id);
  EXPECT_NE(check.problem.find("changed"), std::string::npos);
}

TEST(StoreAudit, ARemovedRowIsDetected) {
  TempDir dir;
  auto file = fresh_copy(dir);
  {
    auto st = mineplan::store::Store::open(file);
    for (int i = 0; i < 3; ++i)
      st->audit("test.event", "t/" + std::to_string(i), nullptr, nullptr);
  }
  {
    mineplan::testing::lift_append_only(file, "audit_log");
    mineplan::testing::raw_sql(file, "DELETE FROM audit_log WHERE target = 't/1'");
  }
  auto check = mineplan::store::Store::open(file)->verify_audit();
  EXPECT_FALSE(check.ok);
  EXPECT_NE(check.problem.find("removed"), std::string::npos);
}

// Several writes in one transaction land together or not at all; a write inside that fails and
// is caught undoes only itself (a savepoint), even when it failed after writing a row.
TEST(StoreTransaction, WritesTogetherOrNotAtAll) {
  TempDir dir;
  auto st = mineplan::store::Store::open(fresh_copy(dir));
  const auto rows = st->verify_audit().rows;
  mineplan::store::Notice n{0, "", "", "150621", "甲", "正文"};
  EXPECT_THROW(st->in_transaction([&] {
    st->add_notice(n);
    throw mineplan::Error("the caller gives up");
  }),
               mineplan::Error);
  EXPECT_TRUE(st->notices(10).empty());
  EXPECT_EQ(st->verify_audit().rows, rows);

  std::optional<mineplan::Mine> open_mine;
  for (const auto &m : st->mines({}))
    if (m.status != "closed") open_mine = m;
  ASSERT_TRUE(open_mine);
  mineplan::store::RegistryEvent e;
  e.registry = "green-mine";
  e.subject = open_mine->uid;
  e.event = "apply";
  e.to_state = "applied";
  e.date = "2024-01-01";
  mineplan::Mine closing = *open_mine;
  closing.status = "closed"; // refused by the closure gate after the event's row is written
  bool refused = false;
  st->in_transaction([&] {
    st->add_notice(n);
    try {
      st->append_registry_event(e, closing);
    } catch (const mineplan::InputError &) {
      refused = true;
    }
    n.title = "乙";
    st->add_notice(n);
  });
  EXPECT_TRUE(refused);
  EXPECT_EQ(st->notices(10).size(), 2u);
  EXPECT_TRUE(st->registry_events("green-mine", open_mine->uid).empty());
  auto check = st->verify_audit();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.rows, rows + 2);
}
