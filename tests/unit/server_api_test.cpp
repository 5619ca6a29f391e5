// The server over real TCP: authorisation by role and jurisdiction, CSRF, the login rate limit,
// malformed requests, reviews and their records, imports as jobs, and the audit trail.
#include "server_support.hpp"

#include <sodium.h>

#include <thread>

using namespace server_test;
using review_test::read_text;

namespace {

const std::filesystem::path kSource = MINEPLAN_SOURCE_DIR;

Json dalad_application() {
  return Json::parse(
      read_text(kSource / "tests/cases/review/dalad-controls-clear/application.json"));
}

std::string base64(const std::string &bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char *>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back(); // the terminating NUL
  return out;
}

std::string right_uid_in(const TestServer &s, const std::string &jurisdiction) {
  Json rights = s.get("/api/rights?jurisdiction=" + jurisdiction).json();
  if (rights.empty()) throw std::runtime_error("no right in " + jurisdiction);
  return rights[0]["uid"].get<std::string>();
}

std::int64_t audit_rows(const TestServer &s, const std::string &action) {
  auto st = mineplan::store::Store::open(s.store_file().string());
  std::int64_t n = 0;
  for (const auto &e : st->audit_entries(0, 100000))
    n += e.action == action;
  return n;
}

} // namespace

TEST(ServerApi, ThePublicSeesPublishedLayersOnly) {
  TestServer s;
  Json layers = s.get("/api/layers").json();
  std::set<std::string> names;
  for (const auto &l : layers)
    names.insert(l["name"].get<std::string>());
  EXPECT_TRUE(names.count("zones") && names.count("rights") && names.count("divisions"));
  EXPECT_FALSE(names.count("applications"));
  EXPECT_EQ(s.get("/tiles/applications/0/0/0.mvt").status, 401u);
  EXPECT_EQ(s.get("/api/features/applications/1").status, 401u);
  EXPECT_EQ(s.get("/api/reviews").status, 401u);
  EXPECT_EQ(s.get("/api/reviews/1/opinion").status, 401u);
  EXPECT_EQ(s.get("/api/audit").status, 401u);

  Call staff = s.login("dalad");
  Json staff_layers = s.get("/api/layers", staff).json();
  EXPECT_EQ(staff_layers.size(), layers.size() + 1);
}

TEST(ServerApi, RestrictedFieldsOnlyForTheirHolderAndStaffOfThePlace) {
  TestServer s;
  Json all = s.get("/api/rights?jurisdiction=152501").json();
  std::string uid;
  for (const auto &r : all)
    if (r["holder"] == "中国石油天然气股份有限公司") uid = r["uid"];
  ASSERT_FALSE(uid.empty());
  const std::string target = "/api/features/rights/" + uid;
  Reply pub = s.get(target);
  ASSERT_EQ(pub.status, 200u) << pub.body;
  EXPECT_FALSE(pub.json()["properties"].contains("attributes"));
  EXPECT_EQ(pub.json()["properties"]["holder"], "中国石油天然气股份有限公司");
  EXPECT_FALSE(s.get(target, s.login("fluorite")).json()["properties"].contains("attributes"));
  EXPECT_FALSE(s.get(target, s.login("dalad")).json()["properties"].contains("attributes"));
  EXPECT_TRUE(s.get(target, s.login("petrochina")).json()["properties"].contains("attributes"));
  EXPECT_TRUE(s.get(target, s.login("erenhot")).json()["properties"].contains("attributes"));
  EXPECT_TRUE(s.get(target, s.login("region")).json()["properties"].contains("attributes"));
}

TEST(ServerApi, AHolderCannotReadAnotherHoldersApplication) {
  TestServer s;
  Call petrochina = s.login("petrochina"), fluorite = s.login("fluorite");
  Json app = dalad_application();
  app["applicant"]["name"] = "中国石油天然气股份有限公司";
  Reply made = s.post("/api/reviews", Json{{"application", app}}, petrochina);
  ASSERT_EQ(made.status, 201u) << made.body;
  const auto id = made.json()["record_id"].get<std::int64_t>();
  const std::string target = "/api/reviews/" + std::to_string(id);

  EXPECT_EQ(s.get(target, petrochina).status, 200u);
  EXPECT_EQ(s.get(target + "/opinion", petrochina).status, 200u);
  EXPECT_EQ(s.get(target, fluorite).status, 404u);
  EXPECT_EQ(s.get(target + "/opinion", fluorite).status, 404u);
  EXPECT_TRUE(s.get("/api/reviews", fluorite).json().empty());
  EXPECT_EQ(s.get("/api/reviews", petrochina).json().size(), 1u);
  EXPECT_EQ(s.get(target).status, 401u);
  // Staff of the place and of the region see it; staff elsewhere do not.
  EXPECT_EQ(s.get(target, s.login("dalad")).status, 200u);
  EXPECT_EQ(s.get(target, s.login("region")).status, 200u);
  EXPECT_EQ(s.get(target, s.login("erenhot")).status, 404u);

  // A holder applies in their own name only.
  app["applicant"]["name"] = "中国石油天然气股份有限公司";
  Reply other = s.post("/api/reviews", Json{{"application", app}}, fluorite);
  EXPECT_EQ(other.status, 403u) << other.body;
}

TEST(ServerApi, CountyStaffCannotEditAnotherCounty) {
  TestServer s;
  const std::string uid = right_uid_in(s, "152501");
  Json change{{"status", "stopped"}, {"effective", "2024-01-01"}};
  Reply refused = s.patch("/api/rights/" + uid, change, s.login("dalad"));
  EXPECT_EQ(refused.status, 403u) << refused.body;
  EXPECT_NE(refused.json()["error"].get<std::string>().find("outside your jurisdiction"),
            std::string::npos);
  EXPECT_EQ(s.get("/api/rights/" + uid + "/history").json().size(), 1u);
  EXPECT_EQ(audit_rows(s, "right.update"), 0);

  Reply done = s.patch("/api/rights/" + uid, change, s.login("erenhot"));
  ASSERT_EQ(done.status, 200u) << done.body;
  Json history = s.get("/api/rights/" + uid + "/history").json();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(audit_rows(s, "right.update"), 1);
  // The read model follows the write: the current version says stopped.
  EXPECT_EQ(s.get("/api/features/rights/" + uid).json()["properties"]["status"], "stopped");
  // A league's staff may edit their counties; a holder may not edit at all.
  EXPECT_EQ(s.patch("/api/rights/" + uid, change, s.login("petrochina")).status, 403u);
}

TEST(ServerApi, WritesNeedTheCsrfToken) {
  TestServer s;
  Call staff = s.login("dalad");
  Call no_token = staff;
  no_token.csrf.clear();
  Json body{{"application", dalad_application()}};
  EXPECT_EQ(s.post("/api/reviews", body, no_token).status, 403u);
  Call wrong = staff;
  wrong.csrf = std::string(64, 'a');
  EXPECT_EQ(s.post("/api/reviews", body, wrong).status, 403u);
  EXPECT_EQ(s.post("/api/reviews", body, staff).status, 201u);
  EXPECT_EQ(s.post("/api/logout", Json::object(), no_token).status, 403u);
  EXPECT_EQ(s.post("/api/logout", Json::object(), staff).status, 200u);
  EXPECT_TRUE(s.get("/api/session", staff).json()["user"].is_null());
}

TEST(ServerApi, LoginFailuresAreLimited) {
  TestServer s;
  Json wrong{{"username", "dalad"}, {"password", "wrong password!"}};
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(s.post("/api/login", wrong).status, 401u);
  Reply limited = s.post("/api/login", Json{{"username", "dalad"}, {"password", kPassword}});
  EXPECT_EQ(limited.status, 429u);
  EXPECT_GT(std::stoi(limited.headers["retry-after"]), 0);
  // Another user from the same address is not yet limited (20 per address).
  EXPECT_NO_THROW(s.login("erenhot"));
  EXPECT_EQ(audit_rows(s, "login.failed"), 5);
  // An unknown name answers like a wrong password.
  Reply unknown = s.post("/api/login", Json{{"username", "nobody"}, {"password", "x"}});
  EXPECT_EQ(unknown.status, 401u);
  Reply wrong_other =
      s.post("/api/login", Json{{"username", "ordos"}, {"password", "wrong password!"}});
  EXPECT_EQ(unknown.json()["error"], wrong_other.json()["error"]);
}

TEST(ServerApi, ReviewWithAnUploadedCoordinateFile) {
  TestServer s;
  Call staff = s.login("ordos");
  Json app = dalad_application();
  app["jurisdiction"] = "150627";
  app["minerals"] = Json::array({"煤炭"});
  app["scale"] = Json{{"value", 120}, {"unit", "万吨/年"}};
  app.erase("boundary");
  Json body{{"application", app},
            {"boundary_file",
             {{"name", "../../ejin-bom.txt"},
              {"content_base64", base64(read_text(kSource / "tests/cases/coords/ejin-bom.txt"))}}}};
  Reply r = s.post("/api/reviews", body, staff);
  ASSERT_EQ(r.status, 201u) << r.body;
  Json j = r.json();
  EXPECT_TRUE(j["boundary"]["type"] == "MultiPolygon");
  EXPECT_FALSE(j["result"]["findings"].empty());
  EXPECT_TRUE(j["opinion"].is_string());
  Reply opinion = s.get(j["opinion"].get<std::string>(), staff);
  EXPECT_EQ(opinion.status, 200u);
  EXPECT_NE(opinion.body.find("<svg"), std::string::npos);
  // A file path on the server is refused.
  app["boundary"] = "/etc/passwd";
  Reply path = s.post("/api/reviews", Json{{"application", app}}, staff);
  EXPECT_EQ(path.status, 400u);
  EXPECT_EQ(path.json()["field"], "application.boundary");
  // A bad application names its field and stores nothing.
  Json bad = dalad_application();
  bad["minerals"] = Json::array({"不存在的矿"});
  Reply refused = s.post("/api/reviews", Json{{"application", bad}}, staff);
  EXPECT_EQ(refused.status, 400u);
  EXPECT_EQ(refused.json()["field"].get<std::string>().rfind("application.minerals", 0), 0u)
      << refused.body;
  EXPECT_EQ(audit_rows(s, "review.record"), 1);
}

TEST(ServerApi, ImportsCheckEveryRowsJurisdiction) {
  TestServer s;
  const std::string csv = read_text(kSource / "tests/cases/import/ok_standard.csv");
  auto upload = [&](const Call &who) {
    Reply r = send(s.port(), http::verb::post,
                   "/api/imports?layer=rights&as_of=2024-01-01&filename=ledger.csv", csv,
                   Call{who.cookie, who.csrf, "text/csv"});
    EXPECT_EQ(r.status, 202u) << r.body;
    const std::string job = r.json()["job"];
    for (int i = 0; i < 600; ++i) {
      Json st = s.get("/api/jobs/" + job, who).json();
      if (st["state"] == "done" || st["state"] == "failed") return st;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return Json();
  };
  const std::size_t before = s.get("/api/rights").json().size();
  const std::int64_t imports_before = audit_rows(s, "rights.import"); // the seeds' registers
  // Dalad's staff cannot bring in the Ejin Horo row of the ledger: nothing is imported.
  Json refused = upload(s.login("dalad"));
  EXPECT_EQ(refused["state"], "failed");
  EXPECT_NE(refused["result"].dump().find("outside your jurisdiction"), std::string::npos);
  EXPECT_EQ(s.get("/api/rights").json().size(), before);
  // Ordos holds both counties.
  Json done = upload(s.login("ordos"));
  EXPECT_EQ(done["state"], "done") << done.dump();
  EXPECT_EQ(s.get("/api/rights").json().size(), before + 3);
  EXPECT_EQ(audit_rows(s, "rights.import"), imports_before + 1);
  // Holders and the public import nothing.
  Call holder = s.login("petrochina");
  EXPECT_EQ(send(s.port(), http::verb::post, "/api/imports?layer=rights&filename=a.csv", csv,
                 Call{holder.cookie, holder.csrf, "text/csv"})
                .status,
            403u);
  EXPECT_EQ(send(s.port(), http::verb::post, "/api/imports?layer=rights&filename=a.csv", csv,
                 Call{"", "", "text/csv"})
                .status,
            401u);
}

TEST(ServerApi, MalformedRequestsGet4xxAndTheServerStaysUp) {
  mineplan::server::HttpLimits limits;
  limits.request_timeout = std::chrono::milliseconds(500);
  TestServer s(limits);
  Call staff = s.login("dalad");
  // Bad JSON, wrong content type, wrong shapes.
  EXPECT_EQ(send(s.port(), http::verb::post, "/api/reviews", "{\"application\": ", staff).status,
            400u);
  EXPECT_EQ(send(s.port(), http::verb::post, "/api/login", "[1,2]").status, 400u);
  EXPECT_EQ(send(s.port(), http::verb::post, "/api/login", "{}", Call{"", "", "text/plain"}).status,
            415u);
  EXPECT_EQ(s.post("/api/reviews", Json{{"application", 3}}, staff).status, 400u);
  EXPECT_EQ(
      s.post("/api/reviews", Json{{"application", dalad_application()}, {"x", 1}}, staff).status,
      400u);
  // A body over the route's limit.
  EXPECT_EQ(send(s.port(), http::verb::post, "/api/login", std::string(2 << 20, ' ')).status, 413u);
  // Tiles out of range or not numbers.
  for (const char *t :
       {"/tiles/zones/23/0/0.mvt", "/tiles/zones/3/8/0.mvt", "/tiles/zones/3/0/-1.mvt",
        "/tiles/zones/a/0/0.mvt", "/tiles/zones/3/0/99999999999999999999999.mvt"})
    EXPECT_EQ(s.get(t).status, 400u) << t;
  EXPECT_EQ(s.get("/tiles/nothing/0/0/0.mvt").status, 404u);
  EXPECT_EQ(s.get("/api/nothing").status, 404u);
  EXPECT_EQ(s.get("/api/reviews/abc", staff).status, 404u);
  EXPECT_EQ(s.get("/api/rights?as_of=2024-02-30").status, 400u);
  EXPECT_EQ(s.get("/api/search").status, 400u);

  auto raw = [&](const std::string &bytes, bool wait_for_close) {
    asio::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
    asio::write(socket, asio::buffer(bytes));
    std::string got;
    char buf[4096];
    beast::error_code ec;
    for (;;) {
      std::size_t n = socket.read_some(asio::buffer(buf), ec);
      if (ec) break;
      got.append(buf, n);
      if (!wait_for_close && got.find("\r\n\r\n") != std::string::npos) break;
    }
    return got;
  };
  EXPECT_EQ(raw("NOT HTTP AT ALL\r\n\r\n", true).rfind("HTTP/1.1 400", 0), 0u);
  std::string huge_header =
      "GET /api/session HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n";
  EXPECT_EQ(raw(huge_header, true).rfind("HTTP/1.1 431", 0), 0u);
  // A slow client sends half a request and stops: the server hangs up after the deadline.
  auto started = std::chrono::steady_clock::now();
  std::string slow = raw("GET /api/session HTTP/1.1\r\nHost: x\r\n", true);
  EXPECT_TRUE(slow.empty());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  // Still serving.
  EXPECT_EQ(s.get("/api/session").status, 200u);
  EXPECT_EQ(s.get("/api/plans").json().size(), 5u);
}

TEST(ServerApi, ReadersRunWhileAWriterWrites) {
  TestServer s;
  Call staff = s.login("erenhot");
  const std::string uid = right_uid_in(s, "152501");
  std::atomic<int> ok{0}, bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t)
    readers.emplace_back([&] {
      for (int i = 0; i < 25; ++i)
        (s.get("/api/rights?jurisdiction=152501").status == 200 ? ok : bad)++;
    });
  const char *states[] = {"stopped", "producing", "stopped", "producing"};
  int year = 2022;
  for (const char *state : states) {
    Json change{{"status", state}, {"effective", std::to_string(year++) + "-06-01"}};
    EXPECT_EQ(s.patch("/api/rights/" + uid, change, staff).status, 200u);
  }
  for (auto &t : readers)
    t.join();
  EXPECT_EQ(ok.load(), 100);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(s.get("/api/rights/" + uid + "/history").json().size(), 5u);
}

TEST(ServerApi, EveryWriteIsAuditedAndTheChainVerifies) {
  TestServer s;
  Call region = s.login("region");
  Reply notice = s.post("/api/notices", Json{{"title", "公告"}, {"body", "规划公示"}}, region);
  EXPECT_EQ(notice.status, 201u) << notice.body;
  EXPECT_EQ(
      s.post("/api/notices", Json{{"title", "x"}, {"body", "y"}}, s.login("petrochina")).status,
      403u);
  Reply user = s.post("/api/users",
                      Json{{"username", "newcounty"},
                           {"role", "county_staff"},
                           {"jurisdiction", "150621"},
                           {"password", "a long enough password"}},
                      region);
  EXPECT_EQ(user.status, 201u) << user.body;
  // County staff cannot make an account for another county.
  Reply elsewhere = s.post("/api/users",
                           Json{{"username", "x1"},
                                {"role", "holder"},
                                {"holder", "某公司"},
                                {"jurisdiction", "152501"},
                                {"password", "a long enough password"}},
                           s.login("dalad"));
  EXPECT_EQ(elsewhere.status, 403u);
  Json audit = s.get("/api/audit?limit=1000", region).json();
  EXPECT_TRUE(audit["verified"].get<bool>());
  std::set<std::string> actions;
  for (const auto &e : audit["entries"])
    actions.insert(e["action"].get<std::string>());
  for (const char *a : {"catalogue.load", "account.add", "login", "notice.add"})
    EXPECT_TRUE(actions.count(a)) << a;
  EXPECT_EQ(s.get("/api/audit", s.login("dalad")).status, 403u);
}

TEST(ServerApi, IndicatorsAndReportsOfAPlan) {
  TestServer s;
  Reply r = s.get("/api/plans/dalad-2021/indicators?as_of=2024-06-30");
  ASSERT_EQ(r.status, 200u) << r.body;
  Json j = r.json();
  EXPECT_EQ(j["as_of"], "2024-06-30");
  auto targets = mineplan::store::Store::open(s.store_file().string())->plan("dalad-2021")->targets;
  ASSERT_EQ(j["indicators"].size(), targets.size());
  for (const auto &i : j["indicators"])
    EXPECT_TRUE(i["status"].is_string()) << i.dump();
  EXPECT_EQ(s.get("/api/plans/dalad-2021/indicators?as_of=2024-13-01").status, 400u);
  EXPECT_EQ(s.get("/api/plans/nowhere/indicators").status, 404u);

  Reply report = s.get("/api/plans/dalad-2021/report?kind=midterm&year=2023");
  ASSERT_EQ(report.status, 200u);
  EXPECT_EQ(report.headers["content-type"].rfind("text/html", 0), 0u);
  EXPECT_NE(report.body.find("<svg"), std::string::npos);
  EXPECT_EQ(s.get("/api/plans/dalad-2021/report?kind=weekly").status, 400u);
  EXPECT_EQ(s.get("/api/plans/dalad-2021/report?year=20x4").status, 400u);
}
