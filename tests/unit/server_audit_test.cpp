// The audit log over HTTP (docs/audit.md): published signed tree heads are public, and a failed
// login keeps only a bounded prefix of the name tried.
#include "audit_support.hpp"
#include "server_support.hpp"

using mineplan::Json;
using server_test::TestServer;

TEST(ServerAudit, NoPublishedHeadIsAnEmptyList) {
  TestServer srv;
  auto r = srv.get("/api/audit/heads");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_TRUE(r.json()["latest"].is_null());
  EXPECT_TRUE(r.json()["heads"].empty());
}

TEST(ServerAudit, PublishedHeadsArePublicWithTheirKeysFingerprint) {
  TestServer srv;
  auto key = mineplan::store::new_signing_key();
  {
    auto st = mineplan::store::Store::open(srv.store_location());
    auto leaves = mineplan::store::audit_leaf_hashes(*st);
    mineplan::store::add_audit_head(
        *st, mineplan::store::sign_head(mineplan::store::tree_head(leaves, "2026-12-01T08:00:00Z"),
                                        key));
    leaves = mineplan::store::audit_leaf_hashes(*st);
    mineplan::store::add_audit_head(
        *st, mineplan::store::sign_head(mineplan::store::tree_head(leaves, "2026-12-02T08:00:00Z"),
                                        key));
  }
  auto r = srv.get("/api/audit/heads"); // no session: the public
  ASSERT_EQ(r.status, 200u) << r.body;
  Json j = r.json();
  ASSERT_EQ(j["heads"].size(), 2u);
  const Json &latest = j["latest"];
  EXPECT_EQ(latest["timestamp"], "2026-12-02T08:00:00Z");
  EXPECT_EQ(latest["tree_size"].get<std::int64_t>(),
            j["heads"][1]["tree_size"].get<std::int64_t>() + 1); // the first head's audit row
  EXPECT_TRUE(latest["signature_valid"].get<bool>());
  EXPECT_EQ(latest["key_fingerprint"],
            mineplan::store::key_fingerprint(latest["public_key"].get<std::string>()));
  EXPECT_EQ(latest["root_hash"].get<std::string>().size(), 64u);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  // What the portal shows verifies as a head file would.
  auto head = mineplan::store::head_from_json(latest, "api");
  EXPECT_EQ(
      mineplan::store::check_extends(head, mineplan::testing::audit_leaves(srv.store_location()))
          .verdict,
      mineplan::store::Extension::extends);
}

TEST(ServerAudit, AFailedLoginKeepsABoundedPrefixOfTheUsername) {
  TestServer srv;
  std::string name;
  for (int i = 0; i < 100; ++i)
    name += "矿"; // 3 bytes each
  auto r = srv.post("/api/login", Json{{"username", name}, {"password", "wrong"}});
  EXPECT_EQ(r.status, 401u) << r.body;
  auto rows = mineplan::store::Store::open(srv.store_location())->audit_entries(0, 1 << 30);
  ASSERT_FALSE(rows.empty());
  const auto &e = rows.back();
  ASSERT_EQ(e.action, "login.failed");
  const std::string kept = e.target.substr(std::string("accounts/").size());
  EXPECT_LE(kept.size(), 64u);
  EXPECT_EQ(kept, name.substr(0, 63)); // 21 whole characters: cut where one starts
  EXPECT_EQ(e.after["username_bytes"], name.size());

  auto shortname = srv.post("/api/login", Json{{"username", "nobody"}, {"password", "wrong"}});
  EXPECT_EQ(shortname.status, 401u);
  auto last = mineplan::store::Store::open(srv.store_location())->audit_entries(0, 1 << 30).back();
  EXPECT_EQ(last.target, "accounts/nobody");
  EXPECT_FALSE(last.after.contains("username_bytes"));
}
