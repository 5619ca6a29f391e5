// `mineplan audit-key` and `mineplan audit --sign / --against` run as the built binary
// (docs/audit.md): a head signed over the log, the log proven to extend it as it grows, and each
// way of tampering — the newest rows deleted, every row deleted, a row rewritten and the chain
// recomputed, the head file altered, another key — exit 1 with a Chinese message; a head file
// that is not one exits 2 naming the file.
#include "audit_support.hpp"
#include "review_support.hpp"

#include <sys/stat.h>

#include <fstream>

using mineplan::Json;
using review_test::q;
using review_test::run_cli;
using review_test::TempDir;
namespace fs = std::filesystem;

namespace {

struct CliLog {
  TempDir tmp;
  std::string db;
  fs::path key = tmp.path() / "bureau.key";
  fs::path pub = tmp.path() / "bureau.key.pub";
  fs::path head = tmp.path() / "head-1.json";

  CliLog() {
    const fs::path file = tmp.path() / "db.gpkg";
    mineplan::testing::copy_store(review_test::base_store_file(), file).reset();
    db = mineplan::testing::store_location(file);
    auto st = mineplan::store::Store::open(db);
    for (int i = 0; i < 4; ++i)
      st->audit("test.event", "t/" + std::to_string(i), nullptr, Json{{"i", i}});
  }
  review_test::RunResult run(const std::string &args) const {
    return run_cli("audit " + q(db) + " " + args, tmp.path());
  }
  // Makes the key and signs a head of the log as it is; returns its tree size.
  std::int64_t sign() const {
    auto k = run_cli("audit-key new " + q(key), tmp.path());
    EXPECT_EQ(k.status, 0) << k.output;
    auto s = run("--sign " + q(key) + " --out " + q(head));
    EXPECT_EQ(s.status, 0) << s.output;
    return mineplan::store::read_head_file(head).tree_size;
  }
  review_test::RunResult against() const { return run("--against " + q(head)); }
};

std::string text_of(const fs::path &p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

} // namespace

TEST(AuditCli, KeyNewWritesASecretKeyOnlyItsOwnerReadsAndAPublicKey) {
  TempDir tmp;
  auto r = run_cli("audit-key new " + q(tmp.path() / "k"), tmp.path());
  ASSERT_EQ(r.status, 0) << r.output;
  struct stat sb {};
  ASSERT_EQ(::stat((tmp.path() / "k").c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mode & 0777, 0600u);
  Json pub = Json::parse(text_of(tmp.path() / "k.pub"));
  EXPECT_EQ(pub["public_key"].get<std::string>().size(), 64u);
  EXPECT_EQ(pub.count("secret_key"), 0u);
  EXPECT_NE(r.out.find(pub["fingerprint"].get<std::string>()), std::string::npos) << r.out;
  // Never overwritten.
  auto again = run_cli("audit-key new " + q(tmp.path() / "k"), tmp.path());
  EXPECT_EQ(again.status, 2) << again.output;
}

TEST(AuditCli, SignWritesAHeadThatTheLogExtendsAsItGrows) {
  CliLog log;
  const auto size = log.sign();
  EXPECT_GT(size, 4);
  Json head = Json::parse(text_of(log.head));
  EXPECT_EQ(head["type"], "mineplan.audit.tree-head");
  EXPECT_EQ(head.count("secret_key"), 0u);
  // Published in the store too.
  auto heads = mineplan::store::audit_heads(*mineplan::store::Store::open(log.db), 10);
  ASSERT_EQ(heads.size(), 1u);
  EXPECT_EQ(heads[0].root_hash, head["root_hash"]);

  mineplan::store::Store::open(log.db)->audit("test.later", "x", nullptr, nullptr);
  auto r = log.run("--against " + q(log.head) + " --pubkey " + q(log.pub));
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("延续"), std::string::npos) << r.out;
}

TEST(AuditCli, SignWithoutOutPrintsOnlyTheHeadOnStdout) {
  CliLog log;
  ASSERT_EQ(run_cli("audit-key new " + q(log.key), log.tmp.path()).status, 0);
  auto r = log.run("--sign " + q(log.key));
  ASSERT_EQ(r.status, 0) << r.output;
  Json head = Json::parse(r.out);
  EXPECT_TRUE(
      mineplan::store::head_signature_valid(mineplan::store::head_from_json(head, "stdout")));
}

TEST(AuditCli, TheNewestHeadPublishedInTheStoreCatchesRowsDeleted) {
  CliLog log;
  const auto size = log.sign();
  mineplan::testing::truncate_audit_log(log.db, size - 2);
  auto r = log.run("");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.out.find("hash chain intact"), std::string::npos) << r.out; // the chain passes
  EXPECT_NE(r.out.find("截断"), std::string::npos) << r.out;
}

TEST(AuditCli, AgainstDetectsTheNewestRowsDeletedWithThePublishedHeads) {
  CliLog log;
  const auto size = log.sign();
  mineplan::testing::truncate_audit_log(log.db, size - 2);
  mineplan::testing::lift_append_only(log.db, "audit_heads");
  mineplan::testing::raw_sql(log.db, "DELETE FROM audit_heads");
  EXPECT_EQ(log.run("").status, 0); // nothing in the store can tell any more
  auto r = log.against();
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.out.find("截断"), std::string::npos) << r.out;
}

TEST(AuditCli, AgainstDetectsEveryRowDeleted) {
  CliLog log;
  log.sign();
  mineplan::testing::truncate_audit_log(log.db, 0);
  mineplan::testing::lift_append_only(log.db, "audit_heads");
  mineplan::testing::raw_sql(log.db, "DELETE FROM audit_heads");
  EXPECT_EQ(log.run("").status, 0);
  auto r = log.against();
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.out.find("截断"), std::string::npos) << r.out;
}

TEST(AuditCli, AgainstDetectsARowRewrittenAndTheChainRecomputed) {
  CliLog log;
  const auto size = log.sign();
  mineplan::testing::rewrite_and_rechain(log.db, static_cast<std::size_t>(size - 3), "mallory");
  auto plain = log.run("");
  EXPECT_NE(plain.out.find("hash chain intact"), std::string::npos) << plain.out;
  auto r = log.against();
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.out.find("改写"), std::string::npos) << r.out;
}

TEST(AuditCli, AgainstRefusesAnAlteredHeadAndAnotherKey) {
  CliLog log;
  log.sign();
  Json head = Json::parse(text_of(log.head));
  head["tree_size"] = head["tree_size"].get<std::int64_t>() - 1;
  const fs::path altered = log.tmp.path() / "altered.json";
  std::ofstream(altered) << head.dump();
  auto r = log.run("--against " + q(altered));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.out.find("签名无效"), std::string::npos) << r.out;

  const fs::path other = log.tmp.path() / "other.key";
  ASSERT_EQ(run_cli("audit-key new " + q(other), log.tmp.path()).status, 0);
  auto k =
      log.run("--against " + q(log.head) + " --pubkey " + q(fs::path(other.string() + ".pub")));
  EXPECT_EQ(k.status, 1) << k.output;
  EXPECT_NE(k.out.find("指定公钥"), std::string::npos) << k.out;
}

TEST(AuditCli, AHeadFileThatIsNotOneExitsTwoNamingTheFile) {
  CliLog log;
  const fs::path bad = log.tmp.path() / "not-a-head.json";
  std::ofstream(bad) << "{\"type\": \"mineplan.audit.tree-head\", \"log_id\": ";
  auto r = log.run("--against " + q(bad));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("not-a-head.json"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("JSON"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("signed tree head"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("json.exception"), std::string::npos) << r.output;

  std::ofstream(bad, std::ios::trunc) << "{\"type\": \"mineplan.audit.tree-head\", \"log_id\": 5}";
  auto f = log.run("--against " + q(bad));
  EXPECT_EQ(f.status, 2) << f.output;
  EXPECT_NE(f.output.find("log_id"), std::string::npos) << f.output;

  auto missing = log.run("--against " + q(log.tmp.path() / "nowhere.json"));
  EXPECT_EQ(missing.status, 2) << missing.output;
  EXPECT_NE(missing.output.find("nowhere.json"), std::string::npos) << missing.output;

  std::ofstream(bad, std::ios::trunc) << std::string(5000, '[') << std::string(5000, ']');
  auto deep = log.run("--against " + q(bad));
  EXPECT_EQ(deep.status, 2) << deep.output;
}

TEST(AuditCli, AKeyFileOthersMayReadIsRefused) {
  CliLog log;
  ASSERT_EQ(run_cli("audit-key new " + q(log.key), log.tmp.path()).status, 0);
  fs::permissions(log.key, fs::perms::group_read | fs::perms::others_read, fs::perm_options::add);
  auto r = log.run("--sign " + q(log.key) + " --out " + q(log.head));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("600"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(log.head));
}

TEST(AuditCli, ARowWhoseJsonIsBrokenIsNamed) {
  CliLog log;
  const auto id = mineplan::store::Store::open(log.db)->audit_entries(0, 1 << 30).back().id;
  mineplan::testing::lift_append_only(log.db, "audit_log");
  mineplan::testing::raw_sql(log.db, "UPDATE audit_log SET after = 'not json' WHERE fid = " +
                                         std::to_string(id));
  auto r = log.run("--tail 3");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.out.find("第 " + std::to_string(id) + " 行的 after 列不是合法的 JSON"),
            std::string::npos)
      << r.out;
}
