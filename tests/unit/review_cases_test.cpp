// Data-driven review cases: tests/cases/review/<name>/ holds application.json (with
// boundary.txt when the boundary is an exchange file), optional setup files (zones.geojson:
// geometry for plan zones or new zones; rights.json: rights in the register) and `expect`:
//
//   verdict: reject|conditional|pass
//   plans: ID ID …                     the plan chain, nearest first
//   finding: RULE OUTCOME              a finding of that rule id with that outcome
//   finding_check: CHECK OUTCOME       some finding of that check (rule type) with that outcome
//   no_finding: RULE                   no finding of that rule
//   no_fail                            no deciding (not superseded) finding fails
//   superseded: RULE by RULE           the first is superseded by the second (stricter wins)
//   evidence: RULE KEY OP VALUE        OP: > < >= <= == (numbers), = (text; or element of a list)
//   message: RULE contains TEXT
//   citation: RULE SEED SECTION
//   error: TEXT                        the application is bad: InputError containing TEXT, the
//                                      CLI exits 2 and nothing is stored
//
// Every successful case is reviewed twice with fresh engines (same result), recorded, and read
// back. At the end, every rule type must have been seen passing and failing.
#include "review_support.hpp"

#include <map>
#include <set>

using namespace review_test;
using namespace mineplan;

namespace {

std::string trim(std::string s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> words(const std::string &s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;)
    out.push_back(w);
  return out;
}

const Json *finding(const Json &result, const std::string &rule) {
  for (const auto &f : result["findings"])
    if (f["rule"] == rule) return &f;
  return nullptr;
}

std::string describe(const Json &result) {
  std::string s = "verdict " + result["verdict"].get<std::string>() + "\n";
  for (const auto &f : result["findings"])
    s += "  " + f["rule"].get<std::string>() + " " + f["outcome"].get<std::string>() +
         (f["superseded_by"].is_null()
              ? ""
              : " (superseded by " + f["superseded_by"].get<std::string>() + ")") +
         ": " + f["message"].get<std::string>() + " " + f["evidence"].dump() + "\n";
  return s;
}

bool compare(double a, const std::string &op, double b) {
  const double eps = 1e-6;
  if (op == ">") return a > b;
  if (op == "<") return a < b;
  if (op == ">=") return a >= b - eps;
  if (op == "<=") return a <= b + eps;
  if (op == "==") return std::fabs(a - b) <= eps * std::max(1.0, std::fabs(b));
  ADD_FAILURE() << "unknown operator " << op;
  return false;
}

// Checks one expectation line against a result; returns "" or what is wrong.
std::string check_line(const std::string &key, const std::string &value, const Json &r) {
  auto w = words(value);
  if (key == "verdict")
    return r["verdict"] == value ? "" : "verdict is " + r["verdict"].get<std::string>();
  if (key == "plans") {
    std::vector<std::string> ids;
    for (const auto &p : r["plans"])
      ids.push_back(p["id"].get<std::string>());
    return ids == w ? "" : "plans are " + Json(ids).dump();
  }
  if (key == "no_fail") {
    for (const auto &f : r["findings"])
      if (f["outcome"] == "fail" && f["superseded_by"].is_null())
        return "fails: " + f["rule"].get<std::string>();
    return "";
  }
  if (key == "finding") {
    if (w.size() != 2) return "bad line";
    for (const auto &f : r["findings"])
      if (f["rule"] == w[0] && f["outcome"] == w[1]) return "";
    const Json *f = finding(r, w[0]);
    return f ? "outcome is " + (*f)["outcome"].get<std::string>() : "no such finding";
  }
  if (key == "finding_check") {
    if (w.size() != 2) return "bad line";
    for (const auto &f : r["findings"])
      if (f["check"] == w[0] && f["outcome"] == w[1]) return "";
    return "none";
  }
  if (key == "no_finding") return finding(r, value) ? "present" : "";
  if (key == "superseded") {
    if (w.size() != 3 || w[1] != "by") return "bad line";
    const Json *f = finding(r, w[0]);
    if (!f) return "no such finding";
    return (*f)["superseded_by"] == w[2] ? "" : "superseded_by is " + (*f)["superseded_by"].dump();
  }
  if (key == "evidence") {
    if (w.size() != 4) return "bad line";
    const Json *f = finding(r, w[0]);
    if (!f) return "no such finding";
    const Json &ev = (*f)["evidence"];
    if (!ev.contains(w[1])) return "no evidence key " + w[1] + " in " + ev.dump();
    const Json &v = ev[w[1]];
    if (w[2] == "=") {
      if (v.is_array()) {
        for (const auto &x : v)
          if (x == w[3]) return "";
        return "not in " + v.dump();
      }
      return v == w[3] ? "" : "is " + v.dump();
    }
    if (!v.is_number()) return "not a number: " + v.dump();
    return compare(v.get<double>(), w[2], std::stod(w[3])) ? "" : "is " + v.dump();
  }
  if (key == "message") {
    auto sp = value.find(" contains ");
    if (sp == std::string::npos) return "bad line";
    const Json *f = finding(r, value.substr(0, sp));
    if (!f) return "no such finding";
    std::string text = value.substr(sp + 10);
    return (*f)["message"].get<std::string>().find(text) != std::string::npos
               ? ""
               : "message is " + (*f)["message"].get<std::string>();
  }
  if (key == "citation") {
    if (w.size() != 3) return "bad line";
    const Json *f = finding(r, w[0]);
    if (!f) return "no such finding";
    const Json &c = (*f)["citation"];
    return c["seed"] == w[1] && c["section"] == w[2] ? "" : "citation is " + c.dump();
  }
  return "unknown key " + key;
}

// Which outcomes each check produced over all cases (for the coverage check at the end).
std::map<std::string, std::set<std::string>> &coverage() {
  static std::map<std::string, std::set<std::string>> c;
  return c;
}

void run_case(const fs::path &dir) {
  SCOPED_TRACE(dir.filename().string());
  std::vector<std::pair<std::string, std::string>> expect;
  std::string error;
  {
    std::istringstream in(read_text(dir / "expect"));
    for (std::string line; std::getline(in, line);) {
      line = trim(line);
      if (line.empty() || line[0] == '#') continue;
      auto colon = line.find(':');
      std::string key = trim(line.substr(0, colon));
      std::string value = colon == std::string::npos ? "" : trim(line.substr(colon + 1));
      if (key == "error")
        error = value;
      else
        expect.emplace_back(key, value);
    }
  }
  ASSERT_TRUE(!expect.empty() || !error.empty()) << "empty expect file";
  TempDir tmp;
  const fs::path db = mineplan::testing::store_location(tmp.path() / "case.gpkg");
  {
    auto st = fresh_store(db);
    apply_setup(*st, dir);
  }
  const fs::path app_file = dir / "application.json";

  if (!error.empty()) {
    // In process: the parse or the engine throws an InputError naming the problem.
    {
      auto st = store::Store::open(db.string());
      review::ReviewEngine engine(*st);
      try {
        auto app = review::read_application(app_file, engine.minerals(), engine.divisions());
        engine.review(app);
        ADD_FAILURE() << "expected an InputError containing: " << error;
      } catch (const InputError &e) {
        EXPECT_NE(std::string(e.what()).find(error), std::string::npos)
            << "error was: " << e.what() << "\nexpected: " << error;
      }
    }
    // The command line: exit 2, the message on stderr, and the store unchanged.
    std::int64_t before = review_count(*store::Store::open(db.string()));
    auto r = run_cli("review " + q(db) + " " + q(app_file) + " --who test", tmp.path());
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find(error), std::string::npos) << r.output;
    EXPECT_EQ(review_count(*store::Store::open(db.string())), before);
    return;
  }

  auto st = store::Store::open(db.string());
  Json first, second;
  std::string hash;
  review::ReviewResult result;
  {
    review::ReviewEngine engine(*st);
    auto app = review::read_application(app_file, engine.minerals(), engine.divisions());
    result = engine.review(app);
    first = review::to_json(result);
    hash = result.input_hash;
    // The record: what was asked, against which plan versions, and the answer.
    store::ReviewRecord rec = review::review_record(app, result, engine, "test");
    EXPECT_EQ(rec.result["register_version"], engine.register_version());
    rec.result.erase("register_version");
    EXPECT_EQ(rec.result.dump(), first.dump());
    EXPECT_EQ(rec.plan_versions.size(), result.plans.size());
    auto before = review_count(*st);
    auto id = st->record_review(rec);
    EXPECT_EQ(review_count(*st), before + 1);
    auto back = st->review_record(id);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->result.dump(), first.dump());
    EXPECT_EQ(back->input_hash, hash);
    EXPECT_EQ(back->verdict, result.verdict);
  }
  {
    // Re-running against the same plan versions, with a fresh engine, gives the same result.
    review::ReviewEngine engine(*st);
    auto app = review::read_application(app_file, engine.minerals(), engine.divisions());
    second = review::to_json(engine.review(app));
  }
  EXPECT_EQ(first.dump(), second.dump());

  for (const auto &[key, value] : expect) {
    std::string problem = check_line(key, value, first);
    EXPECT_EQ(problem, "") << key << ": " << value << "\n" << describe(first);
  }
  // The verdict follows from the deciding findings.
  EXPECT_EQ(first["verdict"], review::verdict_of(result.findings));
  for (const auto &f : first["findings"]) {
    if (!f["superseded_by"].is_null()) continue;
    coverage()[f["check"].get<std::string>()].insert(f["outcome"].get<std::string>());
    // Every finding says what it rests on.
    EXPECT_FALSE(f["citation"]["seed"].get<std::string>().empty()) << f.dump();
    EXPECT_FALSE(f["message"].get<std::string>().empty()) << f.dump();
  }
}

} // namespace

TEST(ReviewCases, AllCases) {
  const fs::path root = fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" / "review";
  ASSERT_TRUE(fs::is_directory(root)) << root;
  std::vector<fs::path> dirs;
  for (const auto &e : fs::directory_iterator(root))
    if (e.is_directory()) dirs.push_back(e.path());
  std::sort(dirs.begin(), dirs.end());
  ASSERT_GE(dirs.size(), 30u);
  for (const auto &d : dirs)
    run_case(d);

  // Every rule type seen passing and failing (access conditions at most ask for attention).
  for (const std::string check : {"mineral_policy", "min_scale", "quota", "timing", "zone_control",
                                  "provision", "overlap", "access_condition"}) {
    SCOPED_TRACE(check);
    const auto &seen = coverage()[check];
    EXPECT_TRUE(seen.count("pass")) << "no case where it passes";
    if (check == "access_condition")
      EXPECT_TRUE(seen.count("attention")) << "no case where it asks for attention";
    else
      EXPECT_TRUE(seen.count("fail")) << "no case where it fails";
  }
}
