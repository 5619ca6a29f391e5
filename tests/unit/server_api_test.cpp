// The server over real TCP: authorisation by role and jurisdiction, CSRF, the login rate limit,
// malformed requests, reviews and their records, imports as jobs, and the audit trail.
#include "registry/lifecycle.hpp"
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
  auto st = mineplan::store::Store::open(s.store_location());
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

TEST(ServerApi, RestrictedFieldsOnlyForTheLinkedHolderAndStaffOfThePlace) {
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
  // A body over the route's limit is refused from its announced length, before it is sent
  // (a client still writing would meet the closed connection).
  EXPECT_EQ(raw("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 2097152\r\n\r\n",
                true)
                .rfind("HTTP/1.1 413", 0),
            0u);
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
  auto targets = mineplan::store::Store::open(s.store_location())->plan("dalad-2021")->targets;
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

// --- registries (issue 5): green-list steps, due lists, inspection draws -----------------------

namespace {

const std::string kPetrochina = "中国石油天然气股份有限公司";
const std::string kFluorite = "二连浩特市白音敖包萤石矿";

// Mines of the registry tests, written to the server's store (the registry handlers read the
// register from the store): one listed in Dalad (under a licence linked to petrochina), one
// listed in Erenhot (linked to fluorite), one in Dalad not on the list (petrochina's).
void add_registry_mines(const TestServer &s) {
  auto mine = [](const std::string &uid, const std::string &holder, const std::string &code,
                 const std::string &level) {
    mineplan::Mine m;
    m.uid = uid;
    m.name = std::string("接口测试矿山").append(uid);
    m.holder = holder;
    m.licence_no = holder == kPetrochina ? kPetrochinaDalad : kFluoriteErenhot;
    m.minerals = {"煤炭"};
    m.status = "producing";
    m.scale_class = "medium";
    m.jurisdiction = code;
    m.green_level = level;
    if (!level.empty()) m.green_year = 2022;
    return m;
  };
  auto st = mineplan::store::Store::open(s.store_location());
  st->import_mines({mine("api-test/green-dalad", kPetrochina, "150621", "league"),
                    mine("api-test/green-erenhot", kFluorite, "152501", "region"),
                    mine("api-test/plain-dalad", kPetrochina, "150621", "")},
                   "2020-01-01", "server api test");
}

std::vector<mineplan::store::RegistryEvent> green_steps(const TestServer &s,
                                                        const std::string &uid) {
  return mineplan::store::Store::open(s.store_location())->registry_events("green-mine", uid);
}

std::vector<mineplan::store::AuditEntry> registry_audit(const TestServer &s) {
  std::vector<mineplan::store::AuditEntry> out;
  for (const auto &e : mineplan::store::Store::open(s.store_location())->audit_entries(0, 100000))
    if (e.action.rfind("registry.", 0) == 0) out.push_back(e);
  return out;
}

} // namespace

TEST(ServerApi, RegistryStepsOnlyByStaffOfTheMinesJurisdiction) {
  TestServer s;
  add_registry_mines(s);
  const std::string erenhot_mine = "/api/registry/green/api-test/green-erenhot/steps";
  const Json change{{"event", "change"}, {"date", "2025-05-01"}, {"change", "area"}};

  // The public may not step; neither may county staff of another county, nor another holder.
  EXPECT_EQ(s.post(erenhot_mine, change).status, 401u);
  Reply elsewhere = s.post(erenhot_mine, change, s.login("dalad"));
  EXPECT_EQ(elsewhere.status, 403u) << elsewhere.body;
  EXPECT_NE(elsewhere.json()["error"].get<std::string>().find("outside your jurisdiction"),
            std::string::npos)
      << elsewhere.body;
  Reply other_holder = s.post(erenhot_mine, change, s.login("petrochina"));
  EXPECT_EQ(other_holder.status, 403u) << other_holder.body;
  // A holder may not take a staff step of their own mine either: the lifecycle says who.
  Reply wrong_role = s.post(
      erenhot_mine, Json{{"event", "remove"}, {"date", "2025-05-01"}, {"grounds", "closure"}},
      s.login("fluorite"));
  EXPECT_EQ(wrong_role.status, 403u) << wrong_role.body;
  EXPECT_TRUE(green_steps(s, "api-test/green-erenhot").empty());
  EXPECT_TRUE(registry_audit(s).empty());

  // Staff of the place may; the step is recorded and audited in their name.
  Reply done = s.post(erenhot_mine, change, s.login("erenhot"));
  ASSERT_EQ(done.status, 201u) << done.body;
  EXPECT_EQ(done.json()["state"]["state"], "reassessment");
  auto steps = green_steps(s, "api-test/green-erenhot");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].who, "erenhot");
  EXPECT_EQ(steps[0].from_state, "listed");
  auto audit = registry_audit(s);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].who, "erenhot");
  EXPECT_EQ(audit[0].action, "registry.green-mine.change");

  // League staff step the mines of their counties; the deadline comes from the lifecycle.
  const std::string dalad_mine = "/api/registry/green/api-test/green-dalad/steps";
  Reply fail = s.post(dalad_mine,
                      Json{{"event", "inspect_fail"},
                           {"date", "2025-04-10"},
                           {"draw", "150621/2025-Q2"},
                           {"findings", "排土场未复绿"}},
                      s.login("ordos"));
  ASSERT_EQ(fail.status, 201u) << fail.body;
  EXPECT_EQ(fail.json()["state"]["state"], "rectifying");
  EXPECT_EQ(fail.json()["state"]["deadline"]["date"], "2026-04-10");
  EXPECT_EQ(s.post(dalad_mine, change, s.login("erenhot")).status, 403u);

  // The lifecycle's own rules still apply: an illegal transition (409) with the reason, a role
  // the step does not allow (403), a missing parameter (400); nothing is recorded.
  Call dalad = s.login("dalad");
  Reply illegal = s.post(dalad_mine, Json{{"event", "county_pass"}, {"date", "2025-05-01"}}, dalad);
  EXPECT_EQ(illegal.status, 409u) << illegal.body;
  EXPECT_NE(illegal.body.find("state 'rectifying' does not allow step 'county_pass'"),
            std::string::npos)
      << illegal.body;
  Reply role = s.post(
      dalad_mine, Json{{"event", "remove"}, {"date", "2025-05-01"}, {"grounds", "fraud"}}, dalad);
  EXPECT_EQ(role.status, 403u) << role.body;
  EXPECT_EQ(role.json()["field"], "role") << role.body;
  Reply unknown = s.post(dalad_mine, Json{{"event", "fly"}, {"date", "2025-05-01"}}, dalad);
  EXPECT_EQ(unknown.status, 400u) << unknown.body;
  Reply no_date = s.post(dalad_mine, Json{{"event", "rectify_pass"}}, dalad);
  EXPECT_EQ(no_date.status, 400u) << no_date.body;
  EXPECT_EQ(green_steps(s, "api-test/green-dalad").size(), 1u);
  EXPECT_EQ(registry_audit(s).size(), 2u);

  // The county closes the rectification; region staff remove a mine anywhere in the region.
  Reply rectified =
      s.post(dalad_mine, Json{{"event", "rectify_pass"}, {"date", "2025-09-01"}}, dalad);
  ASSERT_EQ(rectified.status, 201u) << rectified.body;
  EXPECT_EQ(rectified.json()["state"]["state"], "listed");
  Reply removed =
      s.post(dalad_mine,
             Json{{"event", "remove"}, {"date", "2025-10-01"}, {"grounds", "serious_violation"}},
             s.login("region"));
  ASSERT_EQ(removed.status, 201u) << removed.body;
  EXPECT_EQ(removed.json()["state"]["state"], "removed");
  // The step changed the register, and the published list follows.
  for (const auto &m : s.get("/api/lists/green-mines").json())
    EXPECT_NE(m["uid"], "api-test/green-dalad");
  EXPECT_EQ(s.post("/api/registry/green/api-test/nowhere/steps", change, dalad).status, 404u);
}

TEST(ServerApi, RegistryGreenStateIsPublicOnlyWhenPublished) {
  TestServer s;
  add_registry_mines(s);
  // A listed mine: the public sees its state, not who took the steps nor the internal values.
  Reply pub = s.get("/api/registry/green/api-test/green-dalad");
  ASSERT_EQ(pub.status, 200u) << pub.body;
  EXPECT_EQ(pub.json()["state"], "listed");
  EXPECT_EQ(pub.json()["level"], "league");
  EXPECT_FALSE(pub.json()["full_history"].get<bool>());
  EXPECT_FALSE(pub.json().contains("values"));

  ASSERT_EQ(s.post("/api/registry/green/api-test/green-dalad/steps",
                   Json{{"event", "inspect_fail"},
                        {"date", "2025-04-10"},
                        {"draw", "150621/2025-Q2"},
                        {"findings", "排土场未复绿"}},
                   s.login("dalad"))
                .status,
            201u);
  Json after = s.get("/api/registry/green/api-test/green-dalad").json();
  ASSERT_EQ(after["steps"].size(), 1u) << after.dump();
  EXPECT_FALSE(after["steps"][0].contains("who"));
  Json staff = s.get("/api/registry/green/api-test/green-dalad", s.login("dalad")).json();
  EXPECT_TRUE(staff["full_history"].get<bool>());
  EXPECT_EQ(staff["steps"][0]["who"], "dalad");

  // A mine not on the list: only staff of its jurisdiction and its holder see its state.
  const std::string plain = "/api/registry/green/api-test/plain-dalad";
  EXPECT_EQ(s.get(plain).status, 404u);
  EXPECT_EQ(s.get(plain, s.login("erenhot")).status, 404u);
  EXPECT_EQ(s.get(plain, s.login("fluorite")).status, 404u);
  Reply own = s.get(plain, s.login("petrochina"));
  ASSERT_EQ(own.status, 200u) << own.body;
  EXPECT_EQ(own.json()["state"], "none");
  EXPECT_TRUE(own.json()["full_history"].get<bool>());
  EXPECT_EQ(s.get(plain, s.login("ordos")).status, 200u);
  EXPECT_EQ(s.get("/api/registry/green/api-test/nowhere").status, 404u);
}

TEST(ServerApi, RegistryDueListsByJurisdictionAndHolder) {
  TestServer s;
  add_registry_mines(s);
  const std::string target = "/api/due?as_of=2025-03-15";
  EXPECT_EQ(s.get(target).status, 401u);
  EXPECT_EQ(s.get(target, s.login("reviewer")).status, 403u);
  EXPECT_EQ(s.get("/api/due?as_of=2025-02-30", s.login("dalad")).status, 400u);

  // A holder sees their own items only.
  Reply holder = s.get(target, s.login("petrochina"));
  ASSERT_EQ(holder.status, 200u) << holder.body;
  Json items = holder.json()["items"];
  ASSERT_FALSE(items.empty()) << holder.body;
  std::set<std::string> subjects;
  for (const auto &i : items) {
    EXPECT_EQ(i["holder"], kPetrochina) << i.dump();
    subjects.insert(i["subject"].get<std::string>());
  }
  EXPECT_TRUE(subjects.count("api-test/green-dalad")) << holder.body; // disclosure by 31 March
  EXPECT_FALSE(subjects.count("api-test/green-erenhot"));
  const Json fluorite = s.get(target, s.login("fluorite")).json();
  ASSERT_FALSE(fluorite["items"].empty());
  for (const auto &i : fluorite["items"])
    EXPECT_EQ(i["holder"], kFluorite) << i.dump();

  // Staff see their jurisdiction, and not another.
  Call dalad = s.login("dalad");
  Reply county = s.get(target, dalad);
  ASSERT_EQ(county.status, 200u) << county.body;
  const Json county_items = county.json()["items"];
  ASSERT_FALSE(county_items.empty());
  for (const auto &i : county_items)
    EXPECT_EQ(i["jurisdiction"], "150621") << i.dump();
  EXPECT_EQ(s.get(target + "&jurisdiction=152501", dalad).status, 403u);
  Reply region = s.get(target + "&jurisdiction=152501", s.login("region"));
  ASSERT_EQ(region.status, 200u) << region.body;
  bool erenhot_mine = false;
  const Json region_items = region.json()["items"];
  for (const auto &i : region_items) {
    EXPECT_EQ(i["jurisdiction"], "152501") << i.dump();
    if (i["subject"].get<std::string>() == "api-test/green-erenhot") erenhot_mine = true;
  }
  EXPECT_TRUE(erenhot_mine) << region.body;
}

TEST(ServerApi, RegistryDrawsByStaffOfThePlaceArePublishedAndVerify) {
  TestServer s;
  const Json draw{{"jurisdiction", "150627"},
                  {"date", "2025-02-01"},
                  {"experts", {"E01", "E02", "E03", "E04", "E05"}},
                  {"seed", 20250201}};
  EXPECT_EQ(s.post("/api/registry/draws", draw).status, 401u);
  EXPECT_EQ(s.post("/api/registry/draws", draw, s.login("dalad")).status, 403u);
  EXPECT_EQ(s.post("/api/registry/draws", draw, s.login("petrochina")).status, 403u);
  EXPECT_TRUE(s.get("/api/registry/draws").json().empty());

  Call ordos = s.login("ordos");
  Reply made = s.post("/api/registry/draws", draw, ordos);
  ASSERT_EQ(made.status, 201u) << made.body;
  const std::string id = made.json()["id"].get<std::string>();
  EXPECT_EQ(id, "150627/2025-Q1");
  EXPECT_FALSE(made.json()["drawn"].empty());
  EXPECT_EQ(made.json()["seed"], "20250201"); // 64-bit seeds travel as strings
  // The quarter's batch is drawn once.
  EXPECT_EQ(s.post("/api/registry/draws", draw, ordos).status, 409u);

  // Published: anyone lists the draws and re-verifies one.
  Json list = s.get("/api/registry/draws").json();
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0]["drawn"], made.json()["drawn"]);
  Reply verified = s.get("/api/registry/draws/" + id + "/verify");
  ASSERT_EQ(verified.status, 200u) << verified.body;
  EXPECT_TRUE(verified.json()["ok"].get<bool>()) << verified.body;
  EXPECT_EQ(s.get("/api/registry/draws/150627/2025-Q2/verify").status, 404u);
  EXPECT_EQ(s.get("/api/registry/draws?jurisdiction=150621").json().size(), 0u);
}

TEST(ServerApi, RegistryAHolderDisclosesForTheirOwnMine) {
  TestServer s;
  add_registry_mines(s);
  const Json disclose{{"event", "disclose"}, {"date", "2025-03-20"}, {"year", 2024}};
  // fluorite holds the Erenhot mine, petrochina the Dalad one.
  Reply own =
      s.post("/api/registry/green/api-test/green-erenhot/steps", disclose, s.login("fluorite"));
  EXPECT_EQ(own.status, 201u) << own.body;
  Reply other =
      s.post("/api/registry/green/api-test/green-erenhot/steps", disclose, s.login("petrochina"));
  EXPECT_EQ(other.status, 403u) << other.body;
  auto steps = green_steps(s, "api-test/green-erenhot");
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].who, "fluorite");
}

namespace {

// A right of Urad Middle Banner (150824) for the consolidation program of seed 003.
const std::string kUradRight = "api-test/urad-granite";

void add_program_right(const TestServer &s, const std::string &uid = kUradRight,
                       const std::string &licence = "C1500002026000099") {
  mineplan::Right r;
  r.uid = uid;
  r.licence_no = licence;
  r.kind = "mining";
  r.name = "接口测试花岗岩矿";
  r.holder = "丙公司";
  r.status = "producing";
  r.jurisdiction = "150824";
  mineplan::store::Store::open(s.store_location())
      ->import_rights({r}, "2026-01-01", "server api test");
}

std::vector<mineplan::store::RegistryEvent>
registry_steps(const TestServer &s, const std::string &registry, const std::string &subject) {
  return mineplan::store::Store::open(s.store_location())->registry_events(registry, subject);
}

} // namespace

TEST(ServerApi, RegistryProgramStepsOnlyByStaffOfTheProgramsCounty) {
  TestServer s;
  add_program_right(s);
  const std::string target = "/api/registry/program/" + kUradRight + "/steps";
  const Json assign{
      {"event", "assign"}, {"date", "2026-02-05"}, {"action", "consolidate"}, {"zone", "cz-07"}};

  // The public 401; staff of another county 403, naming the jurisdiction; nothing recorded.
  EXPECT_EQ(s.post(target, assign).status, 401u);
  Reply elsewhere = s.post(target, assign, s.login("dalad"));
  EXPECT_EQ(elsewhere.status, 403u) << elsewhere.body;
  EXPECT_NE(elsewhere.body.find("outside your jurisdiction"), std::string::npos) << elsewhere.body;
  EXPECT_EQ(s.post(target, assign, s.login("petrochina")).status, 403u);
  EXPECT_TRUE(registry_steps(s, "consolidation", kUradRight).empty());
  EXPECT_TRUE(registry_audit(s).empty());

  // Staff of Urad Middle Banner: 201, recorded and audited in their name.
  Call urad = s.login("urad");
  Reply done = s.post(target, assign, urad);
  ASSERT_EQ(done.status, 201u) << done.body;
  EXPECT_EQ(done.json()["state"]["state"], "planned");
  auto steps = registry_steps(s, "consolidation", kUradRight);
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].who, "urad");
  auto audit = registry_audit(s);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].who, "urad");
  EXPECT_EQ(audit[0].action, "registry.consolidation.assign");

  // An illegal step: completing what was never started (409, naming the expected state).
  Reply illegal = s.post(
      target, Json{{"event", "complete"}, {"date", "2026-03-01"}, {"document", "批复"}}, urad);
  EXPECT_EQ(illegal.status, 409u) << illegal.body;
  EXPECT_NE(illegal.body.find("in_progress"), std::string::npos) << illegal.body;
  Reply bad_zone =
      s.post(target, Json{{"event", "drop"}, {"date", "2026-03-01"}}, urad); // opinion is required
  EXPECT_EQ(bad_zone.status, 400u) << bad_zone.body;
  EXPECT_EQ(registry_steps(s, "consolidation", kUradRight).size(), 1u);
  EXPECT_EQ(registry_audit(s).size(), 1u);
  ASSERT_EQ(s.post(target, Json{{"event", "start"}, {"date", "2026-03-01"}}, urad).status, 201u);
  EXPECT_EQ(s.post("/api/registry/program/api-test/nowhere/steps", assign, urad).status, 404u);
}

TEST(ServerApi, RegistryProgramFiguresAndRightsArePublic) {
  TestServer s;
  add_program_right(s);
  Call urad = s.login("urad");
  const std::string target = "/api/registry/program/" + kUradRight + "/steps";
  ASSERT_EQ(s.post(target,
                   Json{{"event", "assign"},
                        {"date", "2026-02-05"},
                        {"action", "consolidate"},
                        {"zone", "cz-07"}},
                   urad)
                .status,
            201u);
  ASSERT_EQ(s.post(target, Json{{"event", "start"}, {"date", "2026-03-01"}}, urad).status, 201u);

  Reply pub = s.get("/api/registry/program?as_of=2026-06-30");
  ASSERT_EQ(pub.status, 200u) << pub.body;
  Json j = pub.json();
  EXPECT_EQ(j["plan"], "urad-middle-2026");
  EXPECT_EQ(j["phase"], "implement");
  EXPECT_EQ(j["zone_count"], 19);
  EXPECT_EQ(j["categories"].size(), 6u);
  EXPECT_FALSE(j["figures"].empty());
  EXPECT_FALSE(j["full_history"].get<bool>());
  ASSERT_EQ(j["rights"].size(), 1u) << pub.body;
  EXPECT_EQ(j["rights"][0]["right"], kUradRight);
  EXPECT_EQ(j["rights"][0]["state"], "in_progress");
  EXPECT_EQ(j["rights"][0]["zone"], "cz-07");
  EXPECT_FALSE(j["rights"][0].contains("steps"));

  // As of a date before the start, the right is only planned.
  Json before = s.get("/api/registry/program?as_of=2026-02-10").json();
  ASSERT_EQ(before["rights"].size(), 1u);
  EXPECT_EQ(before["rights"][0]["state"], "planned");
  EXPECT_EQ(before["phase"], "implement");

  // Staff of the county see who took each step, and the county's rights not yet in the
  // program with the step that brings one in.
  add_program_right(s, "api-test/urad-marble", "C1500002026000100");
  Json staff = s.get("/api/registry/program?as_of=2026-06-30", urad).json();
  EXPECT_TRUE(staff["full_history"].get<bool>());
  ASSERT_EQ(staff["rights"].size(), 2u) << staff["rights"].dump();
  EXPECT_EQ(staff["rights"][1]["right"], "api-test/urad-marble");
  EXPECT_EQ(staff["rights"][1]["state"], "none");
  ASSERT_EQ(staff["rights"][1]["next"].size(), 1u);
  EXPECT_EQ(staff["rights"][1]["next"][0]["event"], "assign");
  EXPECT_EQ(s.get("/api/registry/program?as_of=2026-06-30").json()["rights"].size(), 1u)
      << "the public sees the program's rights only";
  ASSERT_EQ(staff["rights"][0]["steps"].size(), 2u);
  EXPECT_EQ(staff["rights"][0]["steps"][0]["who"], "urad");
  EXPECT_FALSE(s.get("/api/registry/program", s.login("dalad")).json()["full_history"].get<bool>());
  EXPECT_EQ(s.get("/api/registry/program?as_of=2026-02-30").status, 400u);
}

TEST(ServerApi, RegistryRestorationStepsByStaffOfThePlaceAndTheHolder) {
  TestServer s;
  add_registry_mines(s);
  const std::string uid = "api-test/green-dalad"; // petrochina's mine in Dalad (150621)
  const std::string target = "/api/registry/restoration/" + uid + "/steps";
  const Json file_plan{
      {"event", "file_plan"}, {"date", "2024-03-01"}, {"plan_doc", "方案"}, {"area_ha", 12.5}};
  const Json change{{"event", "change"}, {"date", "2024-05-01"}, {"change", "method"}};

  // The public 401, staff of another county and another holder 403; nothing recorded.
  EXPECT_EQ(s.post(target, change).status, 401u);
  Reply elsewhere = s.post(target, change, s.login("erenhot"));
  EXPECT_EQ(elsewhere.status, 403u) << elsewhere.body;
  EXPECT_NE(elsewhere.body.find("outside your jurisdiction"), std::string::npos) << elsewhere.body;
  EXPECT_EQ(s.post(target, file_plan, s.login("fluorite")).status, 403u);
  // Staff of the place may not file the holder's plan: the lifecycle says who (403, role).
  Call dalad = s.login("dalad");
  Reply role = s.post(target, file_plan, dalad);
  EXPECT_EQ(role.status, 403u) << role.body;
  EXPECT_EQ(role.json()["field"], "role") << role.body;
  // An illegal step: a change before any plan (409).
  Reply illegal = s.post(target, change, dalad);
  EXPECT_EQ(illegal.status, 409u) << illegal.body;
  EXPECT_NE(illegal.body.find("expected state planned"), std::string::npos) << illegal.body;
  EXPECT_TRUE(registry_steps(s, "restoration", uid).empty());
  EXPECT_TRUE(registry_audit(s).empty());

  // The holder files the plan and accrues the fund; staff of the place record a change.
  Call holder = s.login("petrochina");
  Reply filed = s.post(target, file_plan, holder);
  ASSERT_EQ(filed.status, 201u) << filed.body;
  EXPECT_EQ(filed.json()["state"]["state"], "planned");
  ASSERT_EQ(
      s.post(target, Json{{"event", "accrue"}, {"date", "2024-03-02"}, {"amount", 100}}, holder)
          .status,
      201u);
  // Spending more than the balance is refused.
  Reply overdrawn =
      s.post(target, Json{{"event", "use"}, {"date", "2024-04-01"}, {"amount", 180}, {"note", "x"}},
             holder);
  EXPECT_EQ(overdrawn.status, 400u) << overdrawn.body;
  EXPECT_EQ(overdrawn.json()["field"], "use.amount") << overdrawn.body;
  Reply changed = s.post(target, change, dalad);
  ASSERT_EQ(changed.status, 201u) << changed.body;
  EXPECT_EQ(changed.json()["state"]["state"], "replanning");
  auto steps = registry_steps(s, "restoration", uid);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].who, "petrochina");
  EXPECT_EQ(steps[2].who, "dalad");
  auto audit = registry_audit(s);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[2].who, "dalad");
  EXPECT_EQ(audit[2].action, "registry.restoration.change");
  EXPECT_EQ(s.post("/api/registry/restoration/api-test/nowhere/steps", change, dalad).status, 404u);
}

TEST(ServerApi, RegistryRestorationFundIsTheHoldersAndTheBureausOnly) {
  TestServer s;
  add_registry_mines(s);
  const std::string uid = "api-test/green-dalad";
  const std::string target = "/api/registry/restoration/" + uid + "/steps";
  Call holder = s.login("petrochina");
  for (const Json &step :
       {Json{{"event", "file_plan"},
             {"date", "2024-03-01"},
             {"plan_doc", "方案"},
             {"area_ha", 12.5}},
        Json{{"event", "accrue"}, {"date", "2024-03-02"}, {"amount", 100}},
        Json{{"event", "use"}, {"date", "2024-06-01"}, {"amount", 30}, {"note", "排土场治理"}},
        Json{{"event", "report_area"},
             {"date", "2025-01-10"},
             {"year", 2024},
             {"damaged_ha", 4},
             {"restored_ha", 1.5}}})
    ASSERT_EQ(s.post(target, step, holder).status, 201u) << step.dump();

  const std::string view = "/api/registry/restoration/" + uid;
  Reply own = s.get(view, holder);
  ASSERT_EQ(own.status, 200u) << own.body;
  EXPECT_TRUE(own.json()["full_history"].get<bool>());
  EXPECT_DOUBLE_EQ(own.json()["fund"]["balance"].get<double>(), 70);
  EXPECT_DOUBLE_EQ(own.json()["fund"]["accrued"].get<double>(), 100);
  EXPECT_EQ(own.json()["steps"].size(), 4u);
  Json staff = s.get(view, s.login("dalad")).json();
  EXPECT_DOUBLE_EQ(staff["fund"]["balance"].get<double>(), 70);
  EXPECT_DOUBLE_EQ(s.get(view, s.login("ordos")).json()["fund"]["balance"].get<double>(), 70);

  // The public, another holder, staff of another county and reviewers: state and areas, no fund.
  for (const Call &call : {Call{}, s.login("fluorite"), s.login("erenhot"), s.login("reviewer")}) {
    Reply r = s.get(view, call);
    ASSERT_EQ(r.status, 200u) << r.body;
    Json j = r.json();
    EXPECT_EQ(j["state"], "planned");
    EXPECT_FALSE(j["full_history"].get<bool>());
    EXPECT_FALSE(j.contains("fund")) << r.body;
    EXPECT_FALSE(j.contains("steps")) << r.body;
    EXPECT_EQ(r.body.find("balance"), std::string::npos) << r.body;
    ASSERT_EQ(j["years"].size(), 1u);
    EXPECT_DOUBLE_EQ(j["unrestored_ha"].get<double>(), 2.5);
  }
  EXPECT_EQ(s.get("/api/registry/restoration/api-test/nowhere").status, 404u);
}

// --- registries over HTTP, continued: the green-list procedure role by role, `next` by the
// caller's role, the closure gate, the rectification ledger, re-assessment on register change --

namespace {

const std::string kPlainDalad = "/api/registry/green/api-test/plain-dalad/steps";

Reply step(const TestServer &s, const std::string &target, Json body, const Call &who) {
  return s.post(target, body, who);
}

std::set<std::string> next_events(const Json &j) {
  std::set<std::string> out;
  for (const auto &n : j["next"])
    out.insert(n["event"].get<std::string>());
  return out;
}

} // namespace

TEST(ServerApi, RegistryGreenProcedureStepByStepRoleByRole) {
  TestServer s;
  add_registry_mines(s);
  Call holder = s.login("petrochina"), county = s.login("dalad"), league = s.login("ordos"),
       other_county = s.login("erenhot"), reviewer = s.login("reviewer");

  // The holder applies for its own mine; the county reviews first, then the league.
  Reply applied = step(s, kPlainDalad,
                       Json{{"event", "apply"},
                            {"date", "2025-01-10"},
                            {"level", "league"},
                            {"self_assessment", "自评估报告"}},
                       holder);
  ASSERT_EQ(applied.status, 201u) << applied.body;
  EXPECT_EQ(applied.json()["state"]["state"], "applied");
  const Json county_pass{{"event", "county_pass"}, {"date", "2025-02-01"}};
  Reply league_first = step(s, kPlainDalad, county_pass, league);
  EXPECT_EQ(league_first.status, 403u) << league_first.body;
  EXPECT_EQ(league_first.json()["field"], "role");
  EXPECT_EQ(league_first.json()["error"].get<std::string>().rfind("角色不允许：", 0), 0u)
      << league_first.body;
  EXPECT_EQ(step(s, kPlainDalad, county_pass, holder).status, 403u);
  Reply elsewhere = step(s, kPlainDalad, county_pass, other_county);
  EXPECT_EQ(elsewhere.status, 403u);
  EXPECT_EQ(elsewhere.json()["field"], "jurisdiction") << elsewhere.body;
  ASSERT_EQ(step(s, kPlainDalad, county_pass, county).status, 201u);

  // The city's review is the league's: the county may not take it.
  const Json city_pass{{"event", "city_pass"}, {"date", "2025-03-01"}};
  EXPECT_EQ(step(s, kPlainDalad, city_pass, county).status, 403u);
  ASSERT_EQ(step(s, kPlainDalad, city_pass, league).status, 201u);
  // A step already taken is not allowed again: 409, Chinese first, naming the state.
  Reply again = step(s, kPlainDalad, city_pass, league);
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(again.json()["error"].get<std::string>().rfind("状态不允许：", 0), 0u) << again.body;
  EXPECT_NE(again.body.find("state 'city_reviewed' does not allow step 'city_pass'"),
            std::string::npos)
      << again.body;

  // The third-party assessment is the reviewer's and needs the assessor (400 without).
  Reply no_assessor =
      step(s, kPlainDalad, Json{{"event", "assess_pass"}, {"date", "2025-04-01"}}, reviewer);
  EXPECT_EQ(no_assessor.status, 400u) << no_assessor.body;
  EXPECT_EQ(no_assessor.json()["field"], "assess_pass.assessor");
  const Json assess{{"event", "assess_pass"}, {"date", "2025-04-01"}, {"assessor", "某评估公司"}};
  EXPECT_EQ(step(s, kPlainDalad, assess, holder).status, 403u);
  ASSERT_EQ(step(s, kPlainDalad, assess, reviewer).status, 201u);

  // Publicity: a window that ends before the step is bad input; listing only after it ends.
  Reply bad_window = step(
      s, kPlainDalad,
      Json{{"event", "publicize"}, {"date", "2025-05-01"}, {"window_end", "2025-04-01"}}, league);
  EXPECT_EQ(bad_window.status, 400u) << bad_window.body;
  ASSERT_EQ(step(s, kPlainDalad,
                 Json{{"event", "publicize"}, {"date", "2025-05-01"}, {"window_end", "2025-05-10"}},
                 league)
                .status,
            201u);
  Reply too_early = step(s, kPlainDalad, Json{{"event", "list"}, {"date", "2025-05-05"}}, league);
  EXPECT_EQ(too_early.status, 400u) << too_early.body;
  EXPECT_EQ(too_early.json()["field"], "date");
  // A league-level listing is the league's, not the region's (roles_by the level applied for).
  EXPECT_EQ(step(s, kPlainDalad, Json{{"event", "list"}, {"date", "2025-05-12"}}, s.login("region"))
                .status,
            403u);
  Reply listed = step(s, kPlainDalad, Json{{"event", "list"}, {"date", "2025-05-12"}}, league);
  ASSERT_EQ(listed.status, 201u) << listed.body;
  EXPECT_EQ(listed.json()["state"]["state"], "listed");
  // Listed: the public sees it, and the published list carries it.
  EXPECT_EQ(s.get("/api/registry/green/api-test/plain-dalad").json()["state"], "listed");
  bool on_list = false;
  for (const auto &m : s.get("/api/lists/green-mines").json())
    on_list = on_list || m["uid"] == "api-test/plain-dalad";
  EXPECT_TRUE(on_list);
  EXPECT_EQ(green_steps(s, "api-test/plain-dalad").size(), 6u);
  EXPECT_EQ(registry_audit(s).size(), 6u);
}

TEST(ServerApi, RegistryNextListsOnlyTheCallersStepsWithTheirFields) {
  TestServer s;
  add_registry_mines(s);
  const std::string view = "/api/registry/green/api-test/green-dalad";
  Json county = s.get(view, s.login("dalad")).json();
  Json holder = s.get(view, s.login("petrochina")).json();
  auto c = next_events(county), h = next_events(holder);
  // Listed: the county inspects and records changes; removal is the region's; the holder
  // discloses, records a change and asks for re-review, and inspects nothing.
  EXPECT_TRUE(c.count("inspect_pass") && c.count("inspect_fail") && c.count("change"))
      << county.dump();
  EXPECT_FALSE(c.count("remove") || c.count("disclose") || c.count("rereview_apply"));
  EXPECT_TRUE(h.count("disclose") && h.count("change") && h.count("rereview_apply"))
      << holder.dump();
  EXPECT_FALSE(h.count("inspect_pass") || h.count("remove"));
  EXPECT_TRUE(next_events(s.get(view, s.login("region")).json()).count("remove"));
  // Each step carries its fields with labels and types from the lifecycle file.
  Json change;
  for (const auto &n : county["next"])
    if (n["event"] == "change") change = n;
  ASSERT_FALSE(change.is_null());
  EXPECT_EQ(change["label"], "变更矿区范围、开采方式或开采规模，申请重新评估");
  EXPECT_EQ(change["to"], "reassessment");
  EXPECT_EQ(change["to_label"], "变更后重新评估");
  ASSERT_EQ(change["fields"].size(), 1u);
  EXPECT_EQ(change["fields"][0]["name"], "change");
  EXPECT_EQ(change["fields"][0]["type"], "enum");
  EXPECT_TRUE(change["fields"][0]["required"].get<bool>());
  EXPECT_EQ(change["fields"][0]["values"][0], (Json{{"value", "area"}, {"label", "矿区范围"}}));

  // The lifecycle itself, for labelling past steps: public.
  Reply lc = s.get("/api/registry/lifecycles/green-mine");
  ASSERT_EQ(lc.status, 200u) << lc.body;
  EXPECT_EQ(lc.json()["params"]["grounds"]["values"][0]["label"], "闭坑");
  EXPECT_EQ(lc.json()["states"][0], (Json{{"id", "none"}, {"label", "未申报"}}));
  EXPECT_EQ(s.get("/api/registry/lifecycles/nothing").status, 404u);
}

TEST(ServerApi, RegistryClosureGateOverHttp) {
  TestServer s;
  add_registry_mines(s);
  const std::string uid = "api-test/green-dalad";
  const std::string mine = "/api/mines/" + uid;
  const std::string restoration = "/api/registry/restoration/" + uid + "/steps";
  const Json close{{"status", "closed"}, {"effective", "2025-06-30"}};
  Call county = s.login("dalad"), holder = s.login("petrochina");

  EXPECT_EQ(s.patch(mine, close).status, 401u);
  EXPECT_EQ(s.patch(mine, close, s.login("erenhot")).status, 403u);
  EXPECT_EQ(s.patch(mine, close, holder).status, 403u);
  EXPECT_EQ(s.patch(mine, Json{{"status", "gone"}, {"effective", "2025-06-30"}}, county).status,
            400u);
  // No restoration accepted: the closure is refused (409) and the register keeps the mine open.
  Reply refused = s.patch(mine, close, county);
  EXPECT_EQ(refused.status, 409u) << refused.body;
  EXPECT_EQ(refused.json()["error"].get<std::string>().rfind("闭坑不允许：", 0), 0u)
      << refused.body;
  EXPECT_NE(refused.body.find("restoration"), std::string::npos) << refused.body;
  auto status_now = [&] {
    auto st = mineplan::store::Store::open(s.store_location());
    auto m = mineplan::registry::current_mine(*st, uid);
    return m ? m->status : std::string("missing");
  };
  EXPECT_EQ(status_now(), "producing");

  // The holder files the plan and applies for acceptance; the county accepts on 2025-06-15.
  for (const Json &b : {Json{{"event", "file_plan"},
                             {"date", "2024-03-01"},
                             {"plan_doc", "方案"},
                             {"area_ha", 12.5}},
                        Json{{"event", "apply_acceptance"}, {"date", "2025-06-01"}}})
    ASSERT_EQ(s.post(restoration, b, holder).status, 201u) << b.dump();
  // Still applied, not accepted: refused.
  EXPECT_EQ(s.patch(mine, close, county).status, 409u);
  ASSERT_EQ(s.post(restoration, Json{{"event", "accept"}, {"date", "2025-06-15"}}, county).status,
            201u);
  // A closure dated before the acceptance is still refused; on or after it, allowed.
  EXPECT_EQ(s.patch(mine, Json{{"status", "closed"}, {"effective", "2025-06-10"}}, county).status,
            409u);
  Reply closed = s.patch(mine, close, county);
  ASSERT_EQ(closed.status, 200u) << closed.body;
  EXPECT_EQ(closed.json()["mine"]["status"], "closed");
  EXPECT_EQ(status_now(), "closed");
  EXPECT_EQ(audit_rows(s, "mine.update"), 1) << "one audited change";
}

TEST(ServerApi, RegistryLedgerIsWrittenByTheProgramsCountyAndReadByRole) {
  TestServer s;
  const std::string item = "/api/registry/ledger/ZG-2026-001/steps";
  const Json open{{"event", "open"},
                  {"date", "2026-03-01"},
                  {"name", "张佳花岗岩整合区整合进度滞后"},
                  {"issue", "整合主体未确定"},
                  {"responsible", "李四"},
                  {"standard", "确定整合主体并签订协议"},
                  {"deadline", "2026-08-31"}};
  // Written by staff of Urad Middle Banner only: the public 401; another county, a holder and
  // a reviewer 403 (jurisdiction / only staff); region staff 403 by the lifecycle (role).
  EXPECT_EQ(s.post(item, open).status, 401u);
  Reply dalad = s.post(item, open, s.login("dalad"));
  EXPECT_EQ(dalad.status, 403u) << dalad.body;
  EXPECT_EQ(dalad.json()["field"], "jurisdiction");
  EXPECT_EQ(s.post(item, open, s.login("petrochina")).status, 403u);
  EXPECT_EQ(s.post(item, open, s.login("urad-reviewer")).status, 403u);
  Reply region = s.post(item, open, s.login("region"));
  EXPECT_EQ(region.status, 403u) << region.body;
  EXPECT_EQ(region.json()["field"], "role");
  EXPECT_EQ(s.post("/api/registry/ledger/bad%20id/steps", open, s.login("urad")).status, 400u);
  EXPECT_TRUE(registry_steps(s, "program-rectification", "ZG-2026-001").empty());

  Call urad = s.login("urad");
  Reply opened = s.post(item, open, urad);
  ASSERT_EQ(opened.status, 201u) << opened.body;
  EXPECT_EQ(opened.json()["state"]["state"], "open");
  EXPECT_EQ(opened.json()["state"]["deadline"]["date"], "2026-08-31");
  EXPECT_EQ(s.post(item, open, urad).status, 409u); // opened once
  Reply no_note = s.post(item, Json{{"event", "follow_up"}, {"date", "2026-06-01"}}, urad);
  EXPECT_EQ(no_note.status, 400u) << no_note.body;
  ASSERT_EQ(s.post(item,
                   Json{{"event", "follow_up"}, {"date", "2026-06-01"}, {"note", "已召开协调会"}},
                   urad)
                .status,
            201u);
  auto audit = registry_audit(s);
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[0].action, "registry.program-rectification.open");
  EXPECT_EQ(audit[0].who, "urad");

  // The public: issue, standard, deadline, state and step dates; not the responsible person,
  // who recorded the steps, nor the working notes.
  Reply pub = s.get("/api/registry/ledger?as_of=2026-09-15");
  ASSERT_EQ(pub.status, 200u) << pub.body;
  Json p = pub.json();
  EXPECT_FALSE(p["full_history"].get<bool>());
  ASSERT_EQ(p["items"].size(), 1u);
  EXPECT_EQ(p["items"][0]["issue"], "整合主体未确定");
  EXPECT_EQ(p["items"][0]["deadline"], "2026-08-31");
  EXPECT_TRUE(p["items"][0]["overdue"].get<bool>()); // open past its deadline
  EXPECT_EQ(p["overdue"], 1);
  EXPECT_EQ(p["items"][0]["steps"].size(), 2u);
  EXPECT_EQ(pub.body.find("李四"), std::string::npos) << pub.body;
  EXPECT_EQ(pub.body.find("已召开协调会"), std::string::npos) << pub.body;
  EXPECT_EQ(pub.body.find("\"who\""), std::string::npos) << pub.body;
  // Staff of another county and a reviewer elsewhere read it as the public does.
  EXPECT_FALSE(s.get("/api/registry/ledger", s.login("dalad")).json()["full_history"].get<bool>());
  EXPECT_FALSE(
      s.get("/api/registry/ledger", s.login("reviewer")).json()["full_history"].get<bool>());
  // Staff of the county and above, and reviewers of the county: everything, and their steps.
  for (const char *who : {"urad", "region", "urad-reviewer"}) {
    Json full = s.get("/api/registry/ledger?as_of=2026-06-30", s.login(who)).json();
    ASSERT_TRUE(full["full_history"].get<bool>()) << who;
    EXPECT_EQ(full["items"][0]["responsible"], "李四") << who;
    EXPECT_EQ(full["items"][0]["steps"][0]["who"], "urad") << who;
    EXPECT_FALSE(full["items"][0]["overdue"].get<bool>());
  }
  auto events = [](const Json &j) { return next_events(j["items"][0]); };
  EXPECT_EQ(events(s.get("/api/registry/ledger", urad).json()),
            (std::set<std::string>{"follow_up", "complete"}));
  EXPECT_TRUE(events(s.get("/api/registry/ledger", s.login("urad-reviewer")).json()).empty());
  // As of a date before the item was opened, the ledger is empty.
  EXPECT_TRUE(s.get("/api/registry/ledger?as_of=2026-02-01").json()["items"].empty());
  EXPECT_EQ(s.get("/api/registry/ledger?as_of=2026-02-30").status, 400u);
}

TEST(ServerApi, RegistryMineChangesMoveListedMinesToReassessmentBySystem) {
  TestServer s;
  add_registry_mines(s);
  Call county = s.login("dalad"), holder = s.login("petrochina");
  const std::string uid = "api-test/green-dalad";
  ASSERT_EQ(s.post("/api/registry/restoration/" + uid + "/steps",
                   Json{{"event", "file_plan"},
                        {"date", "2024-03-01"},
                        {"plan_doc", "方案"},
                        {"area_ha", 12.5}},
                   holder)
                .status,
            201u);
  // A status change is no reason to re-assess.
  Reply stopped = s.patch("/api/mines/" + uid,
                          Json{{"status", "stopped"}, {"effective", "2025-01-01"}}, county);
  ASSERT_EQ(stopped.status, 200u) << stopped.body;
  EXPECT_TRUE(stopped.json()["registry_steps"].empty()) << stopped.body;
  EXPECT_TRUE(green_steps(s, uid).empty());

  // A change of method: the listed mine goes to re-assessment and its restoration plan to
  // re-planning, recorded by the system with the change and who made it.
  Reply changed = s.patch("/api/mines/" + uid,
                          Json{{"method", "underground"}, {"effective", "2025-02-01"}}, county);
  ASSERT_EQ(changed.status, 200u) << changed.body;
  EXPECT_EQ(changed.json()["registry_steps"].size(), 2u) << changed.body;
  auto green = green_steps(s, uid);
  ASSERT_EQ(green.size(), 1u);
  EXPECT_EQ(green[0].event, "change");
  EXPECT_EQ(green[0].who, "system");
  EXPECT_EQ(green[0].from_state, "listed");
  EXPECT_EQ(green[0].to_state, "reassessment");
  EXPECT_EQ(green[0].date, "2025-02-01");
  EXPECT_EQ(green[0].data["change"], "method");
  EXPECT_EQ(green[0].data["trigger"]["by"], "dalad");
  EXPECT_EQ(green[0].data["trigger"]["changes"][0]["after"]["method"], "underground");
  auto restoration = registry_steps(s, "restoration", uid);
  ASSERT_EQ(restoration.size(), 2u);
  EXPECT_EQ(restoration[1].to_state, "replanning");
  EXPECT_EQ(restoration[1].who, "system");
  // The public sees the mine under re-assessment and why, not who changed the register.
  Reply pub = s.get("/api/registry/green/" + uid);
  EXPECT_EQ(pub.json()["state"], "reassessment");
  EXPECT_EQ(pub.json()["steps"][0]["data"]["change"], "method");
  EXPECT_FALSE(pub.json()["steps"][0]["data"]["trigger"].contains("by")) << pub.body;
  EXPECT_FALSE(pub.json()["steps"][0].contains("who")) << pub.body;
  // Audited in the name of who made the change.
  auto audit = registry_audit(s);
  ASSERT_EQ(audit.size(), 3u);
  EXPECT_EQ(audit[1].who, "dalad");
  EXPECT_EQ(audit[1].action, "registry.green-mine.change");

  // Another change while under re-assessment records nothing new.
  Reply again = s.patch("/api/mines/" + uid,
                        Json{{"scale_class", "large"}, {"effective", "2025-03-01"}}, county);
  ASSERT_EQ(again.status, 200u);
  EXPECT_TRUE(again.json()["registry_steps"].empty()) << again.body;
  EXPECT_EQ(green_steps(s, uid).size(), 1u);
  // A mine not on the list, with no restoration plan, is not touched.
  ASSERT_EQ(s.patch("/api/mines/api-test/plain-dalad",
                    Json{{"method", "underground"}, {"effective", "2025-02-01"}}, county)
                .status,
            200u);
  EXPECT_TRUE(green_steps(s, "api-test/plain-dalad").empty());
}

TEST(ServerApi, RegistryRightChangesReachTheMinesUnderTheLicence) {
  TestServer s;
  add_registry_mines(s);
  // A right whose licence the Erenhot green mine works under.
  {
    auto st = mineplan::store::Store::open(s.store_location());
    mineplan::Mine m = *mineplan::registry::current_mine(*st, "api-test/green-erenhot");
    m.licence_no = "C1500002020000077";
    st->import_mines({m}, "2020-06-01", "server api test");
    mineplan::Right r;
    r.uid = "api-test/erenhot-right";
    r.licence_no = m.licence_no;
    r.kind = "mining";
    r.name = "接口测试采矿权";
    r.holder = kFluorite;
    r.status = "producing";
    r.method = "open-pit";
    r.jurisdiction = "152501";
    st->import_rights({r}, "2020-06-01", "server api test");
  }
  // The server's read model of rights is rebuilt after a write through it: one first.
  ASSERT_EQ(s.patch("/api/mines/api-test/plain-dalad",
                    Json{{"status", "stopped"}, {"effective", "2025-01-01"}}, s.login("dalad"))
                .status,
            200u);
  Reply changed =
      s.patch("/api/rights/api-test/erenhot-right",
              Json{{"method", "underground"}, {"effective", "2025-04-01"}}, s.login("erenhot"));
  ASSERT_EQ(changed.status, 200u) << changed.body;
  ASSERT_EQ(changed.json()["registry_steps"].size(), 1u) << changed.body;
  auto green = green_steps(s, "api-test/green-erenhot");
  ASSERT_EQ(green.size(), 1u);
  EXPECT_EQ(green[0].to_state, "reassessment");
  EXPECT_EQ(green[0].who, "system");
  EXPECT_EQ(green[0].data["trigger"]["changes"][0]["via"], "api-test/erenhot-right");
}

TEST(ServerApi, RegistryAnImportOverHttpAnswersRegisterChanges) {
  TestServer s;
  add_registry_mines(s);
  // The county's ledger gives the listed Dalad mine a larger scale class.
  const std::string csv = "矿山编号,矿山名称,矿业权人,开采矿种,矿山规模,生产状态,行政区代码,"
                          "绿色矿山级别,入选年份\n"
                          "api-test/green-dalad,接口测试矿山api-test/green-dalad," +
                          kPetrochina + ",煤炭,大型,生产,150621,盟市级,2022\n";
  Call dalad = s.login("dalad");
  Reply r = send(s.port(), http::verb::post,
                 "/api/imports?layer=mines&as_of=2025-06-01&filename=mines.csv", csv,
                 Call{dalad.cookie, dalad.csrf, "text/csv"});
  ASSERT_EQ(r.status, 202u) << r.body;
  Json job;
  for (int i = 0; i < 600; ++i) {
    job = s.get("/api/jobs/" + r.json()["job"].get<std::string>(), dalad).json();
    if (job["state"] == "done" || job["state"] == "failed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(job["state"], "done") << job.dump();
  ASSERT_EQ(job["result"]["registry_steps"].size(), 1u) << job.dump();
  EXPECT_TRUE(job["result"]["registry_steps"][0]["recorded"].get<bool>());
  auto green = green_steps(s, "api-test/green-dalad");
  ASSERT_EQ(green.size(), 1u);
  EXPECT_EQ(green[0].to_state, "reassessment");
  EXPECT_EQ(green[0].who, "system");
  EXPECT_EQ(green[0].date, "2025-06-01");
  EXPECT_EQ(green[0].data["change"], "scale");
  EXPECT_EQ(green[0].data["trigger"]["by"], "dalad");
  EXPECT_EQ(green[0].data["trigger"]["source"], "import mines.csv");
  EXPECT_EQ(green[0].data["trigger"]["changes"][0]["after"]["scale"]["scale_class"], "large");
}
