#pragma once
// The closed value sets of the domain and the one vocabulary that names them.
//
// Closed sets the code branches on are enums here, each parsed from its id in one place
// (parse_right_kind("mining") …) and written back with to_string. Their Chinese labels and map
// symbology are data: data/vocabulary.json, parsed and validated into a Vocabulary (core reads
// no files; io::vocabulary() loads the data folder's). No label is written in code.
//
// Zone kinds are an open set defined by the vocabulary, not an enum: a new county plan may add a
// kind with a line in data/vocabulary.json and no C++ change; plan loading refuses a zone whose
// kind the vocabulary does not define.
#include "core/error.hpp"
#include "core/model.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mineplan {

enum class Role { RegionStaff, LeagueStaff, CountyStaff, Reviewer, Holder };
enum class RightKind { Exploration, Mining };
enum class Action { New, Extend, Change, Convert, Transfer };
enum class Outcome { Pass, Fail, Attention, NotApplicable };
enum class Verdict { Pass, Conditional, Reject };
enum class Method { OpenPit, Underground };
enum class ScaleClass { Large, Medium, Small, BelowSmall };
enum class OperatingStatus { Producing, Construction, Stopped, Closed };
enum class DivisionLevel { Region, League, County };
enum class TargetKind { Binding, Indicative, Unspecified };
enum class ApplicantType { Company, Individual, Government, Other };
enum class GreenLevel { National, Region, League };

// What the vocabulary and the parser know of an enum: the vocabulary set naming its values,
// the field it is read from, the field's Chinese name, and every (value, id) pair.
template <class E> struct EnumTraits;

#define MINEPLAN_ENUM_TRAITS(E, SET, FIELD, NAME, N)                                               \
  template <> struct EnumTraits<E> {                                                               \
    static constexpr std::string_view set = SET;                                                   \
    static constexpr std::string_view field = FIELD;                                               \
    static constexpr std::string_view name = NAME;                                                 \
    static const std::array<std::pair<E, std::string_view>, N> values;                             \
  };
MINEPLAN_ENUM_TRAITS(Role, "roles", "role", "角色", 5)
MINEPLAN_ENUM_TRAITS(RightKind, "right_kinds", "kind", "矿业权类型", 2)
MINEPLAN_ENUM_TRAITS(Action, "actions", "action", "申请事项", 5)
MINEPLAN_ENUM_TRAITS(Outcome, "outcomes", "outcome", "审查结果", 4)
MINEPLAN_ENUM_TRAITS(Verdict, "verdicts", "verdict", "审查结论", 3)
MINEPLAN_ENUM_TRAITS(Method, "methods", "method", "开采方式", 2)
MINEPLAN_ENUM_TRAITS(ScaleClass, "scale_classes", "scale_class", "规模类型", 4)
MINEPLAN_ENUM_TRAITS(OperatingStatus, "statuses", "status", "状态", 4)
MINEPLAN_ENUM_TRAITS(DivisionLevel, "division_levels", "level", "级别", 3)
MINEPLAN_ENUM_TRAITS(TargetKind, "target_kinds", "kind", "指标属性", 3)
MINEPLAN_ENUM_TRAITS(ApplicantType, "applicant_types", "applicant_type", "申请人类型", 4)
MINEPLAN_ENUM_TRAITS(GreenLevel, "green_levels", "green_level", "绿色矿山级别", 3)
#undef MINEPLAN_ENUM_TRAITS

// The id of a value ("mining", "open-pit", "n/a" …).
template <class E> std::string_view to_string(E e) {
  for (const auto &[v, id] : EnumTraits<E>::values)
    if (v == e) return id;
  return {};
}

// Every id of an enum, in declaration order.
template <class E> std::vector<std::string> ids_of() {
  std::vector<std::string> out;
  for (const auto &[v, id] : EnumTraits<E>::values)
    out.emplace_back(id);
  return out;
}

// The value with this id, or nullopt.
template <class E> std::optional<E> try_parse(std::string_view text) {
  for (const auto &[v, id] : EnumTraits<E>::values)
    if (id == text) return v;
  return std::nullopt;
}

// The one parser of every closed set: the value with this id, else InputError naming the field
// (`field`, default the enum's usual field) and listing the allowed ids, in Chinese.
template <class E> E parse_enum(std::string_view text, std::string_view field = {}) {
  if (auto v = try_parse<E>(text)) return *v;
  std::string list;
  for (const auto &[v, id] : EnumTraits<E>::values)
    list.append(list.empty() ? "" : "、").append(id);
  throw InputError("", 0, std::string(field.empty() ? EnumTraits<E>::field : field),
                   std::string(EnumTraits<E>::name) + "「" + std::string(text) +
                       "」无效，可选值：" + list);
}

inline Role parse_role(std::string_view t, std::string_view field = {}) {
  return parse_enum<Role>(t, field);
}
inline RightKind parse_right_kind(std::string_view t, std::string_view field = {}) {
  return parse_enum<RightKind>(t, field);
}
inline Action parse_action(std::string_view t, std::string_view field = {}) {
  return parse_enum<Action>(t, field);
}
inline Outcome parse_outcome(std::string_view t, std::string_view field = {}) {
  return parse_enum<Outcome>(t, field);
}
inline Verdict parse_verdict(std::string_view t, std::string_view field = {}) {
  return parse_enum<Verdict>(t, field);
}
inline Method parse_method(std::string_view t, std::string_view field = {}) {
  return parse_enum<Method>(t, field);
}
inline ScaleClass parse_scale_class(std::string_view t, std::string_view field = {}) {
  return parse_enum<ScaleClass>(t, field);
}
inline OperatingStatus parse_operating_status(std::string_view t, std::string_view field = {}) {
  return parse_enum<OperatingStatus>(t, field);
}
inline DivisionLevel parse_division_level(std::string_view t, std::string_view field = {}) {
  return parse_enum<DivisionLevel>(t, field);
}
inline TargetKind parse_target_kind(std::string_view t, std::string_view field = {}) {
  return parse_enum<TargetKind>(t, field);
}
inline ApplicantType parse_applicant_type(std::string_view t, std::string_view field = {}) {
  return parse_enum<ApplicantType>(t, field);
}
inline GreenLevel parse_green_level(std::string_view t, std::string_view field = {}) {
  return parse_enum<GreenLevel>(t, field);
}

// ---- the vocabulary ----------------------------------------------------------------------

// Diagonal hatching over a fill. The web map draws `color` lines (`cross`: both diagonals);
// the opinion figure defines one SVG pattern per `id` with a `background` tint.
struct Hatch {
  std::string id;
  std::string color;
  bool cross = false;
  std::string background;
  double background_opacity = 0;
  double width = 1;
  double angle = 45;
};

// How a map draws a value. Colours are "#rrggbb".
struct Symbol {
  std::string fill; // empty: no fill (a hatch may stand in)
  double fill_opacity = 1;
  std::optional<Hatch> hatch;
  std::string stroke;
  double stroke_width = 1;
  std::vector<double> dash; // stroke dash lengths, empty for solid
  int z = 0;                // drawing order: lower first
};

struct Term {
  std::string value;
  std::string label;           // Chinese
  std::string en;              // English, may be empty
  std::optional<Symbol> map;   // the web one-map
  std::optional<Symbol> print; // the opinion's figure
};

struct TermSet {
  std::string name;
  std::string about;
  std::vector<Term> terms; // in the order of the file (legend order)
  const Term *find(std::string_view value) const;
};

// A symbol not tied to a set value (the application boundary, the fallback of unknown kinds).
struct NamedSymbol {
  std::string name;
  std::string label;
  std::optional<Symbol> map;
  std::optional<Symbol> print;
};

class Vocabulary {
public:
  // Parses and validates data/vocabulary.json's text. InputError (source, field path, Chinese
  // message) when it is not JSON, has an unknown key, a value without a label, a duplicate
  // value, a malformed colour or number, or lacks a value of an enum above.
  static Vocabulary parse(std::string_view text, const std::string &source);

  // The set `name`; throws Error when the vocabulary has none (the file was validated, so
  // that is a programming error).
  const TermSet &set(std::string_view name) const;
  bool has_set(std::string_view name) const;
  const Term *find(std::string_view set, std::string_view value) const;
  bool contains(std::string_view set, std::string_view value) const {
    return find(set, value) != nullptr;
  }
  // The Chinese label of `value` in `set`; the value itself when the set does not define it.
  std::string label(std::string_view set, std::string_view value) const;
  template <class E> std::string label(E e) const {
    return label(EnumTraits<E>::set, to_string(e));
  }
  const NamedSymbol *symbol(std::string_view name) const;

  const std::vector<TermSet> &sets() const { return sets_; }
  const std::vector<NamedSymbol> &symbols() const { return symbols_; }
  // The validated document, as read (served at GET /api/vocabulary).
  const Json &json() const { return json_; }

private:
  std::vector<TermSet> sets_;
  std::vector<NamedSymbol> symbols_;
  Json json_;
};

} // namespace mineplan
