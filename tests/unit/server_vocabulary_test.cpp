// GET /api/vocabulary: the one vocabulary as the portal reads it at start-up.
#include "io/vocabulary_loader.hpp"
#include "server_support.hpp"

#include <fstream>
#include <sstream>

namespace {

using server_test::TestServer;

TEST(ServerVocabulary, IsPublicCacheableAndTheValidatedFile) {
  TestServer s;
  const auto r = s.get("/api/vocabulary");
  ASSERT_EQ(r.status, 200u) << r.body;
  EXPECT_EQ(r.headers.at("cache-control"), "public, max-age=300");
  std::ifstream in(std::filesystem::path(MINEPLAN_SOURCE_DIR) / "data" / "vocabulary.json");
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_EQ(r.json(), mineplan::Json::parse(text.str()));
  EXPECT_EQ(r.json()["sets"]["zone_kinds"]["values"][0]["value"], "red_line");
}

TEST(ServerVocabulary, RoleNamesOfAccountsComeFromIt) {
  EXPECT_STREQ(mineplan::server::role_chinese("reviewer"),
               mineplan::io::vocabulary().label("roles", "reviewer").c_str());
  EXPECT_STREQ(mineplan::server::role_chinese(""), "公众");
}

} // namespace
