// A holder's account linked to rights by licence number (issue 12): links arrive with the
// account or one by one, each audited in its own transaction; a link is removed the same way;
// only holders' accounts carry links. On the store the tests run on (GeoPackage or PostgreSQL).
#include "review_support.hpp"

using mineplan::testing::TempDir;
namespace store = mineplan::store;

namespace {

std::unique_ptr<store::Store> fresh(const TempDir &dir) {
  return mineplan::testing::copy_store(review_test::base_store_file(),
                                       dir.path() / "accounts.gpkg");
}

store::Account account(const std::string &username, const std::string &role) {
  store::Account a;
  a.username = username;
  a.display_name = username;
  a.role = role;
  a.jurisdiction = "150621";
  if (role == "holder") a.holder = "某矿业公司";
  a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$x$y";
  return a;
}

std::vector<store::AuditEntry> audit_of(store::Store &st, const std::string &action) {
  std::vector<store::AuditEntry> out;
  for (const auto &e : st.audit_entries(0, 100000))
    if (e.action == action) out.push_back(e);
  return out;
}

} // namespace

TEST(StoreAccountLinks, AHolderArrivesWithItsLinksEachAudited) {
  TempDir dir;
  auto st = fresh(dir);
  st->set_actor({"dalad", "county_staff"});
  store::Account a = account("holder1", "holder");
  a.licences = {"C2", "C1"};
  st->add_account(a);
  EXPECT_EQ(st->account("holder1")->licences, (std::vector<std::string>{"C1", "C2"}));
  auto rows = audit_of(*st, "account.link");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].who, "dalad");
  EXPECT_EQ(rows[0].target, "accounts/holder1");
  EXPECT_EQ(rows[0].after["licence_no"], "C2");
  EXPECT_TRUE(st->verify_audit().ok);
}

TEST(StoreAccountLinks, LinkAndUnlinkOneByOneAudited) {
  TempDir dir;
  auto st = fresh(dir);
  st->add_account(account("holder1", "holder"));
  st->set_actor({"erenhot", "county_staff"});
  EXPECT_TRUE(st->link_licence("holder1", "C1"));
  EXPECT_FALSE(st->link_licence("holder1", "C1")) << "linked already: nothing to do";
  EXPECT_EQ(audit_of(*st, "account.link").size(), 1u);
  EXPECT_EQ(st->account("holder1")->licences, std::vector<std::string>{"C1"});
  // Every account's links come with the list too.
  for (const auto &a : st->accounts()) {
    if (a.username == "holder1") {
      EXPECT_EQ(a.licences, std::vector<std::string>{"C1"});
    }
  }

  EXPECT_TRUE(st->unlink_licence("holder1", "C1"));
  EXPECT_FALSE(st->unlink_licence("holder1", "C1")) << "not linked: nothing to do";
  EXPECT_TRUE(st->account("holder1")->licences.empty());
  auto rows = audit_of(*st, "account.unlink");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].who, "erenhot");
  EXPECT_EQ(rows[0].before["licence_no"], "C1");
  EXPECT_TRUE(rows[0].after.is_null());
  EXPECT_TRUE(st->verify_audit().ok);
}

TEST(StoreAccountLinks, OnlyHoldersAccountsCarryLinks) {
  TempDir dir;
  auto st = fresh(dir);
  st->add_account(account("staff1", "county_staff"));
  const auto rows = st->verify_audit().rows;
  EXPECT_THROW(st->link_licence("staff1", "C1"), mineplan::InputError);
  EXPECT_THROW(st->link_licence("nobody", "C1"), mineplan::InputError);
  st->add_account(account("holder1", "holder"));
  EXPECT_THROW(st->link_licence("holder1", ""), mineplan::InputError);
  store::Account reviewer = account("reviewer1", "reviewer");
  reviewer.licences = {"C1"};
  EXPECT_THROW(st->add_account(reviewer), mineplan::InputError);
  EXPECT_FALSE(st->account("reviewer1")) << "refused whole: no account without its links";
  EXPECT_EQ(st->verify_audit().rows, rows + 1) << "only holder1's account.add";
}

TEST(StoreAccountLinks, LinksLandWithTheTransactionOrNotAtAll) {
  TempDir dir;
  auto st = fresh(dir);
  st->add_account(account("holder1", "holder"));
  EXPECT_THROW(st->in_transaction([&] {
    st->link_licence("holder1", "C1");
    st->link_licence("holder1", ""); // refused: the whole transaction goes
  }),
               mineplan::InputError);
  EXPECT_TRUE(st->account("holder1")->licences.empty());
  EXPECT_TRUE(audit_of(*st, "account.link").empty());
}
