// `mineplan review`: the JSON form, the readable summary, the record, the opinion and the exit
// codes (0 reviewed, whatever the verdict; 2 bad application, nothing stored).
#include "review_support.hpp"

using namespace review_test;
using namespace mineplan;

namespace {

fs::path case_app(const std::string &name) {
  return fs::path(MINEPLAN_SOURCE_DIR) / "tests/cases/review" / name / "application.json";
}

} // namespace

TEST(ReviewCli, JsonRecordAndRerun) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  fresh_store(db).reset();
  auto r = run_cli("review " + q(db) + " " + q(case_app("dalad-sand-4wan-outside-ca")) +
                       " --json --who 张三",
                   tmp.path());
  ASSERT_EQ(r.status, 0) << r.output;
  Json j = Json::parse(r.out);
  std::vector<std::string> keys;
  for (const auto &[k, v] : j.items())
    keys.push_back(k);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"verdict", "plans", "findings", "input_hash", "record_id"}));
  EXPECT_EQ(j["verdict"], "reject");
  ASSERT_TRUE(j["record_id"].is_number_integer());
  for (const auto &f : j["findings"]) {
    for (const char *k : {"rule", "outcome", "message", "evidence", "citation"})
      EXPECT_TRUE(f.contains(k)) << k << " missing in " << f.dump();
    EXPECT_TRUE(f["citation"].contains("seed") && f["citation"].contains("section"));
  }
  for (const auto &p : j["plans"])
    EXPECT_FALSE(p["version"].get<std::string>().empty());

  auto st = store::Store::open(db.string());
  auto rec = st->review_record(j["record_id"].get<std::int64_t>());
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->who, "张三");
  EXPECT_EQ(rec->verdict, "reject");
  EXPECT_EQ(rec->input_hash, j["input_hash"]);
  EXPECT_EQ(rec->plan_versions.size(), j["plans"].size());
  EXPECT_TRUE(rec->application["boundary"].is_object()); // the coordinates, not the file name
  EXPECT_FALSE(rec->at.empty());
  const auto count = review_count(*st);
  st.reset();

  // The same application again: same result, a second record.
  auto again = run_cli(
      "review " + q(db) + " " + q(case_app("dalad-sand-4wan-outside-ca")) + " --json", tmp.path());
  ASSERT_EQ(again.status, 0) << again.output;
  Json j2 = Json::parse(again.out);
  EXPECT_NE(j2["record_id"], j["record_id"]);
  j2.erase("record_id");
  j.erase("record_id");
  EXPECT_EQ(j2.dump(), j.dump());
  EXPECT_EQ(review_count(*store::Store::open(db.string())), count + 1);

  // --no-record stores nothing.
  auto norec = run_cli("review " + q(db) + " " + q(case_app("dalad-sand-4wan-outside-ca")) +
                           " --json --no-record",
                       tmp.path());
  ASSERT_EQ(norec.status, 0) << norec.output;
  EXPECT_TRUE(Json::parse(norec.out)["record_id"].is_null());
  EXPECT_EQ(review_count(*store::Store::open(db.string())), count + 1);
}

TEST(ReviewCli, ReadableSummaryAndOpinion) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  fresh_store(db).reset();
  const fs::path html = tmp.path() / "opinion.html";
  auto r =
      run_cli("review " + q(db) + " " + q(case_app("erenhot-borrow-pit-5y")) + " --html " + q(html),
              tmp.path());
  ASSERT_EQ(r.status, 0) << r.output; // a rejection is a completed review
  EXPECT_NE(r.out.find("规划审查结论：不通过（reject）"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("erenhot-2021/r-temp-borrow-pit-life"), std::string::npos);
  EXPECT_NE(r.out.find("临时取料点服务年限5年，超过上限3年"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("002_ebe8ba7931d93af5.txt 第五章第一节"), std::string::npos);
  EXPECT_NE(r.out.find("审查记录编号"), std::string::npos);
  ASSERT_TRUE(fs::exists(html));
  std::string page = read_text(html);
  EXPECT_NE(page.find("<!DOCTYPE html>"), std::string::npos);
  EXPECT_NE(page.find("r-temp-borrow-pit-life"), std::string::npos);
}

TEST(ReviewCli, BadApplicationExitsTwoAndStoresNothing) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  fresh_store(db).reset();
  const auto before = review_count(*store::Store::open(db.string()));
  const fs::path html = tmp.path() / "opinion.html";
  auto r = run_cli("review " + q(db) + " " + q(case_app("bad-unit-sand-in-tonnes")) + " --html " +
                       q(html),
                   tmp.path());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("scale.unit"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(html));
  EXPECT_EQ(review_count(*store::Store::open(db.string())), before);

  write_text(tmp.path() / "not.json", "{ this is not json");
  r = run_cli("review " + q(db) + " " + q(tmp.path() / "not.json"), tmp.path());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("不是有效的 JSON"), std::string::npos) << r.output;
  r = run_cli("review " + q(db), tmp.path());
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(review_count(*store::Store::open(db.string())), before);
}

TEST(ReviewCli, ADeeplyNestedApplicationIsExit2NotACrash) {
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "db.gpkg");
  fresh_store(db).reset();
  const fs::path app = tmp.path() / "deep.json";
  {
    std::ofstream out(app);
    out << "{\"kind\": " << std::string(150000, '[') << std::string(150000, ']') << "}";
  }
  auto r = run_cli("review " + q(db) + " " + q(app), tmp.path());
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("嵌套超过"), std::string::npos) << r.output;
  auto st = store::Store::open(db.string());
  EXPECT_EQ(review_count(*st), 0);
}
