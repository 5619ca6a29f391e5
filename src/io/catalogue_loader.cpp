#include "io/catalogue_loader.hpp"

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/vocabulary.hpp"
#include "io/survey_geometry.hpp"
#include "io/vocabulary_loader.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace mineplan::io {
namespace fs = std::filesystem;

namespace {

template <class E> std::set<std::string> id_set() {
  const std::vector<std::string> ids = ids_of<E>();
  return {ids.begin(), ids.end()};
}

const std::set<std::string> kRuleTypes{"mineral_policy", "min_scale",        "quota",    "timing",
                                       "zone_control",   "access_condition", "provision"};
const std::set<std::string> kActivities{"exploration", "mining", "both"};
const std::set<std::string> kComparators{"<=", ">=", "=", "range"};
const std::set<std::string> kTargetKinds = id_set<TargetKind>();
const std::set<std::string> kPlanTypes{"master", "consolidation_program", "green_mine_plan"};
const std::set<std::string> kLevels = id_set<DivisionLevel>();
const std::set<std::string> kScaleClasses = id_set<ScaleClass>();
const std::set<std::string> kMethods = id_set<Method>();
const std::set<std::string> kStatuses = id_set<OperatingStatus>();
const std::set<std::string> kRightKinds = id_set<RightKind>();
const std::set<std::string> kCategories{"energy", "metal", "nonmetal", "water_gas"};
const std::set<std::string> kRisks{"high", "low", "none"};
const std::set<std::string> kGreenLevels = id_set<GreenLevel>();

// Collects every problem of a load, each as "file: json.path: message".
class Problems {
public:
  void add(const std::string &file, const std::string &path, const std::string &msg) {
    list_.push_back(file + ": " + (path.empty() ? "" : path + ": ") + msg);
  }
  bool empty() const { return list_.empty(); }
  [[noreturn]] void raise() const {
    std::ostringstream out;
    out << list_.size() << " problem(s) in the plan data:";
    std::size_t shown = 0;
    for (const auto &p : list_) {
      if (++shown > 50) {
        out << "\n  … and " << list_.size() - 50 << " more";
        break;
      }
      out << "\n  " << p;
    }
    throw Error(out.str());
  }

private:
  std::vector<std::string> list_;
};

// A JSON value with its file and path, so every check can say where it failed.
class Node {
public:
  Node(const Json &j, std::string file, std::string path, Problems &problems)
      : j_(j), file_(std::move(file)), path_(std::move(path)), problems_(problems) {}

  const Json &json() const { return j_; }
  const std::string &path() const { return path_; }
  const std::string &file() const { return file_; }
  void fail(const std::string &msg) const { problems_.add(file_, path_, msg); }

  Node at(const std::string &key) const {
    static const Json null_value;
    std::string p = path_.empty() ? key : path_ + "." + key;
    if (!j_.is_object() || !j_.contains(key)) return Node(null_value, file_, p, problems_);
    return Node(j_.at(key), file_, p, problems_);
  }
  Node at(std::size_t i) const {
    return Node(j_.at(i), file_, path_ + "[" + std::to_string(i) + "]", problems_);
  }
  bool has(const std::string &key) const {
    return j_.is_object() && j_.contains(key) && !j_.at(key).is_null();
  }

  std::string str(const std::string &key, bool required = true) const {
    Node n = at(key);
    if (n.j_.is_string()) {
      if (required && n.j_.get<std::string>().empty()) n.fail("expected a non-empty string");
      return n.j_.get<std::string>();
    }
    if (n.j_.is_null()) {
      if (required) n.fail("missing; expected a string");
      return {};
    }
    n.fail("expected a string, found " + std::string(n.j_.type_name()));
    return {};
  }
  std::string one_of(const std::string &key, const std::set<std::string> &allowed,
                     bool required = true) const {
    std::string v = str(key, required);
    if (!v.empty() && !allowed.count(v)) {
      std::string list;
      for (const auto &a : allowed)
        list += (list.empty() ? "" : " | ") + a;
      at(key).fail("'" + v + "' is not one of " + list);
    }
    return v;
  }
  std::optional<double> number(const std::string &key, bool required = true) const {
    Node n = at(key);
    if (n.j_.is_number()) return n.j_.get<double>();
    if (n.j_.is_null()) {
      if (required) n.fail("missing; expected a number");
      return std::nullopt;
    }
    n.fail("expected a number, found " + std::string(n.j_.type_name()) + " " + n.j_.dump());
    return std::nullopt;
  }
  std::optional<int> integer(const std::string &key, bool required = true) const {
    Node n = at(key);
    if (n.j_.is_number_integer()) return n.j_.get<int>();
    if (n.j_.is_null()) {
      if (required) n.fail("missing; expected an integer");
      return std::nullopt;
    }
    n.fail("expected an integer, found " + n.j_.dump());
    return std::nullopt;
  }
  std::string date(const std::string &key, bool required = true) const {
    static const std::regex iso(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
    std::string v = str(key, required);
    if (!v.empty() && !std::regex_match(v, iso))
      at(key).fail("expected a date YYYY-MM-DD, found '" + v + "'");
    return v;
  }
  std::vector<std::string> strings(const std::string &key, bool required = true) const {
    Node n = at(key);
    std::vector<std::string> out;
    if (n.j_.is_null()) {
      if (required) n.fail("missing; expected an array of strings");
      return out;
    }
    if (!n.j_.is_array()) {
      n.fail("expected an array of strings");
      return out;
    }
    for (std::size_t i = 0; i < n.j_.size(); ++i) {
      if (n.j_[i].is_string())
        out.push_back(n.j_[i].get<std::string>());
      else
        n.at(i).fail("expected a string");
    }
    return out;
  }

private:
  const Json &j_;
  std::string file_;
  std::string path_;
  Problems &problems_;
};

Json read_json(const fs::path &file, Problems &problems, bool required) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    if (required) problems.add(file.string(), "", "cannot read the file");
    return Json();
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return parse_json_text(text, file.string());
  } catch (const InputError &e) {
    problems.add(e.line() > 0 ? file.string() + ":" + std::to_string(e.line()) : file.string(), "",
                 e.detail());
    return Json();
  }
}

class Loader {
public:
  Loader(fs::path dir, LoadOptions options)
      : dir_(std::move(dir)), options_(std::move(options)), vocabulary_(load_vocabulary_of(dir_)) {}

  Catalogue run() {
    load_divisions();
    load_minerals();
    load_outlines();
    fs::path plans_dir = dir_ / "plans";
    std::vector<fs::path> plan_dirs;
    if (fs::is_directory(plans_dir))
      for (const auto &e : fs::directory_iterator(plans_dir))
        if (e.is_directory()) plan_dirs.push_back(e.path());
    std::sort(plan_dirs.begin(), plan_dirs.end());
    if (plan_dirs.empty()) problems_.add(plans_dir.string(), "", "no plan folders");
    for (const auto &p : plan_dirs)
      load_plan(p);
    check_plan_links();
    if (!problems_.empty()) problems_.raise();
    return std::move(cat_);
  }

private:
  Citation cite(const Node &n) {
    Node c = n.at("cite");
    if (!c.json().is_object()) {
      c.fail("missing; expected {\"seed\": …, \"section\": …}");
      return {};
    }
    Citation out{c.str("seed"), c.str("section"), c.str("quote", false)};
    if (!out.seed.empty() && !options_.seeds_dir.empty() &&
        !fs::exists(options_.seeds_dir / out.seed))
      c.at("seed").fail("no seed file named '" + out.seed + "'");
    return out;
  }

  std::optional<Quantity> quantity(const Node &n, const std::string &key, bool required) {
    Node q = n.at(key);
    if (q.json().is_null()) {
      if (required) q.fail("missing; expected {\"value\": n, \"unit\": u}");
      return std::nullopt;
    }
    auto v = q.number("value");
    std::string unit = q.str("unit");
    if (!unit.empty() && !find_unit(unit)) {
      q.at("unit").fail("unknown unit '" + unit + "' (see docs/data-format.md for the list)");
      return std::nullopt;
    }
    if (!v) return std::nullopt;
    return Quantity::make(*v, unit);
  }

  void check_mineral(const Node &n, const std::string &name) {
    if (!cat_.find_mineral(name)) n.fail("mineral '" + name + "' is not in data/minerals.json");
  }
  std::vector<std::string> minerals(const Node &n, const std::string &key, bool required) {
    auto list = n.strings(key, required);
    for (const auto &m : list)
      check_mineral(n.at(key), m);
    return list;
  }
  void check_division(const Node &n, const std::string &key, const std::string &code) {
    if (!code.empty() && !cat_.find_division(code))
      n.at(key).fail("unknown division code '" + code + "' (data/divisions.json)");
  }
  void check_unit(const Node &n, const std::string &key, const std::string &unit) {
    if (!unit.empty() && !find_unit(unit)) n.at(key).fail("unknown unit '" + unit + "'");
  }

  template <class Fn> void for_each(const Node &arr, Fn fn) {
    if (!arr.json().is_array()) {
      arr.fail("expected an array");
      return;
    }
    for (std::size_t i = 0; i < arr.json().size(); ++i)
      fn(arr.at(i));
  }

  void unique(std::set<std::string> &seen, const Node &n, const std::string &id) {
    if (!id.empty() && !seen.insert(id).second) n.at("id").fail("duplicate id '" + id + "'");
  }

  void load_divisions() {
    fs::path f = dir_ / "divisions.json";
    Json j = read_json(f, problems_, true);
    if (j.is_null()) return;
    std::set<std::string> seen;
    for_each(Node(j, f.string(), "", problems_), [&](const Node &n) {
      Division d{
          n.str("code"), n.str("name"), n.one_of("level", kLevels), n.str("parent", false), {}};
      if (!seen.insert(d.code).second) n.at("code").fail("duplicate code '" + d.code + "'");
      cat_.divisions.push_back(std::move(d));
    });
    for (std::size_t i = 0; i < cat_.divisions.size(); ++i) {
      const auto &d = cat_.divisions[i];
      if (!d.parent.empty() && !seen.count(d.parent))
        problems_.add(f.string(), std::string(1, '[').append(std::to_string(i)).append("].parent"),
                      "unknown parent '" + d.parent + "'");
    }
  }

  void load_minerals() {
    fs::path f = dir_ / "minerals.json";
    Json j = read_json(f, problems_, true);
    if (j.is_null()) return;
    std::set<std::string> seen;
    for_each(Node(j, f.string(), "", problems_), [&](const Node &n) {
      Mineral m;
      m.name = n.str("name");
      m.aliases = n.strings("aliases", false);
      m.members = n.strings("members", false);
      m.category = n.one_of("category", kCategories);
      m.scale_unit = n.str("scale_unit");
      m.exploration_risk = n.one_of("exploration_risk", kRisks);
      m.cite = cite(n);
      check_unit(n, "scale_unit", m.scale_unit);
      for (const auto &name : std::vector<std::string>{m.name})
        if (!seen.insert(name).second) n.at("name").fail("duplicate mineral '" + name + "'");
      for (const auto &a : m.aliases)
        if (!seen.insert(a).second)
          n.at("aliases").fail("alias '" + a + "' names another mineral too");
      cat_.minerals.push_back(std::move(m));
    });
    for (std::size_t i = 0; i < cat_.minerals.size(); ++i)
      for (const auto &member : cat_.minerals[i].members)
        if (!cat_.find_mineral(member))
          problems_.add(f.string(),
                        std::string(1, '[').append(std::to_string(i)).append("].members"),
                        "member '" + member + "' is not a mineral of the catalogue");
  }

  void load_outlines() {
    fs::path outlines = dir_ / "outlines";
    if (!fs::is_directory(outlines)) return;
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(outlines))
      if (e.path().extension() == ".geojson") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto &f : files) {
      Json j = read_json(f, problems_, true);
      if (!j.is_object()) continue;
      Node root(j, f.string(), "", problems_);
      for_each(root.at("features"), [&](const Node &feature) {
        std::string code = feature.at("properties").str("code");
        Division *d = nullptr;
        for (auto &x : cat_.divisions)
          if (x.code == code) d = &x;
        if (!d) {
          feature.at("properties").at("code").fail("no division with code '" + code + "'");
          return;
        }
        try {
          d->outline = geojson_multipolygon(feature.at("geometry").json());
        } catch (const Error &e) {
          feature.at("geometry").fail(e.what());
        }
      });
    }
  }

  void load_plan(const fs::path &pdir) {
    PlanData pd;
    std::string folder = pdir.filename().string();
    fs::path pf = pdir / "plan.json";
    Json pj = read_json(pf, problems_, true);
    if (pj.is_null()) return;
    Node pn(pj, pf.string(), "", problems_);
    Plan &p = pd.plan;
    p.id = pn.str("id");
    if (p.id != folder)
      pn.at("id").fail("plan id '" + p.id + "' differs from its folder '" + folder + "'");
    p.title = pn.str("title");
    p.type = pn.one_of("type", kPlanTypes);
    p.level = pn.one_of("level", kLevels);
    p.jurisdiction = pn.str("jurisdiction");
    check_division(pn, "jurisdiction", p.jurisdiction);
    p.parent = pn.str("parent", false);
    p.base_year = pn.integer("base_year").value_or(0);
    Node period = pn.at("period");
    if (period.json().is_array() && period.json().size() == 2 &&
        period.json()[0].is_number_integer() && period.json()[1].is_number_integer()) {
      p.period_start = period.json()[0].get<int>();
      p.period_end = period.json()[1].get<int>();
      if (p.period_start > p.period_end) period.fail("period starts after it ends");
    } else {
      period.fail("expected [start_year, end_year]");
    }
    p.outlook_year = pn.integer("outlook_year", false);
    p.issued = pn.date("issued", false);
    Node in_force = pn.at("in_force");
    if (in_force.json().is_array() && in_force.json().size() == 2) {
      Json wrapped{{"from", in_force.json()[0]}, {"to", in_force.json()[1]}};
      Node w(wrapped, pf.string(), "in_force", problems_);
      p.in_force_from = w.date("from");
      p.in_force_to = w.date("to");
      if (p.in_force_from > p.in_force_to) in_force.fail("in force ends before it starts");
    } else {
      in_force.fail("expected [from_date, to_date]");
    }
    p.seed = pn.str("seed");
    p.notes = pn.str("notes", false);
    p.cite = cite(pn);

    std::set<std::string> ids;
    auto load_array = [&](const char *name, auto fn) {
      fs::path f = pdir / name;
      if (!fs::exists(f)) return;
      Json j = read_json(f, problems_, true);
      if (j.is_null()) return;
      for_each(Node(j, f.string(), "", problems_), fn);
    };

    load_array("zones.json", [&](const Node &n) {
      Zone z;
      z.plan_id = p.id;
      z.id = n.str("id");
      unique(ids, n, "zone:" + z.id);
      z.kind = zone_kind(n, "kind", "分区「" + z.id + "」");
      z.code = n.str("code", false);
      z.name = n.str("name");
      z.minerals = minerals(n, "minerals", false);
      z.area = quantity(n, "area", false);
      if (z.area && !z.area->same_dimension("km2")) n.at("area").fail("expected an area unit");
      if (n.has("attributes")) {
        if (n.at("attributes").json().is_object())
          z.attributes = n.at("attributes").json();
        else
          n.at("attributes").fail("expected an object");
      }
      z.cite = cite(n);
      std::string geom = n.str("geometry", false);
      if (!geom.empty()) {
        try {
          attach_survey_geometry(z, pdir / geom);
        } catch (const std::exception &e) {
          n.at("geometry").fail(e.what());
        }
      }
      pd.zones.push_back(std::move(z));
    });

    load_array("targets.json", [&](const Node &n) {
      Target t;
      t.plan_id = p.id;
      t.id = n.str("id");
      unique(ids, n, "target:" + t.id);
      t.name = n.str("name");
      t.group = n.str("group", false);
      t.kind = n.one_of("kind", kTargetKinds);
      t.comparator = n.one_of("comparator", kComparators);
      t.unit = n.str("unit");
      check_unit(n, "unit", t.unit);
      t.mineral = n.str("mineral", false);
      if (!t.mineral.empty()) check_mineral(n.at("mineral"), t.mineral);
      auto value = [&](const Node &v, bool required) -> std::optional<TargetValue> {
        if (v.json().is_null()) {
          if (required) v.fail("missing; expected {\"value\": n, \"year\": y}");
          return std::nullopt;
        }
        TargetValue out;
        out.value = v.number("value", false);
        out.min = v.number("min", false);
        out.max = v.number("max", false);
        out.year = v.integer("year", false);
        if (!out.value && !(out.min && out.max))
          v.fail("expected \"value\" or \"min\" and \"max\"");
        return out;
      };
      t.base = value(n.at("base"), false);
      t.target = value(n.at("target"), true).value_or(TargetValue{});
      t.outlook = value(n.at("outlook"), false);
      if (n.has("milestones"))
        for_each(n.at("milestones"), [&](const Node &m) {
          if (auto v = value(m, true)) t.milestones.push_back(*v);
        });
      if (t.comparator == "range" && !(t.target.min && t.target.max) && !t.target.value)
        n.at("target").fail("a range target needs min and max");
      t.cite = cite(n);
      if (n.has("measure")) {
        validate_measure(n.at("measure"), t.unit);
        t.measure = n.at("measure").json();
      }
      pd.targets.push_back(std::move(t));
    });

    zone_ids_.clear();
    for (const auto &z : pd.zones)
      zone_ids_.insert(z.id);
    load_array("rules.json", [&](const Node &n) {
      Rule r;
      r.plan_id = p.id;
      r.id = n.str("id");
      unique(ids, n, "rule:" + r.id);
      r.type = n.one_of("type", kRuleTypes);
      r.text = n.str("text");
      r.cite = cite(n);
      validate_rule(n, r.type);
      r.body = n.json();
      for (const char *k : {"id", "type", "text", "cite"})
        r.body.erase(k);
      pd.rules.push_back(std::move(r));
    });

    load_array("tables.json", [&](const Node &n) {
      SeedTable t;
      t.plan_id = p.id;
      t.id = n.str("id");
      unique(ids, n, "table:" + t.id);
      t.section = n.str("section");
      t.title = n.str("title");
      t.columns = n.strings("columns");
      t.notes = n.str("notes", false);
      for_each(n.at("rows"), [&](const Node &row) {
        if (!row.json().is_array()) {
          row.fail("expected an array of cells");
          return;
        }
        std::vector<std::string> cells;
        for (std::size_t i = 0; i < row.json().size(); ++i) {
          if (row.json()[i].is_string())
            cells.push_back(row.json()[i].get<std::string>());
          else
            row.at(i).fail("cells are strings, verbatim from the seed");
        }
        t.rows.push_back(std::move(cells));
      });
      t.cite = cite(n);
      if (n.has("register")) {
        validate_register(n.at("register"), t.columns.size());
        t.register_def = n.at("register").json();
      }
      pd.tables.push_back(std::move(t));
    });

    fs::path rf = pdir / "registry.json";
    if (fs::exists(rf)) {
      Json rj = read_json(rf, problems_, true);
      if (rj.is_object()) load_registry(Node(rj, rf.string(), "", problems_), pd);
    }
    cat_.plans.push_back(std::move(pd));
  }

  // A filter of register items (docs/monitoring.md): every key narrows the set.
  void validate_filter(const Node &f, const std::string &layer, int depth = 0) {
    if (!f.json().is_object()) {
      f.fail("expected a filter object");
      return;
    }
    static const std::set<std::string> keys{
        "minerals", "not_minerals", "category", "scale_class", "status",    "not_status", "method",
        "kind",     "green_level",  "green",    "green_year",  "new_since", "before",     "any_of"};
    for (const auto &item : f.json().items()) {
      // Named copies, not structured bindings: clang 14 (the fuzz build) cannot capture those.
      const std::string key = item.key();
      const Json &value = item.value();
      Node v = f.at(key);
      if (!keys.count(key)) {
        v.fail("unknown filter key '" + key + "' (see docs/monitoring.md)");
        continue;
      }
      auto strings_of = [&](const std::set<std::string> *allowed) {
        if (!value.is_array() || value.empty()) {
          v.fail("expected a non-empty array of strings");
          return;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (!value[i].is_string()) {
            v.at(i).fail("expected a string");
            continue;
          }
          std::string s = value[i].get<std::string>();
          if (key == "minerals" || key == "not_minerals")
            check_mineral(v.at(i), s);
          else if (allowed && !allowed->count(s))
            v.at(i).fail("'" + s + "' is not a value of " + key);
        }
      };
      if (key == "minerals" || key == "not_minerals") strings_of(nullptr);
      if (key == "category") strings_of(&kCategories);
      if (key == "scale_class") strings_of(&kScaleClasses);
      if (key == "status" || key == "not_status") strings_of(&kStatuses);
      if (key == "method") strings_of(&kMethods);
      if (key == "kind") {
        if (layer != "rights") v.fail("'kind' filters rights only");
        strings_of(&kRightKinds);
      }
      if (key == "green_level" || key == "green" || key == "green_year") {
        if (layer != "mines") v.fail("'" + key + "' filters mines only");
        if (key == "green_level") strings_of(&kGreenLevels);
        if (key == "green" && !value.is_boolean()) v.fail("expected true or false");
        if (key == "green_year") {
          if (!value.is_array() || value.empty()) v.fail("expected a non-empty array of years");
          for (std::size_t i = 0; value.is_array() && i < value.size(); ++i)
            if (!value[i].is_number_integer()) v.at(i).fail("expected a year");
        }
      }
      if (key == "new_since") f.date("new_since");
      if (key == "before") {
        if (depth > 0) v.fail("'before' cannot nest");
        if (!value.is_object()) {
          v.fail("expected {\"date\": …, and filter keys}");
          continue;
        }
        v.date("date");
        Json rest = value;
        rest.erase("date");
        validate_filter(Node(rest, file_of(v), v.path(), problems_), layer, depth + 1);
      }
      if (key == "any_of") {
        if (!value.is_array() || value.empty()) {
          v.fail("expected a non-empty array of filters");
          continue;
        }
        for (std::size_t i = 0; i < value.size(); ++i)
          validate_filter(v.at(i), layer, depth + 1);
      }
    }
  }

  // A target's `measure` (docs/monitoring.md).
  void validate_measure(const Node &m, const std::string &unit) {
    if (!m.json().is_object()) {
      m.fail("expected a measure object");
      return;
    }
    static const std::set<std::string> keys{"type",  "layer", "filter", "numerator",
                                            "field", "zones", "basis"};
    for (const auto &[key, value] : m.json().items())
      if (!keys.count(key)) m.at(key).fail("unknown measure key '" + key + "'");
    std::string type = m.one_of("type", {"count", "ratio", "sum", "zones", "reported"});
    const UnitInfo *u = find_unit(unit);
    auto want = [&](Dimension d, const char *what) {
      if (u && u->dimension != d)
        m.at("type").fail(std::string("a ") + type + " measure gives " + what +
                          ", but the target's unit is " + unit);
    };
    if (type == "reported") {
      m.str("basis"); // why the register cannot answer it
      for (const char *k : {"layer", "filter", "numerator", "field", "zones"})
        if (m.has(k)) m.at(k).fail("a reported measure takes no register query");
      return;
    }
    m.str("basis", false);
    if (type == "zones") {
      Node z = m.at("zones");
      if (!z.json().is_object()) {
        z.fail("expected {\"kind\": zone kind, \"minerals\": [...]}");
        return;
      }
      zone_kind(z, "kind", "指标");
      if (z.has("minerals")) minerals(z, "minerals", false);
      want(Dimension::Count, "a count");
      return;
    }
    std::string layer = m.one_of("layer", {"mines", "rights"});
    if (m.has("filter")) validate_filter(m.at("filter"), layer);
    if (type == "count") want(Dimension::Count, "a count");
    if (type == "ratio") {
      if (!m.has("numerator"))
        m.at("numerator").fail("missing; a ratio needs the numerator's filter");
      else
        validate_filter(m.at("numerator"), layer);
      if (unit != "%") m.at("type").fail("a ratio is given in %, the target's unit is " + unit);
    }
    if (type == "sum") {
      std::string field = m.one_of("field", {"scale", "area"});
      if (field == "area" && layer != "rights") m.at("field").fail("only rights carry an area");
      if (field == "scale" && u &&
          !(u->dimension == Dimension::MassRate || u->dimension == Dimension::VolumeRate))
        m.at("field").fail("a sum of production scales needs a rate unit, not " + unit);
      if (field == "area") want(Dimension::Area, "an area");
    }
  }

  // A seed table's `register`: how the register reproduces it (a cross-tab).
  void validate_register(const Node &r, std::size_t seed_columns) {
    if (!r.json().is_object()) {
      r.fail("expected a cross-tab definition object");
      return;
    }
    std::string layer = r.one_of("layer", {"mines", "rights"});
    r.date("as_of", false);
    if (r.has("filter")) validate_filter(r.at("filter"), layer);
    Node cols = r.at("columns");
    std::size_t ncols = 0;
    for_each(cols, [&](const Node &c) {
      ++ncols;
      c.str("label");
      if (c.has("filter")) validate_filter(c.at("filter"), layer);
    });
    if (ncols + 2 != seed_columns)
      cols.fail("expected " + std::to_string(seed_columns >= 2 ? seed_columns - 2 : 0) +
                " columns: the table's columns after the group and row labels");
    static const std::map<std::string, const std::set<std::string> *> dims{
        {"scale_class", &kScaleClasses}, {"status", &kStatuses}, {"method", &kMethods}};
    for_each(r.at("row_groups"), [&](const Node &g) {
      g.str("label");
      std::string dim = g.str("dimension");
      auto d = dims.find(dim);
      if (!dim.empty() && d == dims.end())
        g.at("dimension").fail("expected scale_class | status | method");
      for_each(g.at("rows"), [&](const Node &row) {
        row.str("label");
        std::string v = row.str("value");
        if (d != dims.end() && !v.empty() && !d->second->count(v))
          row.at("value").fail("'" + v + "' is not a value of " + dim);
      });
      g.str("subtotal", false);
    });
  }

  static std::string file_of(const Node &n) { return n.file(); }

  void validate_rule(const Node &n, const std::string &type) {
    if (type == "mineral_policy") {
      n.one_of("activity", kActivities);
      n.one_of("policy", {"encouraged", "restricted", "prohibited"});
      minerals(n, "minerals", true);
    } else if (type == "min_scale") {
      std::string m = n.str("mineral");
      if (!m.empty()) check_mineral(n.at("mineral"), m);
      n.one_of("method", {"open-pit", "underground", "any"});
      quantity(n, "min", true);
      n.number("min_service_years", false);
      n.one_of("applies_to", {"new", "all"});
    } else if (type == "quota") {
      n.str("subject");
      std::string cmp = n.one_of("comparator", kComparators);
      if (cmp == "range") {
        Node l = n.at("limit");
        l.number("min");
        l.number("max");
        check_unit(l, "unit", l.str("unit"));
      } else {
        quantity(n, "limit", true);
      }
      std::string zone = n.str("zone", false);
      if (!zone.empty() && !zone_ids_.count(zone))
        n.at("zone").fail("no zone '" + zone + "' in this plan's zones.json");
      n.integer("year", false);
      std::string m = n.str("mineral", false);
      if (!m.empty()) check_mineral(n.at("mineral"), m);
    } else if (type == "timing") {
      n.one_of("activity", kActivities);
      n.strings("actions");
      if (n.has("minerals")) minerals(n, "minerals", false);
      n.date("from");
      n.date("to");
      n.one_of("effect", {"prohibited", "restricted"});
    } else if (type == "zone_control") {
      zone_kind(n, "zone_kind", "条款");
      n.one_of("activity", kActivities);
      n.one_of("effect", {"prohibited", "restricted", "must_be_inside", "one_subject_per_block"});
      if (n.has("minerals")) minerals(n, "minerals", false);
    } else if (type == "access_condition") {
      n.one_of("activity", kActivities);
      n.str("requirement");
      if (n.has("minerals")) minerals(n, "minerals", false);
    } else if (type == "provision") {
      n.str("topic");
    }
  }

  void load_registry(const Node &root, PlanData &pd) {
    const Plan &p = pd.plan;
    std::set<std::string> uids;
    if (root.has("rights"))
      for_each(root.at("rights"), [&](const Node &n) {
        Right r;
        r.licence_no = n.str("licence_no", false);
        std::string id = n.str("id", false);
        r.uid = !r.licence_no.empty() ? r.licence_no : (id.empty() ? "" : p.id + "/" + id);
        if (r.uid.empty()) n.fail("a right needs a licence_no or an id");
        if (!r.uid.empty() && !uids.insert(r.uid).second) n.fail("duplicate right '" + r.uid + "'");
        r.kind = n.one_of("kind", kRightKinds);
        r.name = n.str("name", false);
        r.holder = n.str("holder", false);
        r.minerals = minerals(n, "minerals", true);
        r.area = quantity(n, "area", false);
        r.scale = quantity(n, "scale", false);
        r.scale_class = n.one_of("scale_class", kScaleClasses, false);
        r.method = n.one_of("method", kMethods, false);
        r.status = n.one_of("status", kStatuses, false);
        r.valid_from = n.date("valid_from", false);
        r.valid_to = n.date("valid_to", false);
        r.jurisdiction = n.str("jurisdiction", false);
        if (r.jurisdiction.empty()) r.jurisdiction = p.jurisdiction;
        check_division(n, "jurisdiction", r.jurisdiction);
        if (n.has("attributes")) r.attributes = n.at("attributes").json();
        r.source = p.id;
        r.cite = cite(n);
        pd.rights.push_back(std::move(r));
      });
    if (root.has("mines"))
      for_each(root.at("mines"), [&](const Node &n) {
        Mine m;
        std::string id = n.str("id");
        m.uid = p.id + "/" + id;
        if (!id.empty() && !uids.insert(m.uid).second) n.at("id").fail("duplicate id '" + id + "'");
        m.name = n.str("name");
        m.holder = n.str("holder", false);
        m.licence_no = n.str("licence_no", false);
        m.minerals = minerals(n, "minerals", true);
        m.scale = quantity(n, "scale", false);
        m.scale_class = n.one_of("scale_class", kScaleClasses, false);
        m.method = n.one_of("method", kMethods, false);
        m.status = n.one_of("status", kStatuses, false);
        m.jurisdiction = n.str("jurisdiction", false);
        if (m.jurisdiction.empty()) m.jurisdiction = p.jurisdiction;
        check_division(n, "jurisdiction", m.jurisdiction);
        if (n.has("green")) {
          Node g = n.at("green");
          m.green_level = g.one_of("level", kGreenLevels);
          m.green_year = g.integer("year", false);
        }
        if (n.has("attributes")) m.attributes = n.at("attributes").json();
        m.source = p.id;
        m.cite = cite(n);
        pd.mines.push_back(std::move(m));
      });
    std::set<std::string> ids;
    if (root.has("statistics"))
      for_each(root.at("statistics"), [&](const Node &n) {
        Statistic s;
        s.plan_id = p.id;
        s.id = n.str("id");
        unique(ids, n, s.id);
        s.name = n.str("name");
        auto q = quantity(n, "value", true);
        if (q) s.value = *q;
        s.as_of = n.date("as_of", false);
        s.mineral = n.str("mineral", false);
        if (!s.mineral.empty()) check_mineral(n.at("mineral"), s.mineral);
        if (n.has("dimension")) s.dimension = n.at("dimension").json();
        s.cite = cite(n);
        pd.statistics.push_back(std::move(s));
      });
  }

  void check_plan_links() {
    std::set<std::string> ids;
    for (const auto &pd : cat_.plans)
      ids.insert(pd.plan.id);
    for (const auto &pd : cat_.plans)
      if (!pd.plan.parent.empty() && !ids.count(pd.plan.parent))
        problems_.add((dir_ / "plans" / pd.plan.id / "plan.json").string(), "parent",
                      "unknown parent plan '" + pd.plan.parent + "'");
  }

  // A zone kind: any kind the vocabulary defines (an open set, data/vocabulary.json).
  std::string zone_kind(const Node &n, const std::string &key, const std::string &what) const {
    std::string v = n.str(key);
    if (!v.empty() && !vocabulary_.contains("zone_kinds", v))
      n.at(key).fail(
          what + "的分区类型「" + v +
          "」未在词汇表 vocabulary.json 的 zone_kinds 中定义（新的分区类型须先在词汇表中增加）");
    return v;
  }

  fs::path dir_;
  LoadOptions options_;
  Vocabulary vocabulary_;
  std::set<std::string> zone_ids_; // of the plan being loaded, for rules that name a zone
  Catalogue cat_;
  Problems problems_;
};

} // namespace

Catalogue load_catalogue(const fs::path &data_dir, const LoadOptions &options) {
  if (!fs::is_directory(data_dir)) throw Error(data_dir.string() + ": not a data folder");
  return Loader(data_dir, options).run();
}

fs::path default_data_dir() {
  if (const char *env = std::getenv("MINEPLAN_DATA")) return env;
#ifdef MINEPLAN_DATA_DIR
  return MINEPLAN_DATA_DIR;
#else
  return "data";
#endif
}

} // namespace mineplan::io
