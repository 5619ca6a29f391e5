// `mineplan user` run as the built binary: the bureau administrator's tool makes any account,
// links a holder's account to rights by licence number (refusing numbers the register lacks,
// exit 2 naming --licence) and removes links; each link audited.
#include "review_support.hpp"

#include <fstream>

using review_test::q;
using review_test::run_cli;
using review_test::TempDir;
namespace fs = std::filesystem;

namespace {

struct CliStore {
  TempDir tmp;
  fs::path password = tmp.path() / "password.txt";
  std::string db;
  CliStore() {
    db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
    mineplan::testing::copy_store(review_test::base_store_file(), tmp.path() / "db.gpkg").reset();
    std::ofstream(password) << "a long enough password\n";
  }
  review_test::RunResult user(const std::string &args) {
    return run_cli("user " + args, tmp.path());
  }
  // `user add` with the password on stdin.
  review_test::RunResult add(const std::string &args) {
    return run_cli("user add " + q(db) + " " + args + " < " + q(password), tmp.path());
  }
  std::vector<std::string> licences(const std::string &username) {
    return mineplan::store::Store::open(db)->account(username)->licences;
  }
};

std::size_t audit_count(const std::string &db, const std::string &action) {
  std::size_t n = 0;
  for (const auto &e : mineplan::store::Store::open(db)->audit_entries(0, 1000000))
    n += e.action == action;
  return n;
}

} // namespace

TEST(AccountsCli, AddAHolderWithLicencesFromTheRegister) {
  CliStore s;
  auto r =
      s.add("--username pc --role holder --jurisdiction 150000 --holder 中国石油天然气股份有限公司"
            " --licence erenhot-2021/mr-01 --licence erenhot-2021/mr-02");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("pc linked to erenhot-2021/mr-01"), std::string::npos) << r.out;
  EXPECT_EQ(s.licences("pc"),
            (std::vector<std::string>{"erenhot-2021/mr-01", "erenhot-2021/mr-02"}));
  EXPECT_EQ(audit_count(s.db, "account.link"), 2u);
  auto list = s.user("list " + q(s.db));
  ASSERT_EQ(list.status, 0) << list.output;
  EXPECT_NE(list.out.find("[erenhot-2021/mr-01, erenhot-2021/mr-02]"), std::string::npos)
      << list.out;
}

TEST(AccountsCli, ALicenceTheRegisterLacksIsRefusedAndNothingIsMade) {
  CliStore s;
  auto r = s.add("--username pc --role holder --jurisdiction 150000 --holder 某公司"
                 " --licence NO-SUCH-LICENCE");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("--licence"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("不在矿业权登记中"), std::string::npos) << r.output;
  EXPECT_FALSE(mineplan::store::Store::open(s.db)->account("pc"));
}

TEST(AccountsCli, TheAdministratorMakesAnyAccount) {
  CliStore s;
  // Any role at any level: the portal's "below one's own level" binds staff, not the CLI.
  ASSERT_EQ(s.add("--username r1 --role region_staff --jurisdiction 150000").status, 0);
  ASSERT_EQ(s.add("--username r2 --role region_staff --jurisdiction 150000").status, 0);
  // Licences belong to holders only.
  auto staff = s.add("--username c1 --role county_staff --jurisdiction 150621"
                     " --licence erenhot-2021/mr-01");
  EXPECT_EQ(staff.status, 2) << staff.output;
  EXPECT_NE(staff.output.find("licences"), std::string::npos) << staff.output;
}

TEST(AccountsCli, LinkAndUnlinkAudited) {
  CliStore s;
  ASSERT_EQ(s.add("--username fl --role holder --jurisdiction 150000 --holder 某萤石矿").status, 0);
  auto linked = s.user("link " + q(s.db) + " --username fl --licence erenhot-2021/mr-02");
  ASSERT_EQ(linked.status, 0) << linked.output;
  EXPECT_EQ(s.licences("fl"), std::vector<std::string>{"erenhot-2021/mr-02"});
  auto again = s.user("link " + q(s.db) + " --username fl --licence erenhot-2021/mr-02");
  ASSERT_EQ(again.status, 0) << again.output;
  EXPECT_NE(again.out.find("linked already"), std::string::npos) << again.out;
  EXPECT_EQ(audit_count(s.db, "account.link"), 1u);
  EXPECT_EQ(s.user("link " + q(s.db) + " --username fl --licence NOPE").status, 2);
  EXPECT_EQ(s.user("link " + q(s.db) + " --username nobody --licence erenhot-2021/mr-02").status,
            2);
  EXPECT_EQ(s.user("link " + q(s.db) + " --username fl").status, 2) << "--licence is required";

  auto unlinked = s.user("unlink " + q(s.db) + " --username fl --licence erenhot-2021/mr-02");
  ASSERT_EQ(unlinked.status, 0) << unlinked.output;
  EXPECT_TRUE(s.licences("fl").empty());
  EXPECT_EQ(audit_count(s.db, "account.unlink"), 1u);
  EXPECT_TRUE(mineplan::store::Store::open(s.db)->verify_audit().ok);
}
