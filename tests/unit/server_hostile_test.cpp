// Hostile input over real TCP: every route with a table of hostile path, query and body values
// answers 4xx (never 5xx, never a dropped connection) and the server stays up; deep JSON,
// far-future dates, huge amounts and server paths in messages.
#include "core/json_text.hpp"
#include "server_support.hpp"

#include <sodium.h>

using namespace server_test;
using review_test::read_text;

namespace {

const std::filesystem::path kSource = MINEPLAN_SOURCE_DIR;

// Hostile values as they appear in a path segment or a query value (already percent-encoded).
const std::vector<std::string> &hostile_url_values() {
  static const std::vector<std::string> all{"%FF",
                                            "%C0%AF",
                                            "%ED%A0%80",
                                            "%00",
                                            "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
                                            "1e999",
                                            "-1",
                                            "0",
                                            "1e309",
                                            "99999999999999999999999999",
                                            "9999-12-31",
                                            "%27%3B%20DROP%20TABLE%20audit_log%3B--",
                                            "%3Cscript%3E",
                                            "%E4%B8%AD%E6%96%87",
                                            std::string(3000, 'a')};
  return all;
}

// Hostile JSON values as raw text: what a JSON library would never write but a client can.
const std::vector<std::string> &hostile_json_values() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v{"1e999",
                               "-1e309",
                               "1e308",
                               "99999999999999999999999999",
                               "-1",
                               "1.5",
                               "true",
                               "null",
                               "[]",
                               "{}",
                               "[1,\"x\",{}]",
                               "\"\"",
                               "\"\xFF\xFE\"",
                               "\"\\ud800\"",
                               "\"\\u0000\"",
                               "\"9999-12-31\"",
                               "\"../../../../etc/passwd\"",
                               "{\"type\":\"Polygon\",\"coordinates\":[[[-180,-90],[180,-90],"
                               "[180,90],[-180,90],[-180,-90]]]}"};
    v.push_back("\"" + std::string(20000, 'x') + "\"");
    v.push_back(std::string(5000, '[') + std::string(5000, ']'));
    return v;
  }();
  return all;
}

// `body` with the value at `path` (object keys) replaced by the raw JSON text `raw`.
std::string with_raw_value(const Json &body, const std::vector<std::string> &path,
                           const std::string &raw) {
  const std::string marker = "@@HOSTILE@@";
  Json copy = body;
  Json *at = &copy;
  for (const auto &key : path)
    at = &(*at)[key];
  *at = marker;
  std::string text = copy.dump();
  auto pos = text.find("\"" + marker + "\"");
  return text.replace(pos, marker.size() + 2, raw);
}

// Every key path of `body`'s objects, down to `depth` levels.
void key_paths(const Json &j, std::vector<std::string> &prefix,
               std::vector<std::vector<std::string>> &out, int depth) {
  if (!j.is_object() || depth == 0) return;
  for (const auto &[key, value] : j.items()) {
    prefix.push_back(key);
    out.push_back(prefix);
    key_paths(value, prefix, out, depth - 1);
    prefix.pop_back();
  }
}

std::string base64(const std::string &bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char *>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.pop_back();
  return out;
}

// A body for a lifecycle step from the `next` steps the server offers: every field filled with
// a value of its type.
Json step_body(const Json &next) {
  Json body{{"event", next.at("event")}, {"date", "2025-06-01"}};
  for (const auto &f : next.at("fields")) {
    const std::string type = f.at("type");
    Json v = "说明";
    if (type == "enum") v = f.at("values").at(0).at("value");
    if (type == "date") v = "2025-06-01";
    if (type == "year") v = 2025;
    if (type == "number") v = 1;
    body[f.at("name").get<std::string>()] = v;
  }
  return body;
}

std::string encode_path(const std::string &uid) {
  std::string out;
  for (unsigned char ch : uid) {
    if (std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '/') {
      out += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

Json dalad_application() {
  return Json::parse(
      read_text(kSource / "tests/cases/review/dalad-controls-clear/application.json"));
}

Json without_boundary(Json app) {
  app.erase("boundary");
  return app;
}

struct Route {
  http::verb method;
  std::string target; // {x} is where hostile values go; {mine} {right} are real subjects
};

} // namespace

TEST(ServerHostile, EveryRouteAnswersHostilePathAndQueryValuesWith4xx) {
  TestServer s;
  Call region = s.login("region");
  const std::vector<Route> routes{
      {http::verb::get, "/api/plans/{x}"},
      {http::verb::get, "/api/plans/{x}/targets"},
      {http::verb::get, "/api/plans/{x}/indicators"},
      {http::verb::get, "/api/plans/{x}/report"},
      {http::verb::get, "/api/plans/dalad-2021/indicators?as_of={x}"},
      {http::verb::get, "/api/plans/dalad-2021/report?kind={x}&year={x}"},
      {http::verb::get, "/api/features/{x}/{x}"},
      {http::verb::get, "/api/features/zones/{x}"},
      {http::verb::get, "/api/search?q={x}&limit={x}"},
      {http::verb::get, "/api/rights?as_of={x}&jurisdiction={x}&holder={x}"},
      {http::verb::get, "/api/rights/{x}/history"},
      {http::verb::get, "/api/mines?as_of={x}&jurisdiction={x}"},
      {http::verb::get, "/api/lists/green-mines?jurisdiction={x}"},
      {http::verb::get, "/api/registry/green/{x}"},
      {http::verb::get, "/api/registry/program?as_of={x}"},
      {http::verb::get, "/api/registry/restoration/{x}"},
      {http::verb::get, "/api/registry/ledger?state={x}"},
      {http::verb::get, "/api/registry/legacy?as_of={x}"},
      {http::verb::get, "/api/registry/lifecycles/{x}"},
      {http::verb::get, "/api/registry/draws?jurisdiction={x}"},
      {http::verb::get, "/api/registry/draws/{x}/verify"},
      {http::verb::get, "/api/due?as_of={x}&jurisdiction={x}"},
      {http::verb::get, "/api/notices?limit={x}"},
      {http::verb::get, "/api/reviews?limit={x}&who={x}"},
      {http::verb::get, "/api/reviews/{x}"},
      {http::verb::get, "/api/reviews/{x}/opinion"},
      {http::verb::get, "/api/jobs/{x}"},
      {http::verb::get, "/api/audit?after={x}&limit={x}"},
      {http::verb::get, "/api/audit/heads?limit={x}"},
      {http::verb::get, "/api/{x}"},
      {http::verb::get, "/tiles/{x}/0/0/0.mvt"},
      {http::verb::get, "/tiles/zones/{x}/{x}/{x}.mvt"},
      {http::verb::get, "/{x}"},
      {http::verb::patch, "/api/rights/{x}"},
      {http::verb::patch, "/api/mines/{x}"},
      {http::verb::post, "/api/registry/green/{x}/steps"},
      {http::verb::post, "/api/registry/program/{x}/steps"},
      {http::verb::post, "/api/registry/restoration/{x}/steps"},
      {http::verb::post, "/api/registry/ledger/{x}/steps"},
      {http::verb::post, "/api/registry/legacy/{x}/steps"},
      {http::verb::post, "/api/imports?layer={x}&filename={x}&as_of={x}"},
      {http::verb::post, "/api/users/{x}/links"},
      {http::verb::delete_, "/api/users/{x}/links/{x}"},
  };
  int checked = 0;
  for (const auto &route : routes) {
    for (const auto &value : hostile_url_values()) {
      std::string target = route.target;
      for (auto at = target.find("{x}"); at != std::string::npos; at = target.find("{x}"))
        target.replace(at, 3, value);
      const bool write = route.method != http::verb::get;
      const std::string body = write ? "{\"event\":\"x\",\"date\":\"2025-01-01\"}" : "";
      for (const Call &who : {Call{}, region}) {
        Reply r = send(s.port(), route.method, target, body, who);
        EXPECT_GE(r.status, 200u) << target;
        EXPECT_LT(r.status, 500u) << target << " → " << r.body.substr(0, 300);
        ++checked;
      }
    }
    // Invalid UTF-8 in the path is refused as such, whatever the route.
    std::string bad = route.target;
    for (auto at = bad.find("{x}"); at != std::string::npos; at = bad.find("{x}"))
      bad.replace(at, 3, "%FF");
    if (route.target.find("?") == std::string::npos) {
      EXPECT_EQ(send(s.port(), route.method, bad, "", region).status, 400u) << bad;
    }
  }
  EXPECT_GT(checked, 1000);
  EXPECT_EQ(s.get("/api/session").status, 200u);
  EXPECT_EQ(s.get("/api/plans").json().size(), 5u);
}

TEST(ServerHostile, EveryWriteRouteAnswersHostileBodyValuesWith4xx) {
  TestServer s;
  Call region = s.login("region");
  // Real subjects, so that the values reach the handlers' checks and not only a 404.
  Json mines = s.get("/api/mines?jurisdiction=150621").json();
  Json rights = s.get("/api/rights?jurisdiction=152501").json();
  ASSERT_FALSE(mines.empty());
  ASSERT_FALSE(rights.empty());
  const std::string mine = encode_path(mines[0]["uid"].get<std::string>());
  const std::string right = encode_path(rights[0]["uid"].get<std::string>());

  struct Write {
    http::verb method;
    std::string target;
    Json body;
    Call who = {};
  };
  std::vector<Write> writes{
      {http::verb::post, "/api/login", Json{{"username", "region"}, {"password", "x"}}},
      {http::verb::post, "/api/users",
       Json{{"username", "hostile-test"},
            {"display_name", "测试"},
            {"role", "county_staff"},
            {"jurisdiction", "150621"},
            {"holder", nullptr},
            {"password", "a long enough password"}}},
      {http::verb::post, "/api/notices", Json{{"title", "公告"}, {"body", "正文"}}},
      {http::verb::post, "/api/users/petrochina/links",
       Json{{"licences", Json::array({rights[0]["licence_no"]})}}},
      {http::verb::post, "/api/reviews",
       Json{{"application", dalad_application()}, {"record", false}}},
      {http::verb::post, "/api/reviews",
       Json{{"application", without_boundary(dalad_application())},
            {"boundary_file",
             Json{{"name", "b.txt"},
                  {"content_base64",
                   base64(read_text(kSource / "tests/cases/coords/ejin-bom.txt"))}}},
            {"record", false}}},
      {http::verb::patch, "/api/mines/" + mine,
       Json{{"status", "stopped"}, {"effective", "2025-01-01"}}},
      {http::verb::patch, "/api/rights/" + right,
       Json{{"status", "valid"}, {"effective", "2025-01-01"}}},
      {http::verb::post, "/api/registry/draws",
       Json{{"jurisdiction", "150600"},
            {"date", "2025-03-01"},
            {"experts", Json::array({"甲", "乙", "丙"})},
            {"seed", 7}}},
  };
  for (auto &w : writes)
    w.who = region;
  // Lifecycle steps as the server offers them to the staff of the place, on a listed green mine
  // added to the register as a ledger would.
  {
    mineplan::Mine m;
    m.uid = "hostile-test/green";
    m.name = "恶意输入测试矿山";
    m.minerals = {"煤炭"};
    m.status = "producing";
    m.scale_class = "medium";
    m.jurisdiction = "150621";
    m.green_level = "league";
    m.green_year = 2022;
    mineplan::store::Store::open(s.store_location())->import_mines({m}, "2020-01-01", "test");
  }
  Call dalad = s.login("dalad"), urad = s.login("urad");
  for (const std::string &target : {std::string("/api/registry/green/hostile-test/green"),
                                    "/api/registry/restoration/" + mine}) {
    Json got = s.get(target, dalad).json();
    if (got.contains("next") && !got["next"].empty())
      writes.push_back({http::verb::post, target + "/steps", step_body(got["next"][0]), dalad});
  }
  // A legacy site's step, by the first staff account the server offers one to.
  bool legacy = false;
  for (const char *name : {"region", "ordos", "dalad", "erenhot", "urad"}) {
    Call who = s.login(name);
    for (const auto &site : s.get("/api/registry/legacy", who).json().value("sites", Json::array()))
      if (!legacy && site.contains("next") && !site["next"].empty() && site.contains("id")) {
        writes.push_back(
            {http::verb::post,
             "/api/registry/legacy/" + encode_path(site["id"].get<std::string>()) + "/steps",
             step_body(site["next"][0]), who});
        legacy = true;
      }
  }
  ASSERT_GE(writes.size(), 10u); // the lifecycle steps were found

  int checked = 0;
  for (const auto &w : writes) {
    std::vector<std::vector<std::string>> paths;
    std::vector<std::string> prefix;
    key_paths(w.body, prefix, paths, 3);
    paths.push_back({"unexpected_field"});
    for (const auto &path : paths) {
      for (const auto &raw : hostile_json_values()) {
        const std::string body = with_raw_value(w.body, path, raw);
        Reply r = send(s.port(), w.method, w.target, body, w.who);
        std::string where = w.target + " " + path.back() + "=" + raw.substr(0, 40);
        EXPECT_GE(r.status, 200u) << where;
        EXPECT_LT(r.status, 500u) << where << " → " << r.body.substr(0, 300);
        ++checked;
      }
    }
    // Whole bodies that are no object, or no JSON.
    for (const std::string &raw : {std::string("[]"), std::string("1e999"), std::string("\"\xFF\""),
                                   std::string("{\"a\":"), std::string(200000, '[')}) {
      Reply r = send(s.port(), w.method, w.target, raw, w.who);
      EXPECT_GE(r.status, 400u) << w.target << " " << raw.substr(0, 20);
      EXPECT_LT(r.status, 500u) << w.target << " " << raw.substr(0, 20) << " → " << r.body;
    }
  }
  EXPECT_GT(checked, 500);
  EXPECT_EQ(s.get("/api/session").status, 200u);
  EXPECT_EQ(s.get("/api/plans").json().size(), 5u);
}

TEST(ServerHostile, JsonNestedBeyondTheBoundIsA400NotACrash) {
  TestServer s;
  // ~300 KB nested 150,000 levels deep, in the first key, before the others (issue 12).
  const std::string deep = std::string(150000, '[') + std::string(150000, ']');
  Reply r = send(s.port(), http::verb::post, "/api/login",
                 "{\"username\":" + deep + ",\"password\":\"x\"}");
  EXPECT_EQ(r.status, 400u);
  EXPECT_NE(r.json()["error"].get<std::string>().find("嵌套"), std::string::npos) << r.body;
  // Objects as well as arrays, and depth inside strings does not count.
  std::string objects;
  for (int i = 0; i < 100000; ++i)
    objects += "{\"a\":";
  EXPECT_EQ(send(s.port(), http::verb::post, "/api/login", objects).status, 400u);
  Reply bracket_text = s.post(
      "/api/login", Json{{"username", std::string(100000, '[')}, {"password", "wrong password"}});
  EXPECT_EQ(bracket_text.status, 401u); // a name made of brackets is just a wrong name
  EXPECT_EQ(s.get("/api/session").status, 200u);
}

TEST(ServerHostile, NumbersBeyondDoubleAndInvalidUtf8InJsonAre400WithTheLine) {
  TestServer s;
  Reply overflow =
      send(s.port(), http::verb::post, "/api/login", "{\"username\":\"a\",\"password\":1e999}");
  EXPECT_EQ(overflow.status, 400u);
  EXPECT_NE(overflow.json()["error"].get<std::string>().find("数值超出"), std::string::npos)
      << overflow.body;
  Reply utf8 = send(s.port(), http::verb::post, "/api/login",
                    "{\n\"username\":\"\xFF\",\n\"password\":\"x\"}");
  EXPECT_EQ(utf8.status, 400u);
  EXPECT_NE(utf8.json()["error"].get<std::string>().find("第 2 行"), std::string::npos)
      << utf8.body;
}

TEST(ServerHostile, FarFutureDatesAndHugeAmountsAreRefusedNotStored) {
  TestServer s;
  Call region = s.login("region");
  Json mines = s.get("/api/mines?jurisdiction=150621").json();
  ASSERT_FALSE(mines.empty());
  const std::string mine = encode_path(mines[0]["uid"].get<std::string>());
  auto audit_rows = [&] {
    auto st = mineplan::store::Store::open(s.store_location());
    return st->audit_entries(0, 1000000).size();
  };
  const auto before = audit_rows();
  Reply far = s.patch("/api/mines/" + mine,
                      Json{{"status", "stopped"}, {"effective", "9999-12-31"}}, region);
  EXPECT_EQ(far.status, 400u) << far.body;
  EXPECT_EQ(far.json()["field"], "effective");
  EXPECT_EQ(s.get("/api/rights?as_of=9999-12-31").status, 400u);
  // A step whose number field is beyond any real amount.
  Json restoration = s.get("/api/registry/restoration/" + mine, region).json();
  bool tried_amount = false;
  for (const auto &next : restoration.value("next", Json::array()))
    for (const auto &f : next["fields"])
      if (f["type"] == "number" && !tried_amount) {
        Json body = step_body(next);
        body[f["name"].get<std::string>()] = 1e15;
        Reply r = s.post("/api/registry/restoration/" + mine + "/steps", body, region);
        EXPECT_EQ(r.status, 400u) << r.body;
        tried_amount = true;
      }
  for (const auto &next : restoration.value("next", Json::array())) {
    Json body = step_body(next);
    body["date"] = "9999-01-01";
    EXPECT_EQ(s.post("/api/registry/restoration/" + mine + "/steps", body, region).status, 400u);
    break;
  }
  EXPECT_EQ(audit_rows(), before); // nothing refused was written
}

TEST(ServerHostile, ErrorMessagesNeverShowServerPaths) {
  TestServer s;
  Call region = s.login("region");
  // A coordinate file that fails to parse is named by its own name, not where it was written.
  Json app = without_boundary(dalad_application());
  Reply r = s.post(
      "/api/reviews",
      Json{{"application", app},
           {"boundary_file", Json{{"name", "边界.txt"}, {"content_base64", base64("J1,\n")}}},
           {"record", false}},
      region);
  EXPECT_EQ(r.status, 400u) << r.body;
  const std::string message = r.json().value("error", "");
  EXPECT_EQ(message.find("/tmp"), std::string::npos) << message;
  EXPECT_EQ(message.find(MINEPLAN_SOURCE_DIR), std::string::npos) << message;
  EXPECT_EQ(r.body.find(std::filesystem::temp_directory_path().string()), std::string::npos);
}
