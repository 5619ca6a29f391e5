// Holders bound to their rights (issue 12): a holder's account reaches only the rights and mines
// linked to it by licence number, whatever company name it carries; links are made and removed
// by staff of the rights' place, audited; staff make accounts below their own level only;
// reviewers do not see restricted attributes. Over real TCP.
#include "server_support.hpp"

using namespace server_test;

namespace {

const std::string kPetrochinaName = "中国石油天然气股份有限公司";
// Petrochina's mine in Erenhot that is not linked to the petrochina account.
const std::string kUnlinkedMine = "api-test/petrochina-erenhot";
const std::string kUnlinkedLicence = "API-TEST-PC-ERENHOT";
// A right of Urad Middle Banner (the consolidation program's county) and its licence.
const std::string kUradRight = "api-test/urad-holder-right";
const std::string kUradLicence = "C1500002026000123";

const std::string kRefusal = "只能查看或办理与本账户关联的矿业权";

mineplan::Mine test_mine(const std::string &uid, const std::string &licence,
                         const std::string &code) {
  mineplan::Mine m;
  m.uid = uid;
  m.name = std::string("关联测试矿山").append(uid);
  m.holder = kPetrochinaName;
  m.licence_no = licence;
  m.minerals = {"煤炭"};
  m.status = "producing";
  m.scale_class = "medium";
  m.jurisdiction = code;
  m.attributes = Json{{"储量", "内部数据"}};
  return m;
}

// Petrochina's mines: one in Dalad under the linked licence, one in Erenhot under a licence
// the account is not linked to; and a right of Urad Middle Banner held by nobody's account.
void add_register(const TestServer &s) {
  auto st = mineplan::store::Store::open(s.store_location());
  st->import_mines({test_mine("api-test/petrochina-dalad", kPetrochinaDalad, "150621"),
                    test_mine(kUnlinkedMine, kUnlinkedLicence, "152501")},
                   "2020-01-01", "server holders test");
  mineplan::Right r;
  r.uid = kUradRight;
  r.licence_no = kUradLicence;
  r.kind = "mining";
  r.name = "关联测试花岗岩矿";
  r.holder = "丁公司";
  r.status = "producing";
  r.jurisdiction = "150824";
  r.attributes = Json{{"储量", "内部数据"}};
  st->import_rights({r}, "2026-01-01", "server holders test");
  s.refresh();
}

Json account_body(const std::string &username, const std::string &role,
                  const std::string &jurisdiction) {
  Json j{{"username", username},
         {"role", role},
         {"jurisdiction", jurisdiction},
         {"password", kPassword}};
  if (role == "holder") j["holder"] = "某矿业公司";
  return j;
}

// The rows of `action` written through the server (not the test accounts' own, made by "cli").
std::vector<mineplan::store::AuditEntry> audit_of(const TestServer &s, const std::string &action) {
  std::vector<mineplan::store::AuditEntry> out;
  for (const auto &e : mineplan::store::Store::open(s.store_location())->audit_entries(0, 100000))
    if (e.action == action && e.who != "cli") out.push_back(e);
  return out;
}

bool has_attributes(const Reply &r) {
  return r.status == 200 && r.json()["properties"].contains("attributes");
}

std::string error_of(const Reply &r) {
  return r.json().value("error", std::string());
}

} // namespace

TEST(HolderAccounts, ALinkedHolderSeesRestrictedFieldsOfLinkedRightsAndMinesOnly) {
  TestServer s;
  add_register(s);
  Call petrochina = s.login("petrochina");
  // Linked: the oil field in Erenhot (a right) and the Dalad mine (by its licence number).
  EXPECT_TRUE(has_attributes(s.get("/api/features/rights/erenhot-2021/mr-01", petrochina)));
  EXPECT_TRUE(has_attributes(s.get("/api/features/mines/api-test/petrochina-dalad", petrochina)));
  // The same company's mine in another county, not linked: no restricted fields.
  Reply unlinked = s.get("/api/features/mines/" + kUnlinkedMine, petrochina);
  ASSERT_EQ(unlinked.status, 200u) << unlinked.body;
  EXPECT_EQ(unlinked.json()["properties"]["holder"], kPetrochinaName);
  EXPECT_FALSE(has_attributes(unlinked)) << unlinked.body;
  // Staff of the place see it.
  EXPECT_TRUE(has_attributes(s.get("/api/features/mines/" + kUnlinkedMine, s.login("erenhot"))));
  // Lists follow the same rule; linked=true lists the account's own.
  for (const auto &m : s.get("/api/mines", petrochina).json())
    EXPECT_EQ(m.contains("attributes") && !m["attributes"].is_null(),
              m["licence_no"] == kPetrochinaDalad)
        << m.dump();
  Json own = s.get("/api/mines?linked=true", petrochina).json();
  ASSERT_EQ(own.size(), 1u) << own.dump();
  EXPECT_EQ(own[0]["uid"], "api-test/petrochina-dalad");
  Json rights = s.get("/api/rights?linked=true", petrochina).json();
  ASSERT_EQ(rights.size(), 1u) << rights.dump();
  EXPECT_EQ(rights[0]["uid"], "erenhot-2021/mr-01");
  EXPECT_EQ(s.get("/api/rights?linked=maybe", petrochina).status, 400u);
  EXPECT_EQ(s.get("/api/rights?linked=true").status, 401u);
}

TEST(HolderAccounts, TheSameCompanysUnlinkedMineIsRefused) {
  TestServer s;
  add_register(s);
  Call petrochina = s.login("petrochina");
  const Json file_plan{
      {"event", "file_plan"}, {"date", "2024-03-01"}, {"plan_doc", "方案"}, {"area_ha", 2}};
  Reply restoration =
      s.post("/api/registry/restoration/" + kUnlinkedMine + "/steps", file_plan, petrochina);
  EXPECT_EQ(restoration.status, 403u) << restoration.body;
  EXPECT_EQ(error_of(restoration).rfind(kRefusal, 0), 0u) << restoration.body;
  EXPECT_NE(error_of(restoration).find(kUnlinkedLicence), std::string::npos) << restoration.body;
  Reply green = s.post("/api/registry/green/" + kUnlinkedMine + "/steps",
                       Json{{"event", "apply"},
                            {"date", "2025-01-10"},
                            {"level", "league"},
                            {"self_assessment", "自评估报告"}},
                       petrochina);
  EXPECT_EQ(green.status, 403u) << green.body;
  EXPECT_EQ(error_of(green).rfind(kRefusal, 0), 0u) << green.body;
  for (const char *registry : {"restoration", "green-mine"})
    EXPECT_TRUE(mineplan::store::Store::open(s.store_location())
                    ->registry_events(registry, kUnlinkedMine)
                    .empty());
  // Its restoration record reads as the public's (no fund), its green state unpublished (404).
  Reply fund = s.get("/api/registry/restoration/" + kUnlinkedMine, petrochina);
  ASSERT_EQ(fund.status, 200u) << fund.body;
  EXPECT_FALSE(fund.json()["full_history"].get<bool>());
  EXPECT_FALSE(fund.json().contains("fund")) << fund.body;
  EXPECT_EQ(s.get("/api/registry/green/" + kUnlinkedMine, petrochina).status, 404u);

  // The linked Dalad mine: the holder's steps are taken and the fund is theirs to read.
  const std::string linked = "/api/registry/restoration/api-test/petrochina-dalad";
  ASSERT_EQ(s.post(linked + "/steps", file_plan, petrochina).status, 201u);
  Reply own = s.get(linked, petrochina);
  EXPECT_TRUE(own.json()["full_history"].get<bool>()) << own.body;
  EXPECT_TRUE(own.json().contains("fund")) << own.body;
}

TEST(HolderAccounts, TheDueListFollowsTheLinks) {
  TestServer s;
  add_register(s);
  Reply due = s.get("/api/due?as_of=2025-03-15", s.login("petrochina"));
  ASSERT_EQ(due.status, 200u) << due.body;
  const Json body = due.json();
  std::set<std::string> subjects;
  for (const auto &i : body["items"])
    subjects.insert(i["subject"].get<std::string>());
  EXPECT_TRUE(subjects.count("api-test/petrochina-dalad")) << due.body;
  EXPECT_FALSE(subjects.count(kUnlinkedMine)) << due.body;
  EXPECT_EQ(due.json()["licences"], Json::array({kPetrochinaDalad, kPetrochinaOilfield}))
      << due.body;
}

TEST(HolderAccounts, TheHolderNameGrantsNothing) {
  TestServer s;
  add_register(s);
  // An account carrying the company's name without links sees and does nothing of it.
  Json body = account_body("pc-nolinks", "holder", "150000");
  body["holder"] = kPetrochinaName;
  ASSERT_EQ(s.post("/api/users", body, s.login("region")).status, 201u);
  Call nolinks = s.login("pc-nolinks");
  EXPECT_FALSE(has_attributes(s.get("/api/features/rights/erenhot-2021/mr-01", nolinks)));
  EXPECT_FALSE(has_attributes(s.get("/api/features/mines/api-test/petrochina-dalad", nolinks)));
  Reply step = s.post(
      "/api/registry/restoration/api-test/petrochina-dalad/steps",
      Json{{"event", "file_plan"}, {"date", "2024-03-01"}, {"plan_doc", "方案"}, {"area_ha", 2}},
      nolinks);
  EXPECT_EQ(step.status, 403u) << step.body;
  Reply due = s.get("/api/due?as_of=2025-03-15", nolinks);
  ASSERT_EQ(due.status, 200u) << due.body;
  EXPECT_TRUE(due.json()["items"].empty()) << due.body;
}

TEST(HolderAccounts, ReviewersDoNotSeeRestrictedAttributes) {
  TestServer s;
  // Dalad's mines carry ledger attributes: its staff see them, its reviewer does not.
  Json staff = s.get("/api/mines?jurisdiction=150621", s.login("dalad")).json();
  Json reviewer = s.get("/api/mines?jurisdiction=150621", s.login("reviewer")).json();
  ASSERT_FALSE(staff.empty());
  ASSERT_EQ(staff.size(), reviewer.size());
  bool any = false;
  for (const auto &m : staff)
    any = any || (m.contains("attributes") && !m["attributes"].is_null());
  EXPECT_TRUE(any) << "the seed's Dalad mines have attributes";
  for (const auto &m : reviewer)
    EXPECT_FALSE(m.contains("attributes")) << m.dump();
  const std::string uid = staff[0]["uid"].get<std::string>();
  EXPECT_FALSE(has_attributes(s.get("/api/features/mines/" + uid, s.login("reviewer"))));
  EXPECT_TRUE(has_attributes(s.get("/api/features/mines/" + uid, s.login("dalad"))));
}

TEST(HolderAccounts, StaffMakeAccountsOnlyBelowTheirOwnLevel) {
  TestServer s;
  Call region = s.login("region"), ordos = s.login("ordos"), dalad = s.login("dalad");
  auto make = [&](const Call &who, const std::string &username, const std::string &role,
                  const std::string &code) {
    return s.post("/api/users", account_body(username, role, code), who);
  };
  // Same level: refused, naming the role, Chinese first; nothing stored.
  Reply county = make(dalad, "county2", "county_staff", "150621");
  EXPECT_EQ(county.status, 403u) << county.body;
  EXPECT_EQ(county.json()["field"], "role");
  EXPECT_EQ(error_of(county).rfind("只能创建低于本账户级别的账户", 0), 0u) << county.body;
  EXPECT_EQ(make(ordos, "league2", "league_staff", "150600").status, 403u);
  EXPECT_EQ(make(region, "region2", "region_staff", "150000").status, 403u);
  // Above: refused too.
  EXPECT_EQ(make(dalad, "league3", "league_staff", "150600").status, 403u);
  EXPECT_FALSE(mineplan::store::Store::open(s.store_location())->account("county2"));
  // Below, within the jurisdiction: made.
  EXPECT_EQ(make(dalad, "dalad-reviewer", "reviewer", "150621").status, 201u);
  EXPECT_EQ(make(dalad, "dalad-holder", "holder", "150621").status, 201u);
  EXPECT_EQ(make(ordos, "dalad2", "county_staff", "150621").status, 201u);
  EXPECT_EQ(make(region, "ordos2", "league_staff", "150600").status, 201u);
  // Below but elsewhere: refused on the jurisdiction.
  Reply elsewhere = make(ordos, "erenhot2", "county_staff", "152501");
  EXPECT_EQ(elsewhere.status, 403u);
  EXPECT_EQ(elsewhere.json()["field"], "jurisdiction");
  // Reviewers and holders make no accounts at all.
  EXPECT_EQ(make(s.login("reviewer"), "r2", "holder", "150621").status, 403u);
  EXPECT_EQ(make(s.login("petrochina"), "h2", "holder", "150621").status, 403u);
}

TEST(HolderAccounts, CountyStaffMakeAHolderLinkedToARightOfTheirCounty) {
  TestServer s;
  add_register(s);
  Call urad = s.login("urad");
  Json body = account_body("granite", "holder", "150824");
  body["licences"] = Json::array({kUradLicence});
  Reply made = s.post("/api/users", body, urad);
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_EQ(made.json()["user"]["licences"], Json::array({kUradLicence}));
  // The link is audited in the account's transaction, in the name of who made it.
  auto links = audit_of(s, "account.link");
  ASSERT_EQ(links.size(), 1u);
  EXPECT_EQ(links[0].who, "urad");
  EXPECT_EQ(links[0].after["licence_no"], kUradLicence);

  // A right of another county: 403 naming the field; a number the register lacks: 400.
  Json other = account_body("granite2", "holder", "150824");
  other["licences"] = Json::array({"erenhot-2021/mr-03"});
  Reply elsewhere = s.post("/api/users", other, urad);
  EXPECT_EQ(elsewhere.status, 403u) << elsewhere.body;
  EXPECT_EQ(elsewhere.json()["field"], "licences");
  other["licences"] = Json::array({"NO-SUCH-LICENCE"});
  Reply unknown = s.post("/api/users", other, urad);
  EXPECT_EQ(unknown.status, 400u) << unknown.body;
  EXPECT_EQ(unknown.json()["field"], "licences");
  EXPECT_EQ(error_of(unknown).rfind("许可证号 NO-SUCH-LICENCE 不在矿业权登记中", 0), 0u)
      << unknown.body;
  other["licences"] = "C1";
  EXPECT_EQ(s.post("/api/users", other, urad).status, 400u);
  // Licences belong to holders' accounts only.
  Json reviewer = account_body("urad-r2", "reviewer", "150824");
  reviewer["licences"] = Json::array({kUradLicence});
  EXPECT_EQ(s.post("/api/users", reviewer, urad).status, 400u);
  EXPECT_FALSE(mineplan::store::Store::open(s.store_location())->account("granite2"));

  // The new holder sees its right's restricted fields and reports the program's progress on it.
  Call granite = s.login("granite");
  EXPECT_EQ(s.get("/api/session", granite).json()["user"]["licences"], Json::array({kUradLicence}));
  EXPECT_TRUE(has_attributes(s.get("/api/features/rights/" + kUradRight, granite)));
  const std::string program = "/api/registry/program/" + kUradRight + "/steps";
  ASSERT_EQ(s.post(program,
                   Json{{"event", "assign"},
                        {"date", "2026-02-05"},
                        {"action", "consolidate"},
                        {"zone", "cz-07"}},
                   urad)
                .status,
            201u);
  ASSERT_EQ(s.post(program, Json{{"event", "start"}, {"date", "2026-03-01"}}, urad).status, 201u);
  const Json progress{{"event", "progress"}, {"date", "2026-04-01"}, {"note", "整合协议已签订"}};
  Reply other_holder = s.post(program, progress, s.login("petrochina"));
  EXPECT_EQ(other_holder.status, 403u) << other_holder.body;
  EXPECT_EQ(error_of(other_holder).rfind(kRefusal, 0), 0u) << other_holder.body;
  Reply reported = s.post(program, progress, granite);
  EXPECT_EQ(reported.status, 201u) << reported.body;
}

TEST(HolderAccounts, LinksAreMadeAndRemovedByStaffOfTheRightsPlaceAndAudited) {
  TestServer s;
  add_register(s);
  const std::string links = "/api/users/fluorite/links";
  const std::string mine = "/api/features/mines/" + kUnlinkedMine; // in Erenhot
  const Json body{{"licences", Json::array({kUnlinkedLicence})}};
  Call dalad = s.login("dalad"), erenhot = s.login("erenhot");

  // Staff of another county may not link it; holders and the public may not link at all.
  Reply elsewhere = s.post(links, body, dalad);
  EXPECT_EQ(elsewhere.status, 403u) << elsewhere.body;
  EXPECT_EQ(elsewhere.json()["field"], "licences");
  EXPECT_EQ(error_of(elsewhere).rfind("许可证号 " + kUnlinkedLicence, 0), 0u) << elsewhere.body;
  EXPECT_EQ(s.post(links, body, s.login("fluorite")).status, 403u);
  EXPECT_EQ(s.post(links, body).status, 401u);
  EXPECT_EQ(s.post(links, body, Call{erenhot.cookie, "", "application/json"}).status, 403u);
  // Bad input: no licences, an unknown one, an account that is not a holder's, no account.
  EXPECT_EQ(s.post(links, Json{{"licences", Json::array()}}, erenhot).status, 400u);
  EXPECT_EQ(s.post(links, Json{{"licences", Json::array({"NO-SUCH"})}}, erenhot).status, 400u);
  EXPECT_EQ(s.post("/api/users/dalad/links", body, erenhot).status, 400u);
  EXPECT_EQ(s.post("/api/users/nobody/links", body, erenhot).status, 404u);
  EXPECT_TRUE(audit_of(s, "account.link").empty());
  EXPECT_FALSE(has_attributes(s.get(mine, s.login("fluorite"))));

  // Staff of the place (or above) link it: audited, and the holder sees it from its next request.
  Reply linked = s.post(links, body, erenhot);
  ASSERT_EQ(linked.status, 200u) << linked.body;
  EXPECT_EQ(linked.json()["linked"], Json::array({kUnlinkedLicence}));
  Call fluorite = s.login("fluorite");
  EXPECT_TRUE(has_attributes(s.get(mine, fluorite)));
  // Linking again changes nothing and audits nothing.
  Reply again = s.post(links, body, s.login("region"));
  ASSERT_EQ(again.status, 200u) << again.body;
  EXPECT_TRUE(again.json()["linked"].empty());
  auto link_rows = audit_of(s, "account.link");
  ASSERT_EQ(link_rows.size(), 1u);
  EXPECT_EQ(link_rows[0].who, "erenhot");
  EXPECT_EQ(link_rows[0].target, "accounts/fluorite");

  // Removing: staff of another county 403; staff of the place 200, audited; then 404.
  const std::string unlink = links + "/" + kUnlinkedLicence;
  EXPECT_EQ(s.del(unlink, dalad).status, 403u);
  EXPECT_EQ(s.del(unlink, fluorite).status, 403u);
  Reply removed = s.del(unlink, erenhot);
  ASSERT_EQ(removed.status, 200u) << removed.body;
  EXPECT_FALSE(has_attributes(s.get(mine, fluorite)));
  auto unlink_rows = audit_of(s, "account.unlink");
  ASSERT_EQ(unlink_rows.size(), 1u);
  EXPECT_EQ(unlink_rows[0].who, "erenhot");
  EXPECT_EQ(unlink_rows[0].before["licence_no"], kUnlinkedLicence);
  EXPECT_EQ(s.del(unlink, erenhot).status, 404u);
  EXPECT_TRUE(mineplan::store::Store::open(s.store_location())->verify_audit().ok);
}
