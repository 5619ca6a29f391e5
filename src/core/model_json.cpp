#include "core/model_json.hpp"

#include <cstdint>
#include <cstdio>

namespace mineplan {
namespace {

Json opt_text(const std::string &s) {
  return s.empty() ? Json(nullptr) : Json(s);
}

template <class T> Json opt(const std::optional<T> &v) {
  if (!v) return nullptr;
  return to_json(*v);
}

Json opt_int(const std::optional<int> &v) {
  return v ? Json(*v) : Json(nullptr);
}

} // namespace

Json to_json(const Citation &c) {
  Json j{{"seed", c.seed}, {"section", c.section}};
  if (!c.quote.empty()) j["quote"] = c.quote;
  return j;
}

Json to_json(const Quantity &q) {
  return Json{{"value", q.value}, {"unit", q.unit}};
}

Json to_json(const TargetValue &v) {
  Json j = Json::object();
  if (v.value) j["value"] = *v.value;
  if (v.min) j["min"] = *v.min;
  if (v.max) j["max"] = *v.max;
  j["year"] = opt_int(v.year);
  return j;
}

Json to_json(const Division &d) {
  return Json{
      {"code", d.code}, {"name", d.name}, {"level", d.level}, {"parent", opt_text(d.parent)}};
}

Json to_json(const Mineral &m) {
  return Json{{"name", m.name},
              {"aliases", m.aliases},
              {"members", m.members},
              {"category", m.category},
              {"scale_unit", m.scale_unit},
              {"exploration_risk", m.exploration_risk},
              {"cite", to_json(m.cite)}};
}

Json to_json(const Plan &p) {
  return Json{{"id", p.id},
              {"title", p.title},
              {"type", p.type},
              {"level", p.level},
              {"jurisdiction", p.jurisdiction},
              {"parent", opt_text(p.parent)},
              {"base_year", p.base_year},
              {"period", Json::array({p.period_start, p.period_end})},
              {"outlook_year", opt_int(p.outlook_year)},
              {"issued", opt_text(p.issued)},
              {"in_force", Json::array({p.in_force_from, p.in_force_to})},
              {"seed", p.seed},
              {"notes", p.notes},
              {"cite", to_json(p.cite)}};
}

Json to_json(const Zone &z) {
  Json j{
      {"id", z.id},
      {"plan", z.plan_id},
      {"kind", z.kind},
      {"code", opt_text(z.code)},
      {"name", z.name},
      {"minerals", z.minerals},
      {"area", opt(z.area)},
      {"has_geometry", z.geometry.has_value()},
      {"official_area_km2", z.official_area_m2 ? Json(*z.official_area_m2 / 1e6) : Json(nullptr)},
      {"geometry_source", opt_text(z.geometry_source)},
      {"attributes", z.attributes},
      {"cite", to_json(z.cite)}};
  return j;
}

Json to_json(const Target &t) {
  Json j{{"id", t.id},
         {"plan", t.plan_id},
         {"name", t.name},
         {"group", opt_text(t.group)},
         {"kind", t.kind},
         {"comparator", t.comparator},
         {"unit", t.unit},
         {"mineral", opt_text(t.mineral)},
         {"base", opt(t.base)},
         {"target", to_json(t.target)},
         {"outlook", opt(t.outlook)},
         {"milestones",
          [&] {
            Json a = Json::array();
            for (const auto &m : t.milestones)
              a.push_back(to_json(m));
            return a;
          }()},
         {"cite", to_json(t.cite)}};
  if (!t.measure.is_null()) j["measure"] = t.measure;
  return j;
}

Json to_json(const Rule &r) {
  Json j = r.body;
  j["id"] = r.id;
  j["plan"] = r.plan_id;
  j["type"] = r.type;
  j["text"] = r.text;
  j["cite"] = to_json(r.cite);
  return j;
}

Json to_json(const SeedTable &t) {
  Json j{{"id", t.id},       {"plan", t.plan_id},      {"section", t.section},
         {"title", t.title}, {"columns", t.columns},   {"rows", t.rows},
         {"notes", t.notes}, {"cite", to_json(t.cite)}};
  if (!t.register_def.is_null()) j["register"] = t.register_def;
  return j;
}

Json to_json(const Statistic &s) {
  return Json{{"id", s.id},
              {"plan", s.plan_id},
              {"name", s.name},
              {"value", to_json(s.value)},
              {"as_of", s.as_of},
              {"mineral", opt_text(s.mineral)},
              {"dimension", s.dimension},
              {"cite", to_json(s.cite)}};
}

Json to_json(const Right &r) {
  return Json{
      {"uid", r.uid},
      {"licence_no", opt_text(r.licence_no)},
      {"kind", r.kind},
      {"name", r.name},
      {"holder", opt_text(r.holder)},
      {"minerals", r.minerals},
      {"area", opt(r.area)},
      {"official_area_km2", r.official_area_m2 ? Json(*r.official_area_m2 / 1e6) : Json(nullptr)},
      {"scale", opt(r.scale)},
      {"scale_class", opt_text(r.scale_class)},
      {"method", opt_text(r.method)},
      {"status", opt_text(r.status)},
      {"valid_from", opt_text(r.valid_from)},
      {"valid_to", opt_text(r.valid_to)},
      {"jurisdiction", opt_text(r.jurisdiction)},
      {"has_geometry", r.geometry.has_value()},
      {"attributes", r.attributes},
      {"source", r.source},
      {"cite", r.cite ? to_json(*r.cite) : Json(nullptr)},
      {"version_from", r.version_from},
      {"version_to", opt_text(r.version_to)}};
}

Json to_json(const Mine &m) {
  return Json{{"uid", m.uid},
              {"name", m.name},
              {"holder", opt_text(m.holder)},
              {"licence_no", opt_text(m.licence_no)},
              {"minerals", m.minerals},
              {"scale", opt(m.scale)},
              {"scale_class", opt_text(m.scale_class)},
              {"method", opt_text(m.method)},
              {"status", opt_text(m.status)},
              {"jurisdiction", opt_text(m.jurisdiction)},
              {"green", m.green_level.empty()
                            ? Json(nullptr)
                            : Json{{"level", m.green_level}, {"year", opt_int(m.green_year)}}},
              {"has_geometry", m.geometry.has_value()},
              {"attributes", m.attributes},
              {"source", m.source},
              {"cite", m.cite ? to_json(*m.cite) : Json(nullptr)},
              {"version_from", m.version_from},
              {"version_to", opt_text(m.version_to)}};
}

std::string content_fingerprint(const Json &j) {
  // FNV-1a over the canonical dump: stable across runs and machines.
  std::string text = j.dump();
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

} // namespace mineplan
