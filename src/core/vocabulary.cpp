#include "core/vocabulary.hpp"

#include "core/json_text.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace mineplan {

const std::array<std::pair<Role, std::string_view>, 5> EnumTraits<Role>::values{{
    {Role::RegionStaff, "region_staff"},
    {Role::LeagueStaff, "league_staff"},
    {Role::CountyStaff, "county_staff"},
    {Role::Reviewer, "reviewer"},
    {Role::Holder, "holder"},
}};
const std::array<std::pair<RightKind, std::string_view>, 2> EnumTraits<RightKind>::values{{
    {RightKind::Exploration, "exploration"},
    {RightKind::Mining, "mining"},
}};
const std::array<std::pair<Action, std::string_view>, 5> EnumTraits<Action>::values{{
    {Action::New, "new"},
    {Action::Extend, "extend"},
    {Action::Change, "change"},
    {Action::Convert, "convert"},
    {Action::Transfer, "transfer"},
}};
const std::array<std::pair<Outcome, std::string_view>, 4> EnumTraits<Outcome>::values{{
    {Outcome::Pass, "pass"},
    {Outcome::Fail, "fail"},
    {Outcome::Attention, "attention"},
    {Outcome::NotApplicable, "n/a"},
}};
const std::array<std::pair<Verdict, std::string_view>, 3> EnumTraits<Verdict>::values{{
    {Verdict::Pass, "pass"},
    {Verdict::Conditional, "conditional"},
    {Verdict::Reject, "reject"},
}};
const std::array<std::pair<Method, std::string_view>, 2> EnumTraits<Method>::values{{
    {Method::OpenPit, "open-pit"},
    {Method::Underground, "underground"},
}};
const std::array<std::pair<ScaleClass, std::string_view>, 4> EnumTraits<ScaleClass>::values{{
    {ScaleClass::Large, "large"},
    {ScaleClass::Medium, "medium"},
    {ScaleClass::Small, "small"},
    {ScaleClass::BelowSmall, "below_small"},
}};
const std::array<std::pair<OperatingStatus, std::string_view>, 4>
    EnumTraits<OperatingStatus>::values{{
        {OperatingStatus::Producing, "producing"},
        {OperatingStatus::Construction, "construction"},
        {OperatingStatus::Stopped, "stopped"},
        {OperatingStatus::Closed, "closed"},
    }};
const std::array<std::pair<DivisionLevel, std::string_view>, 3> EnumTraits<DivisionLevel>::values{{
    {DivisionLevel::Region, "region"},
    {DivisionLevel::League, "league"},
    {DivisionLevel::County, "county"},
}};
const std::array<std::pair<TargetKind, std::string_view>, 3> EnumTraits<TargetKind>::values{{
    {TargetKind::Binding, "binding"},
    {TargetKind::Indicative, "indicative"},
    {TargetKind::Unspecified, "unspecified"},
}};
const std::array<std::pair<ApplicantType, std::string_view>, 4> EnumTraits<ApplicantType>::values{{
    {ApplicantType::Company, "company"},
    {ApplicantType::Individual, "individual"},
    {ApplicantType::Government, "government"},
    {ApplicantType::Other, "other"},
}};
const std::array<std::pair<GreenLevel, std::string_view>, 3> EnumTraits<GreenLevel>::values{{
    {GreenLevel::National, "national"},
    {GreenLevel::Region, "region"},
    {GreenLevel::League, "league"},
}};

namespace {

// Reads one JSON object of the vocabulary file; every failure names the field path.
class Reader {
public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string &path, const std::string &message) const {
    throw InputError(source_, 0, path, message);
  }

  void keys(const Json &j, const std::string &path,
            std::initializer_list<std::string_view> allowed) const {
    if (!j.is_object()) fail(path, "应为对象");
    for (const auto &[k, v] : j.items())
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string list;
        for (auto a : allowed)
          list.append(list.empty() ? "" : "、").append(a);
        fail(path.empty() ? k : path + "." + k, "未知的键「" + k + "」，可用的键：" + list);
      }
  }

  std::string text(const Json &j, const std::string &path, std::string_view key,
                   bool required) const {
    const std::string p = path + "." + std::string(key);
    if (!j.contains(key)) {
      if (required) fail(p, "缺少此项");
      return {};
    }
    const Json &v = j.at(key);
    if (!v.is_string()) fail(p, "应为字符串");
    std::string s = v.get<std::string>();
    if (required && s.empty()) fail(p, "不能为空");
    return s;
  }

  double number(const Json &j, const std::string &path, std::string_view key, double fallback,
                double min, double max) const {
    const std::string p = path + "." + std::string(key);
    if (!j.contains(key)) return fallback;
    const Json &v = j.at(key);
    if (!v.is_number()) fail(p, "应为数值");
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < min || d > max)
      fail(p, "数值 " + v.dump() + " 超出范围 " + Json(min).dump() + "…" + Json(max).dump());
    return d;
  }

  std::string colour(const Json &j, const std::string &path, std::string_view key,
                     bool required) const {
    std::string c = text(j, path, key, required);
    if (c.empty()) return c;
    const bool ok =
        c.size() == 7 && c[0] == '#' && std::all_of(c.begin() + 1, c.end(), [](char ch) {
          return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
        });
    if (!ok) fail(path + "." + std::string(key), "颜色「" + c + "」应为 #rrggbb 形式");
    return c;
  }

  Hatch hatch(const Json &j, const std::string &path) const {
    keys(j, path, {"id", "color", "cross", "background", "background_opacity", "width", "angle"});
    Hatch h;
    h.id = text(j, path, "id", false);
    h.color = colour(j, path, "color", true);
    if (j.contains("cross")) {
      if (!j.at("cross").is_boolean()) fail(path + ".cross", "应为 true 或 false");
      h.cross = j.at("cross").get<bool>();
    }
    h.background = colour(j, path, "background", false);
    h.background_opacity = number(j, path, "background_opacity", 0, 0, 1);
    h.width = number(j, path, "width", 1, 0, 100);
    h.angle = number(j, path, "angle", 45, -180, 180);
    return h;
  }

  Symbol symbol(const Json &j, const std::string &path) const {
    keys(j, path, {"fill", "fill_opacity", "hatch", "stroke", "stroke_width", "dash", "z"});
    Symbol s;
    s.fill = colour(j, path, "fill", false);
    s.fill_opacity = number(j, path, "fill_opacity", 1, 0, 1);
    if (j.contains("hatch")) s.hatch = hatch(j.at("hatch"), path + ".hatch");
    s.stroke = colour(j, path, "stroke", true);
    s.stroke_width = number(j, path, "stroke_width", 1, 0, 100);
    if (j.contains("dash")) {
      const Json &d = j.at("dash");
      if (!d.is_array()) fail(path + ".dash", "应为数值数组");
      for (std::size_t i = 0; i < d.size(); ++i) {
        const std::string p = path + ".dash[" + std::to_string(i) + "]";
        if (!d[i].is_number() || !(d[i].get<double>() > 0) || d[i].get<double>() > 1000)
          fail(p, "应为正数");
        s.dash.push_back(d[i].get<double>());
      }
    }
    if (j.contains("z")) {
      if (!j.at("z").is_number_integer()) fail(path + ".z", "应为整数");
      s.z = j.at("z").get<int>();
    }
    return s;
  }

  Term term(const Json &j, const std::string &path) const {
    keys(j, path, {"value", "label", "en", "map", "print"});
    Term t;
    t.value = text(j, path, "value", true);
    t.label = text(j, path, "label", true);
    t.en = text(j, path, "en", false);
    if (j.contains("map")) t.map = symbol(j.at("map"), path + ".map");
    if (j.contains("print")) t.print = symbol(j.at("print"), path + ".print");
    return t;
  }

private:
  std::string source_;
};

template <class E> void require_enum(const Vocabulary &v, const Reader &r) {
  const std::string set(EnumTraits<E>::set);
  if (!v.has_set(set))
    r.fail("sets." + set, "缺少此值集（" + std::string(EnumTraits<E>::name) + "）");
  for (const auto &[e, id] : EnumTraits<E>::values)
    if (!v.contains(set, id)) r.fail("sets." + set, "缺少值「" + std::string(id) + "」及其标签");
}

} // namespace

const Term *TermSet::find(std::string_view value) const {
  for (const auto &t : terms)
    if (t.value == value) return &t;
  return nullptr;
}

Vocabulary Vocabulary::parse(std::string_view text, const std::string &source) {
  const Reader r(source);
  Vocabulary v;
  v.json_ = parse_json_text(text, source);
  const Json &j = v.json_;
  r.keys(j, "", {"about", "sets", "symbols"});
  r.text(j, "", "about", true);
  if (!j.contains("sets") || !j.at("sets").is_object()) r.fail("sets", "缺少值集对象");
  for (const auto &[name, sj] : j.at("sets").items()) {
    const std::string path = "sets." + name;
    r.keys(sj, path, {"about", "values"});
    TermSet set;
    set.name = name;
    set.about = r.text(sj, path, "about", true);
    if (!sj.contains("values") || !sj.at("values").is_array() || sj.at("values").empty())
      r.fail(path + ".values", "应为非空数组");
    std::set<std::string> seen;
    const Json &vals = sj.at("values");
    for (std::size_t i = 0; i < vals.size(); ++i) {
      const std::string p = path + ".values[" + std::to_string(i) + "]";
      Term t = r.term(vals[i], p);
      if (!seen.insert(t.value).second) r.fail(p + ".value", "重复的值「" + t.value + "」");
      set.terms.push_back(std::move(t));
    }
    v.sets_.push_back(std::move(set));
  }
  if (j.contains("symbols")) {
    if (!j.at("symbols").is_object()) r.fail("symbols", "应为对象");
    for (const auto &[name, sj] : j.at("symbols").items()) {
      const std::string path = "symbols." + name;
      r.keys(sj, path, {"label", "map", "print"});
      NamedSymbol s;
      s.name = name;
      s.label = r.text(sj, path, "label", false);
      if (sj.contains("map")) s.map = r.symbol(sj.at("map"), path + ".map");
      if (sj.contains("print")) s.print = r.symbol(sj.at("print"), path + ".print");
      if (!s.map && !s.print) r.fail(path, "须有 map 或 print");
      v.symbols_.push_back(std::move(s));
    }
  }
  if (!v.has_set("zone_kinds")) r.fail("sets.zone_kinds", "缺少此值集（分区类型）");
  require_enum<Role>(v, r);
  require_enum<RightKind>(v, r);
  require_enum<Action>(v, r);
  require_enum<Outcome>(v, r);
  require_enum<Verdict>(v, r);
  require_enum<Method>(v, r);
  require_enum<ScaleClass>(v, r);
  require_enum<OperatingStatus>(v, r);
  require_enum<DivisionLevel>(v, r);
  require_enum<TargetKind>(v, r);
  require_enum<ApplicantType>(v, r);
  require_enum<GreenLevel>(v, r);
  return v;
}

bool Vocabulary::has_set(std::string_view name) const {
  return std::any_of(sets_.begin(), sets_.end(), [&](const TermSet &s) { return s.name == name; });
}

const TermSet &Vocabulary::set(std::string_view name) const {
  for (const auto &s : sets_)
    if (s.name == name) return s;
  throw Error("vocabulary has no set '" + std::string(name) + "'");
}

const Term *Vocabulary::find(std::string_view set, std::string_view value) const {
  for (const auto &s : sets_)
    if (s.name == set) return s.find(value);
  return nullptr;
}

std::string Vocabulary::label(std::string_view set, std::string_view value) const {
  if (const Term *t = find(set, value)) return t->label;
  return std::string(value);
}

const NamedSymbol *Vocabulary::symbol(std::string_view name) const {
  for (const auto &s : symbols_)
    if (s.name == name) return &s;
  return nullptr;
}

} // namespace mineplan
