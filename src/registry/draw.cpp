#include "registry/draw.hpp"

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "monitor/register.hpp"
#include "registry/dates.hpp"

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

namespace mineplan::registry {
namespace {

// A uniform index below n from the raw 64-bit output: the low values that would bias the
// modulo are rejected (2^64 mod n of them).
std::uint64_t below(std::mt19937_64 &eng, std::uint64_t n) {
  const std::uint64_t threshold = (0 - n) % n;
  std::uint64_t x = eng();
  while (x < threshold)
    x = eng();
  return x % n;
}

// The first k of a partial Fisher-Yates shuffle of v.
std::vector<std::string> choose(std::mt19937_64 &eng, std::vector<std::string> v, std::size_t k) {
  k = std::min(k, v.size());
  for (std::size_t i = 0; i < k; ++i) {
    std::size_t j = i + static_cast<std::size_t>(below(eng, v.size() - i));
    std::swap(v[i], v[j]);
  }
  v.resize(k);
  return v;
}

std::string draw_registry(const Lifecycle &lc) {
  return lc.id + "-draw";
}

} // namespace

void perform_draw(DrawRecord &r) {
  std::mt19937_64 eng(r.seed);
  r.drawn =
      choose(eng, r.population, static_cast<std::size_t>(std::max<std::int64_t>(0, r.batch_size)));
  r.inspectors.clear();
  for (const auto &s : r.drawn)
    r.inspectors[s] = choose(eng, r.pool, static_cast<std::size_t>(r.experts_per_subject));
}

std::vector<DrawRecord> draws(store::Store &store, const Lifecycle &lc) {
  std::vector<DrawRecord> out;
  for (const auto &e : store.registry_events(draw_registry(lc), ""))
    out.push_back(draw_from_json(e.data));
  return out;
}

namespace {

// The subjects in the lifecycle's population states on `date` within `jurisdiction`, seeing
// only steps recorded before `before_id` (0 = all).
std::vector<std::string> population_on(store::Store &store, const Lifecycle &lc,
                                       const std::string &jurisdiction, const std::string &date,
                                       std::int64_t before_id) {
  const InspectionRule &in = *lc.inspection;
  auto mines = store.mines(store::AsOf{date});
  monitor::Register reg(store);
  const auto &scope = reg.scope(jurisdiction);
  std::map<std::string, std::vector<store::RegistryEvent>> by_subject;
  for (auto &e : store.registry_events(lc.id, ""))
    if (e.date <= date && (before_id == 0 || e.id < before_id))
      by_subject[e.subject].push_back(std::move(e));
  std::vector<std::string> out;
  for (const auto &m : mines) {
    if (!scope.count(m.jurisdiction)) continue;
    auto it = by_subject.find(m.uid);
    SubjectState s = replay(
        lc, m.uid, it == by_subject.end() ? std::vector<store::RegistryEvent>{} : it->second, &m);
    if (std::find(in.population_states.begin(), in.population_states.end(), s.state) !=
        in.population_states.end())
      out.push_back(m.uid);
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

DrawRecord draw_inspections(store::Store &store, const Lifecycle &lc,
                            const std::string &jurisdiction, const std::string &date,
                            const std::vector<std::string> &expert_pool,
                            std::optional<std::uint64_t> seed, const std::string &who,
                            const std::string &role) {
  const std::string where = draw_registry(lc);
  if (!lc.inspection)
    throw InputError(lc.id, 0, "inspection",
                     "该名录没有抽查规定 (this lifecycle has no inspections)");
  const InspectionRule &in = *lc.inspection;
  if (std::find(in.roles.begin(), in.roles.end(), role) == in.roles.end())
    throw InputError(where, 0, "role",
                     "该角色不能组织抽查 ('" + role + "' may not draw inspections)");
  Date d = parse_date(date);
  DrawRecord r;
  r.jurisdiction = jurisdiction;
  r.date = date;
  r.year = d.year;
  r.quarter = (d.month - 1) * in.batches / 12 + 1;
  r.id = jurisdiction + "/" + std::to_string(r.year) + "-Q" + std::to_string(r.quarter);
  if (!store.registry_events(where, r.id).empty())
    throw InputError(where, 0, r.id, "本批次已抽取 (this batch has been drawn already)");
  r.pool = expert_pool;
  std::sort(r.pool.begin(), r.pool.end());
  r.pool.erase(std::unique(r.pool.begin(), r.pool.end()), r.pool.end());
  r.experts_per_subject = in.experts_per_subject;
  if (static_cast<int>(r.pool.size()) < in.experts_per_subject)
    throw InputError(where, 0, "experts",
                     "专家库人数不足 (the expert pool has " + std::to_string(r.pool.size()) +
                         " experts; expected at least " + std::to_string(in.experts_per_subject) +
                         ")");
  std::set<std::string> drawn_this_year;
  for (const auto &prev : draws(store, lc))
    if (prev.jurisdiction == jurisdiction && prev.year == r.year)
      drawn_this_year.insert(prev.drawn.begin(), prev.drawn.end());
  auto listed = population_on(store, lc, jurisdiction, date, 0);
  r.listed = static_cast<std::int64_t>(listed.size());
  for (const auto &s : listed)
    if (!drawn_this_year.count(s)) r.population.push_back(s);
  r.drawn_before = static_cast<std::int64_t>(drawn_this_year.size());
  // ceil without floating error: share is data (e.g. 0.2).
  r.year_quota = static_cast<std::int64_t>(std::ceil(in.share * r.listed - 1e-9));
  std::int64_t by_now = (r.year_quota * r.quarter + in.batches - 1) / in.batches;
  r.batch_size = std::clamp<std::int64_t>(by_now - r.drawn_before, 0,
                                          static_cast<std::int64_t>(r.population.size()));
  if (seed) {
    r.seed = *seed;
  } else {
    std::random_device rd;
    r.seed = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }
  perform_draw(r);
  store::RegistryEvent e;
  e.registry = where;
  e.subject = r.id;
  e.event = "draw";
  e.from_state = "";
  e.to_state = "drawn";
  e.date = date;
  e.who = who;
  e.role = role;
  e.data = to_json(r);
  store.append_registry_event(e, std::nullopt);
  return r;
}

DrawCheck verify_draw(store::Store &store, const Lifecycle &lc, const std::string &draw_id) {
  auto evs = store.registry_events(draw_registry(lc), draw_id);
  if (evs.empty()) throw InputError(draw_registry(lc), 0, draw_id, "没有该抽查批次 (no such draw)");
  DrawCheck c;
  c.recorded = draw_from_json(evs.front().data);
  c.redrawn = c.recorded;
  perform_draw(c.redrawn);
  if (c.redrawn.drawn != c.recorded.drawn)
    c.problems.push_back("the recorded mines are not what the recorded seed draws");
  if (c.redrawn.inspectors != c.recorded.inspectors)
    c.problems.push_back("the recorded inspectors are not what the recorded seed draws");
  // The population as the registry stood when the draw was made.
  auto listed = population_on(store, lc, c.recorded.jurisdiction, c.recorded.date, evs.front().id);
  std::set<std::string> before;
  for (const auto &prev : draws(store, lc))
    if (prev.jurisdiction == c.recorded.jurisdiction && prev.year == c.recorded.year &&
        prev.quarter < c.recorded.quarter)
      before.insert(prev.drawn.begin(), prev.drawn.end());
  std::vector<std::string> expected;
  for (const auto &s : listed)
    if (!before.count(s)) expected.push_back(s);
  if (expected != c.recorded.population)
    c.problems.push_back("the recorded population (" +
                         std::to_string(c.recorded.population.size()) +
                         ") is not the list as it stood on " + c.recorded.date + " (" +
                         std::to_string(expected.size()) + ")");
  const InspectionRule &in = *lc.inspection;
  std::int64_t quota = static_cast<std::int64_t>(std::ceil(in.share * c.recorded.listed - 1e-9));
  if (quota != c.recorded.year_quota)
    c.problems.push_back("the year's quota does not follow from the share");
  c.ok = c.problems.empty();
  return c;
}

Json to_json(const DrawRecord &r) {
  Json insp = Json::object();
  for (const auto &[k, v] : r.inspectors)
    insp[k] = v;
  return Json{{"id", r.id},
              {"jurisdiction", r.jurisdiction},
              {"date", r.date},
              {"year", r.year},
              {"quarter", r.quarter},
              {"seed", std::to_string(r.seed)},
              {"algorithm", r.algorithm},
              {"listed", r.listed},
              {"year_quota", r.year_quota},
              {"drawn_before", r.drawn_before},
              {"batch_size", r.batch_size},
              {"experts_per_subject", r.experts_per_subject},
              {"population", r.population},
              {"pool", r.pool},
              {"drawn", r.drawn},
              {"inspectors", insp}};
}

DrawRecord draw_from_json(const Json &j) {
  DrawRecord r;
  r.id = j.at("id").get<std::string>();
  r.jurisdiction = j.at("jurisdiction").get<std::string>();
  r.date = j.at("date").get<std::string>();
  r.year = j.at("year").get<int>();
  r.quarter = j.at("quarter").get<int>();
  r.seed = std::stoull(j.at("seed").get<std::string>());
  r.algorithm = j.at("algorithm").get<std::string>();
  r.listed = j.at("listed").get<std::int64_t>();
  r.year_quota = j.at("year_quota").get<std::int64_t>();
  r.drawn_before = j.at("drawn_before").get<std::int64_t>();
  r.batch_size = j.at("batch_size").get<std::int64_t>();
  r.experts_per_subject = j.at("experts_per_subject").get<int>();
  r.population = j.at("population").get<std::vector<std::string>>();
  r.pool = j.at("pool").get<std::vector<std::string>>();
  r.drawn = j.at("drawn").get<std::vector<std::string>>();
  for (const auto &[k, v] : j.at("inspectors").items())
    r.inspectors[k] = v.get<std::vector<std::string>>();
  return r;
}

std::vector<std::string> load_expert_pool(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path + ": cannot read");
  std::stringstream ss;
  ss << in.rdbuf();
  Json j = parse_json_text(ss.str(), path);
  if (j.is_object() && j.contains("experts")) j = j.at("experts");
  if (!j.is_array()) throw InputError(path, 0, "$", "expected an array of experts");
  std::vector<std::string> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (j[i].is_string())
      out.push_back(j[i].get<std::string>());
    else if (j[i].is_object() && j[i].contains("id") && j[i].at("id").is_string())
      out.push_back(j[i].at("id").get<std::string>());
    else
      throw InputError(path, 0, "$[" + std::to_string(i) + "]", "expected an id or {\"id\": …}");
  }
  return out;
}

} // namespace mineplan::registry
