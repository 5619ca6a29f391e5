#include "registry/reassess.hpp"

#include "core/error.hpp"
#include "core/model_json.hpp"

#include <algorithm>
#include <cmath>

namespace mineplan::registry {

namespace {

const std::vector<std::string> kFieldOrder{"area", "method", "scale", "mineral"};

bool same_ring(const geo::Ring &a, const geo::Ring &b) {
  return a == b;
}

bool same_geometry(const std::optional<geo::MultiPolygon> &a,
                   const std::optional<geo::MultiPolygon> &b) {
  if (a.has_value() != b.has_value()) return false;
  if (!a) return true;
  if (a->size() != b->size()) return false;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const auto &p = (*a)[i], &q = (*b)[i];
    if (!same_ring(p.outer, q.outer) || p.holes.size() != q.holes.size()) return false;
    for (std::size_t k = 0; k < p.holes.size(); ++k)
      if (!same_ring(p.holes[k], q.holes[k])) return false;
  }
  return true;
}

bool same_quantity(const std::optional<Quantity> &a, const std::optional<Quantity> &b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || (a->unit == b->unit &&
                std::abs(a->value - b->value) <= 1e-9 * std::max(1.0, std::abs(a->value)));
}

// An official area read back from the store (held in km²) against one as imported (m²): the
// same number up to the conversion's rounding.
bool same_number(const std::optional<double> &a, const std::optional<double> &b) {
  if (a.has_value() != b.has_value()) return false;
  return !a || std::abs(*a - *b) <= 1e-9 * std::max(1.0, std::abs(*a));
}

Json quantity_json(const std::optional<Quantity> &q) {
  return q ? to_json(*q) : Json(nullptr);
}

// The area of a geometry is not worth repeating in an event: its size and extent tell the
// reader it moved.
Json geometry_summary(const std::optional<geo::MultiPolygon> &g) {
  if (!g) return nullptr;
  auto e = geo::envelope_of(*g);
  return Json{{"polygons", g->size()},
              {"vertices", geo::vertex_count(*g)},
              {"envelope", {e.min_x, e.min_y, e.max_x, e.max_y}}};
}

void note(MineChange &c, const std::string &field, Json before, Json after) {
  if (std::find(c.fields.begin(), c.fields.end(), field) == c.fields.end())
    c.fields.push_back(field);
  c.before[field] = std::move(before);
  c.after[field] = std::move(after);
}

void order_fields(MineChange &c) {
  std::sort(c.fields.begin(), c.fields.end(), [](const std::string &a, const std::string &b) {
    return std::find(kFieldOrder.begin(), kFieldOrder.end(), a) <
           std::find(kFieldOrder.begin(), kFieldOrder.end(), b);
  });
}

} // namespace

RegisterView register_view(store::Store &store) {
  return RegisterView{store.rights(store::AsOf{}), store.mines(store::AsOf{})};
}

std::vector<MineChange> register_changes(const RegisterView &before, const RegisterView &after) {
  std::vector<MineChange> out;
  std::map<std::string, const Mine *> old_mines;
  for (const auto &m : before.mines)
    old_mines[m.uid] = &m;
  for (const auto &m : after.mines) {
    auto it = old_mines.find(m.uid);
    if (it == old_mines.end()) continue; // a new mine changes nothing that was assessed
    const Mine &o = *it->second;
    MineChange c;
    c.mine = m.uid;
    c.via = "mine";
    if (!same_geometry(o.geometry, m.geometry))
      note(c, "area", geometry_summary(o.geometry), geometry_summary(m.geometry));
    if (o.method != m.method) note(c, "method", o.method, m.method);
    if (!same_quantity(o.scale, m.scale) || o.scale_class != m.scale_class)
      note(c, "scale", Json{{"scale", quantity_json(o.scale)}, {"scale_class", o.scale_class}},
           Json{{"scale", quantity_json(m.scale)}, {"scale_class", m.scale_class}});
    if (o.minerals != m.minerals) note(c, "mineral", o.minerals, m.minerals);
    if (!c.fields.empty()) {
      order_fields(c);
      out.push_back(std::move(c));
    }
  }
  // A right's change reaches the mines working under its licence.
  std::map<std::string, const Right *> old_rights;
  for (const auto &r : before.rights)
    old_rights[r.uid] = &r;
  for (const auto &r : after.rights) {
    auto it = old_rights.find(r.uid);
    if (it == old_rights.end() || r.licence_no.empty()) continue;
    const Right &o = *it->second;
    MineChange c;
    c.via = r.uid;
    if (!same_geometry(o.geometry, r.geometry) || !same_quantity(o.area, r.area) ||
        !same_number(o.official_area_m2, r.official_area_m2))
      note(c, "area",
           Json{{"area", quantity_json(o.area)},
                {"official_area_m2",
                 o.official_area_m2 ? Json(*o.official_area_m2) : Json(nullptr)}},
           Json{{"area", quantity_json(r.area)},
                {"official_area_m2",
                 r.official_area_m2 ? Json(*r.official_area_m2) : Json(nullptr)}});
    if (o.method != r.method) note(c, "method", o.method, r.method);
    if (!same_quantity(o.scale, r.scale) || o.scale_class != r.scale_class)
      note(c, "scale", Json{{"scale", quantity_json(o.scale)}, {"scale_class", o.scale_class}},
           Json{{"scale", quantity_json(r.scale)}, {"scale_class", r.scale_class}});
    if (o.minerals != r.minerals) note(c, "mineral", o.minerals, r.minerals);
    if (c.fields.empty()) continue;
    order_fields(c);
    for (const auto &m : after.mines)
      if (m.licence_no == r.licence_no) {
        MineChange mc = c;
        mc.mine = m.uid;
        out.push_back(std::move(mc));
      }
  }
  return out;
}

Json to_json(const TriggeredStep &t) {
  Json j{{"registry", t.registry},
         {"subject", t.subject},
         {"event", t.event},
         {"recorded", t.recorded}};
  if (t.recorded)
    j["step"] = to_json(t.step);
  else
    j["reason"] = t.reason;
  return j;
}

std::vector<TriggeredStep>
answer_register_changes(store::Store &store, const std::map<std::string, Lifecycle> &all,
                        const RegisterView &before, const RegisterView &after,
                        const std::string &date, const std::string &actor,
                        const std::string &source) {
  std::vector<TriggeredStep> out;
  const auto changes = register_changes(before, after);
  if (changes.empty()) return out;
  std::map<std::string, const Mine *> mines;
  for (const auto &m : after.mines)
    mines[m.uid] = &m;
  for (const auto &[id, lc] : all) {
    for (const auto &rt : lc.register_triggers) {
      const Transition *t = lc.transition(rt.event);
      // One step per mine and lifecycle, however many versions (mine, right) changed it.
      std::map<std::string, std::vector<const MineChange *>> by_mine;
      for (const auto &c : changes)
        for (const auto &f : c.fields)
          if (std::find(rt.fields.begin(), rt.fields.end(), f) != rt.fields.end()) {
            by_mine[c.mine].push_back(&c);
            break;
          }
      for (const auto &[uid, cs] : by_mine) {
        auto mit = mines.find(uid);
        const Mine *mine = mit == mines.end() ? nullptr : mit->second;
        SubjectState s = replay(lc, uid, store.registry_events(lc.id, uid), mine);
        if (std::find(t->from.begin(), t->from.end(), s.state) == t->from.end())
          continue; // nothing assessed or planned to revisit, or already being revisited
        Json trigger{{"by", actor}, {"source", source}, {"changes", Json::array()}};
        std::string first;
        for (const auto &f : rt.fields)
          for (const MineChange *c : cs)
            if (first.empty() &&
                std::find(c->fields.begin(), c->fields.end(), f) != c->fields.end())
              first = f;
        for (const MineChange *c : cs)
          trigger["changes"].push_back(Json{
              {"via", c->via}, {"fields", c->fields}, {"before", c->before}, {"after", c->after}});
        TriggeredStep ts;
        ts.registry = lc.id;
        ts.subject = uid;
        ts.event = rt.event;
        Step step;
        step.subject = uid;
        step.event = rt.event;
        step.date = date;
        step.who = kSystemRole;
        step.role = kSystemRole;
        step.params = Json{{rt.param, first}};
        step.trigger = trigger;
        try {
          ts.step = apply_step(store, lc, step);
          ts.recorded = true;
        } catch (const InputError &e) {
          ts.reason = e.detail();
        }
        out.push_back(std::move(ts));
      }
    }
  }
  return out;
}

std::vector<TriggeredStep>
answer_register_changes(store::Store &store, const std::map<std::string, Lifecycle> &all,
                        const RegisterView &before, const std::string &date,
                        const std::string &actor, const std::string &source) {
  return answer_register_changes(store, all, before, register_view(store), date, actor, source);
}

} // namespace mineplan::registry
