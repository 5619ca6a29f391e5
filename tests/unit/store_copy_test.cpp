// Moving a store between the embedded GeoPackage and PostgreSQL/PostGIS: lossless both ways
// (every row, id, version, geometry bit and audit hash), into new stores only; the server
// store's own properties (PostGIS geometry, concurrent writers keeping the audit chain).
// With MINEPLAN_TEST_POSTGRES set the round trip is embedded -> server -> embedded.
#include "review_support.hpp"
#include "store/gpkg/geometry_blob.hpp"
#include "store/postgis/pg_connection.hpp"

#include <thread>

using mineplan::Json;
using mineplan::testing::TempDir;
namespace store = mineplan::store;

namespace {

store::sql::SqlStore &sql_of(store::Store &s) {
  return dynamic_cast<store::sql::SqlStore &>(s);
}

// Every row of every table, by table, values typed; geometry as the hex of its GeoPackage
// encoding so that coordinates compare bit for bit.
Json dump(store::Store &s) {
  std::vector<std::string> tables;
  for (const auto &l : store::sql::spatial_layers())
    tables.emplace_back(l.table);
  for (const auto &l : store::sql::attribute_layers())
    tables.emplace_back(l.table);
  tables.emplace_back("accounts");
  tables.emplace_back("sessions");
  tables.emplace_back("account_licences");
  Json out = Json::object();
  for (const auto &t : tables) {
    auto st = sql_of(s).connection().prepare("SELECT * FROM " + t + " ORDER BY " +
                                             (t == "sessions" ? "token_hash" : "fid"));
    Json rows = Json::array();
    while (st.step()) {
      Json row = Json::object();
      for (int c = 0; c < st.column_count(); ++c) {
        const std::string name = st.column_name(c);
        switch (st.column_type(c)) {
        case store::sql::ColumnType::null: row[name] = nullptr; break;
        case store::sql::ColumnType::integer: row[name] = st.int64(c); break;
        case store::sql::ColumnType::real: row[name] = st.real(c); break;
        case store::sql::ColumnType::text: row[name] = st.text(c); break;
        case store::sql::ColumnType::geometry: {
          auto blob = store::gpkg::encode_blob(*st.geometry(c), 4490);
          std::string hex;
          for (auto b : blob) {
            char h[3];
            std::snprintf(h, sizeof h, "%02x", b);
            hex += h;
          }
          row[name] = hex;
          break;
        }
        }
      }
      rows.push_back(row);
    }
    out[t] = rows;
  }
  return out;
}

// Without the last `n` audit rows (the copies' own).
Json without_last_audit_rows(Json d, std::size_t n) {
  auto &rows = d["audit_log"];
  for (std::size_t i = 0; i < n && !rows.empty(); ++i)
    rows.erase(rows.size() - 1);
  return d;
}

// A GeoPackage with a bit of everything: the seed plans, versions of mines, a hand change, a
// registry step, a review, an account and its session, a holder's account with its licence
// links, a notice, a reported value.
std::filesystem::path rich_gpkg(const TempDir &dir) {
  auto f = dir.path() / "rich.gpkg";
  std::filesystem::copy_file(review_test::base_store_file(), f);
  auto st = store::Store::open(f.string());
  st->set_actor({"alice", "county_staff"});
  mineplan::Mine m;
  m.uid = "RT-1";
  m.name = "往返测试矿山";
  m.holder = "甲公司";
  m.minerals = {"煤炭"};
  m.status = "producing";
  m.scale = mineplan::Quantity{0.1 + 0.2, "万吨/年"}; // not a short decimal: must survive exactly
  m.jurisdiction = "150621";
  m.geometry = mineplan::geo::MultiPolygon{
      {{{109.1, 40.1}, {109.1 + 1e-9, 40.2}, {109.3, 40.2}, {109.3, 40.1}, {109.1, 40.1}}, {}}};
  st->import_mines({m}, "2020-01-01", "round trip");
  m.status = "suspended";
  st->update_mine(m, "2021-03-01");
  store::RegistryEvent e;
  e.registry = "green-mine";
  e.subject = "RT-1";
  e.event = "apply";
  e.from_state = "";
  e.to_state = "applied";
  e.date = "2021-04-01";
  e.data = Json{{"level", "league"}};
  st->append_registry_event(e, std::nullopt);
  store::ReviewRecord r;
  r.input_hash = "h";
  r.verdict = "conditional";
  r.application = Json{{"kind", "mining"}, {"名称", "测试"}};
  r.plan_versions = Json::array();
  r.result = Json{{"verdict", "conditional"}};
  st->record_review(r);
  store::Account a;
  a.username = "bob";
  a.display_name = "Bob";
  a.role = "county_staff";
  a.jurisdiction = "150621";
  a.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$x$y";
  st->add_account(a);
  st->add_session({"tokenhash", "bob", "csrf", "", "2099-01-01T00:00:00Z"});
  store::Account h = a;
  h.username = "carol";
  h.role = "holder";
  h.holder = "某公司";
  h.licences = {"C1500002020000001", "C1500002020000002"};
  st->add_account(h);
  st->add_notice({0, "", "", "150621", "公告", "正文"});
  store::ReportedValue v;
  v.plan_id = "dalad-2021";
  v.target_id = st->plan("dalad-2021")->targets.front().id;
  v.value = 1.0 / 3.0;
  v.as_of = "2021-12-31";
  v.source = "统计年报";
  st->add_reported_value(v);
  return f;
}

} // namespace

TEST(StoreCopy, RoundTripIsLossless) {
  TempDir dir;
  const auto a_file = rich_gpkg(dir);
  auto a = store::Store::open(a_file.string());
  const Json original = dump(*a);
  ASSERT_GE(original["mines"].size(), 2u);

  // Through the server store when the tests run on PostgreSQL, else through another file.
  auto middle =
      store::Store::open(mineplan::testing::store_location(dir.path() / "middle.gpkg"), true);
  auto sum = sql_of(*middle).copy_from(sql_of(*a));
  EXPECT_EQ(sum.rows.at("mines"), static_cast<std::int64_t>(original["mines"].size()));
  auto b = store::Store::open((dir.path() / "back.gpkg").string(), true);
  sql_of(*b).copy_from(sql_of(*middle));

  EXPECT_EQ(without_last_audit_rows(dump(*middle), 1), original);
  EXPECT_EQ(without_last_audit_rows(dump(*b), 2), original);
  for (store::Store *s : {a.get(), middle.get(), b.get()}) {
    auto check = s->verify_audit();
    EXPECT_TRUE(check.ok) << s->location() << ": " << check.problem;
  }
  auto last = b->audit_entries(0, 100000).back();
  EXPECT_EQ(last.action, "store.copy");
  EXPECT_EQ(last.target, middle->location());

  // The copies behave as stores: versions, history and the next ids continue.
  EXPECT_EQ(b->mines(store::AsOf{"2020-06-01"}).size(), a->mines(store::AsOf{"2020-06-01"}).size());
  EXPECT_EQ(middle->registry_events("green-mine", "RT-1").size(), 1u);
  store::Notice n{0, "", "", "150621", "后续", "正文"};
  EXPECT_GT(middle->add_notice(n), a->notices(1).front().id);
  EXPECT_EQ(b->account("carol")->licences.size(), 2u);
  EXPECT_TRUE(middle->link_licence("carol", "C1500002020000003"));
  EXPECT_TRUE(middle->verify_audit().ok);
}

TEST(StoreCopy, OnlyIntoANewEmptyStore) {
  TempDir dir;
  auto a = store::Store::open(rich_gpkg(dir).string());
  auto b = mineplan::testing::copy_store(review_test::base_store_file(), dir.path() / "b.gpkg");
  const auto rows = b->verify_audit().rows;
  try {
    sql_of(*b).copy_from(sql_of(*a));
    FAIL() << "copied into a store that holds plans";
  } catch (const mineplan::Error &e) {
    EXPECT_NE(std::string(e.what()).find("is not empty"), std::string::npos) << e.what();
  }
  EXPECT_EQ(b->verify_audit().rows, rows); // nothing written
}

TEST(StoreCopy, CliCopiesBothWays) {
  TempDir dir;
  const auto a = rich_gpkg(dir);
  const std::string middle = mineplan::testing::store_location(dir.path() / "cli.gpkg");
  auto r =
      review_test::run_cli("copy " + review_test::q(a) + " " + review_test::q(middle), dir.path());
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.out.find("audit log verified"), std::string::npos) << r.out;
  r = review_test::run_cli("copy " + review_test::q(a) + " " + review_test::q(middle), dir.path());
  EXPECT_NE(r.status, 0) << "a second copy into the same store must be refused";
  EXPECT_NE(r.output.find("refusing to overwrite"), std::string::npos) << r.output;
}

// Writers on separate connections: each step lands whole and the hash chain stays one chain.
TEST(StoreConcurrency, ConcurrentWritersKeepTheAuditChain) {
  TempDir dir;
  auto st = mineplan::testing::copy_store(review_test::base_store_file(), dir.path() / "c.gpkg");
  const std::string location = st->location();
  const auto before = st->verify_audit().rows;
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      auto mine = store::Store::open(location);
      mine->set_actor({std::string("writer").append(std::to_string(t)), "county_staff"});
      for (int i = 0; i < kEach; ++i)
        mine->add_notice(
            {0, "", "", "150621", std::string("t").append(std::to_string(t)), std::to_string(i)});
    });
  for (auto &t : threads)
    t.join();
  auto check = st->verify_audit();
  EXPECT_TRUE(check.ok) << check.problem;
  EXPECT_EQ(check.rows, before + kThreads * kEach);
  EXPECT_EQ(st->notices(1000).size(), static_cast<std::size_t>(kThreads * kEach));
}

TEST(PostgisStore, GeometryIsPostgisGeometryInCgcs2000) {
  if (!mineplan::testing::on_postgres()) GTEST_SKIP() << "MINEPLAN_TEST_POSTGRES not set";
  TempDir dir;
  auto st = mineplan::testing::copy_store(rich_gpkg(dir), dir.path() / "g.gpkg");
  auto &c = sql_of(*st).connection();
  auto q = c.prepare("SELECT ST_SRID(geom), GeometryType(geom), ST_IsValid(geom)::int, "
                     "ST_NPoints(geom), ST_XMin(geom) FROM mines WHERE mine_uid = 'RT-1' "
                     "ORDER BY fid LIMIT 1");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.int64(0), 4490);
  EXPECT_EQ(q.text(1), "MULTIPOLYGON");
  EXPECT_EQ(q.int64(2), 1);
  EXPECT_EQ(q.int64(3), 5);
  EXPECT_EQ(q.real(4), 109.1);
  // The spatial index PostGIS queries use.
  auto idx = c.prepare("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND "
                       "indexdef LIKE '%USING gist (geom)%'");
  ASSERT_TRUE(idx.step());
  EXPECT_EQ(idx.int64(0), 4);
}

TEST(PostgisStore, OpeningChecksTheSchema) {
  if (!mineplan::testing::on_postgres()) GTEST_SKIP() << "MINEPLAN_TEST_POSTGRES not set";
  TempDir dir;
  const std::string loc = mineplan::testing::store_location(dir.path() / "o.gpkg");
  EXPECT_THROW(store::Store::open(loc), mineplan::Error); // nothing there yet
  store::Store::open(loc, true).reset();
  EXPECT_EQ(store::Store::open(loc)->schema_version(), 8);
  EXPECT_THROW(store::Store::open(loc, true), mineplan::Error); // refuses to overwrite
}

TEST(PostgisLocation, ParsesOurParametersAndMasksPasswords) {
  auto l = store::postgis::parse_location(
      "postgresql://u:secret@db.example:5433/plans?sslmode=require&schema=erenhot_2021");
  EXPECT_EQ(l.schema, "erenhot_2021");
  EXPECT_EQ(l.conninfo, "postgresql://u:secret@db.example:5433/plans?sslmode=require");
  EXPECT_EQ(l.url.find("secret"), std::string::npos) << l.url;
  EXPECT_EQ(store::postgis::parse_location("postgresql:///plans").schema, "mineplan");
  EXPECT_THROW(store::postgis::parse_location("postgresql:///p?schema=a;drop"), mineplan::Error);
  EXPECT_THROW(store::postgis::parse_location("postgresql:///p?schema="), mineplan::Error);
  EXPECT_EQ(store::postgis::dollar_parameters("a = ?1 AND b = '?2' AND c = ?10"),
            "a = $1 AND b = '?2' AND c = $10");
}
