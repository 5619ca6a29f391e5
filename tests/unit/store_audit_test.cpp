// The audit log: every store write appends a row in its own transaction, the store refuses to
// change or delete rows, and a row changed behind the store's back breaks the hash chain.
#include "audit_support.hpp"
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

// --- signed tree heads (docs/audit.md) ---------------------------------------------------------

namespace {

using mineplan::store::Extension;

// A store with `extra` more audit rows than the seed store, and a head signed over all its rows.
struct SignedLog {
  TempDir dir;
  std::string file = fresh_copy(dir);
  mineplan::store::SigningKey key = mineplan::store::new_signing_key();
  mineplan::store::SignedHead head;

  explicit SignedLog(int extra) {
    auto st = mineplan::store::Store::open(file);
    st->set_actor({"alice", "region_staff"});
    for (int i = 0; i < extra; ++i)
      st->audit("test.event", "t/" + std::to_string(i), nullptr, mineplan::Json{{"i", i}});
    head = mineplan::store::sign_head(
        mineplan::store::tree_head(mineplan::store::audit_leaf_hashes(*st), "2026-12-04T10:00:00Z"),
        key);
  }
  mineplan::store::ExtensionCheck check() const {
    return mineplan::store::check_extends(head, mineplan::testing::audit_leaves(file));
  }
};

} // namespace

TEST(StoreAuditHeads, TheLogExtendsItsSignedHeadAsItGrows) {
  SignedLog log(3);
  EXPECT_EQ(log.check().verdict, Extension::extends) << log.check().message;
  {
    auto st = mineplan::store::Store::open(log.file);
    for (int i = 0; i < 5; ++i)
      st->audit("test.later", "t/" + std::to_string(i), nullptr, nullptr);
  }
  auto c = log.check();
  EXPECT_EQ(c.verdict, Extension::extends) << c.message;
  EXPECT_EQ(c.log_size, c.head_size + 5);
  EXPECT_GT(c.proof_hashes, 0u);
}

TEST(StoreAuditHeads, DeletingTheNewestRowsIsDetected) {
  SignedLog log(4);
  mineplan::testing::truncate_audit_log(log.file, log.head.tree_size - 2);
  EXPECT_TRUE(mineplan::store::Store::open(log.file)->verify_audit().ok); // the chain cannot tell
  auto c = log.check();
  EXPECT_EQ(c.verdict, Extension::truncated);
  EXPECT_NE(c.message.find("截断"), std::string::npos) << c.message;
}

TEST(StoreAuditHeads, DeletingTheNewestRowsAndWritingNewOnesIsDetected) {
  SignedLog log(4);
  mineplan::testing::truncate_audit_log(log.file, log.head.tree_size - 2);
  {
    auto st = mineplan::store::Store::open(log.file);
    for (int i = 0; i < 5; ++i)
      st->audit("test.cover", "t/" + std::to_string(i), nullptr, nullptr);
  }
  EXPECT_TRUE(mineplan::store::Store::open(log.file)->verify_audit().ok);
  EXPECT_EQ(log.check().verdict, Extension::rewritten);
}

TEST(StoreAuditHeads, DeletingAllRowsIsDetected) {
  SignedLog log(2);
  mineplan::testing::truncate_audit_log(log.file, 0);
  auto st = mineplan::store::Store::open(log.file);
  EXPECT_TRUE(st->verify_audit().ok); // an empty chain verifies
  EXPECT_EQ(st->verify_audit().rows, 0);
  EXPECT_EQ(log.check().verdict, Extension::truncated);
}

TEST(StoreAuditHeads, RewritingARowAndRechainingTheRestIsDetected) {
  SignedLog log(4);
  mineplan::testing::rewrite_and_rechain(log.file, static_cast<std::size_t>(log.head.tree_size - 3),
                                         "mallory");
  auto st = mineplan::store::Store::open(log.file);
  auto chain = st->verify_audit();
  EXPECT_TRUE(chain.ok) << chain.problem; // re-chained: the hash chain alone cannot tell
  auto c = log.check();
  EXPECT_EQ(c.verdict, Extension::rewritten);
  EXPECT_NE(c.message.find("改写"), std::string::npos) << c.message;
}

TEST(StoreAuditHeads, RewritingTheFirstRowIsDetected) {
  SignedLog log(1);
  mineplan::testing::rewrite_and_rechain(log.file, 0, "mallory");
  EXPECT_TRUE(mineplan::store::Store::open(log.file)->verify_audit().ok);
  EXPECT_EQ(log.check().verdict, Extension::rewritten);
}

TEST(StoreAuditHeads, EveryColumnOfARowIsInItsLeaf) {
  SignedLog log(1);
  auto last_leaf = [&] { return mineplan::testing::audit_leaves(log.file).back(); };
  const auto last = mineplan::store::Store::open(log.file)->audit_entries(0, 1 << 30).back().id;
  mineplan::testing::lift_append_only(log.file, "audit_log");
  auto leaf = last_leaf();
  for (const char *set : {"at = 'x'", "who = 'x'", "role = 'x'", "action = 'x'", "target = 'x'",
                          "before = '{}'", "after = NULL", "prev_hash = 'x'", "hash = 'x'"}) {
    mineplan::testing::raw_sql(log.file, "UPDATE audit_log SET " + std::string(set) +
                                             " WHERE fid = " + std::to_string(last));
    const auto now = last_leaf();
    EXPECT_NE(now, leaf) << set;
    leaf = now;
  }
}

TEST(StoreAuditHeads, PublishedHeadsAreKeptAppendOnlyAndAudited) {
  SignedLog log(1);
  auto st = mineplan::store::Store::open(log.file);
  EXPECT_TRUE(mineplan::store::audit_heads(*st, 10).empty());
  mineplan::store::add_audit_head(*st, log.head);
  auto heads = mineplan::store::audit_heads(*st, 10);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].root_hash, log.head.root_hash);
  EXPECT_EQ(heads[0].signature, log.head.signature);
  EXPECT_TRUE(mineplan::store::head_signature_valid(heads[0]));
  EXPECT_EQ(st->audit_entries(0, 1 << 30).back().action, "audit.head");
  EXPECT_THROW(mineplan::testing::raw_sql(log.file, "DELETE FROM audit_heads"), mineplan::Error);
  // The head's own row extends it.
  EXPECT_EQ(log.check().verdict, Extension::extends);
}

TEST(StoreAuditHeads, AnAlteredHeadOrAnotherKeyIsRefused) {
  SignedLog log(1);
  auto altered = log.head;
  altered.tree_size -= 1;
  EXPECT_EQ(
      mineplan::store::check_extends(altered, mineplan::testing::audit_leaves(log.file)).verdict,
      Extension::bad_signature);
  auto other = mineplan::store::new_signing_key();
  const std::string other_pub = mineplan::store::sign_head(log.head, other).public_key;
  EXPECT_EQ(
      mineplan::store::check_extends(log.head, mineplan::testing::audit_leaves(log.file), other_pub)
          .verdict,
      Extension::other_key);
}

TEST(StoreAudit, ARowWhoseJsonIsBrokenIsNamedWithItsColumn) {
  TempDir dir;
  auto file = fresh_copy(dir);
  std::int64_t id = 0;
  {
    auto st = mineplan::store::Store::open(file);
    st->audit("test.event", "t", nullptr, mineplan::Json{{"i", 1}});
    id = st->audit_entries(0, 1 << 30).back().id;
  }
  mineplan::testing::lift_append_only(file, "audit_log");
  mineplan::testing::raw_sql(file, "UPDATE audit_log SET after = '{\"i\": ' WHERE fid = " +
                                       std::to_string(id));
  auto check = mineplan::store::Store::open(file)->verify_audit();
  EXPECT_FALSE(check.ok);
  EXPECT_EQ(check.first_bad, id);
  EXPECT_NE(check.problem.find("第 " + std::to_string(id) + " 行"), std::string::npos)
      << check.problem;
  EXPECT_NE(check.problem.find("after"), std::string::npos) << check.problem;
  EXPECT_NE(check.problem.find("JSON"), std::string::npos) << check.problem;
  EXPECT_EQ(check.problem.find("parse_error"), std::string::npos) << check.problem;
}

// `mineplan copy` keeps every column of every row: a head signed on the source verifies against
// the copy (GeoPackage → GeoPackage, or → PostgreSQL under MINEPLAN_TEST_POSTGRES), and the
// published heads travel with it.
TEST(StoreAuditHeads, ALosslessCopyStillExtendsTheHead) {
  TempDir dir;
  const auto src_file = dir.path() / "src.gpkg";
  std::filesystem::copy_file(base_store_file(), src_file);
  auto src = mineplan::store::Store::open(src_file.string());
  const auto key = mineplan::store::new_signing_key();
  const auto head = mineplan::store::sign_head(
      mineplan::store::tree_head(mineplan::store::audit_leaf_hashes(*src), "2026-12-04T10:00:00Z"),
      key);
  mineplan::store::add_audit_head(*src, head);
  auto dst = mineplan::store::Store::open(
      mineplan::testing::store_location(dir.path() / "dst.gpkg"), true);
  dynamic_cast<mineplan::store::sql::SqlStore &>(*dst).copy_from(
      dynamic_cast<mineplan::store::sql::SqlStore &>(*src));
  auto c = mineplan::store::check_extends(head, mineplan::store::audit_leaf_hashes(*dst));
  EXPECT_EQ(c.verdict, Extension::extends) << c.message;
  EXPECT_EQ(c.log_size, head.tree_size + 2); // the head's row and the copy's row
  ASSERT_EQ(mineplan::store::audit_heads(*dst, 10).size(), 1u);
  EXPECT_EQ(mineplan::store::audit_heads(*dst, 10)[0].signature, head.signature);
}
