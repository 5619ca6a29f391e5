// The review engine: indexes an EngineSource read once (plans with their rules and zones,
// divisions, minerals, current rights; shared with the read model, its geometry not copied)
// and reviews applications against the plan chain of their place and date. See
// docs/review.md.
#include "review/engine.hpp"

#include "core/error.hpp"
#include "core/model_json.hpp"
#include "review/rules_context.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstring>

namespace mineplan::review {

using namespace detail;

namespace {

// An FNV-style hash over the coordinates themselves, one 64-bit word per double: a survey that
// moves a vertex is a new plan version, and hashing doubles is far cheaper than dumping
// millions of them as JSON (region scale: 5 million red-line vertices at every engine start).
std::string geometry_fingerprint(const geo::MultiPolygon &mp) {
  std::uint64_t h = 1469598103934665603ULL;
  auto mix = [&h](double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    h ^= bits;
    h *= 1099511628211ULL;
    h ^= h >> 29; // the multiply only carries upwards: fold the high bits back down
  };
  for (const auto &poly : mp) {
    mix(static_cast<double>(poly.outer.size()));
    for (const auto &p : poly.outer) {
      mix(p.x);
      mix(p.y);
    }
    for (const auto &ring : poly.holes) {
      mix(-static_cast<double>(ring.size()));
      for (const auto &p : ring) {
        mix(p.x);
        mix(p.y);
      }
    }
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string plan_version(const PlanData &pd) {
  Json rules = Json::array(), zones = Json::array(), targets = Json::array();
  for (const auto &r : pd.rules)
    rules.push_back(to_json(r));
  for (const auto &z : pd.zones) {
    Json j = to_json(z);
    if (z.geometry) j["geometry_fingerprint"] = geometry_fingerprint(*z.geometry);
    zones.push_back(j);
  }
  for (const auto &t : pd.targets)
    targets.push_back(to_json(t));
  return content_fingerprint(
      Json{{"plan", to_json(pd.plan)}, {"rules", rules}, {"zones", zones}, {"targets", targets}});
}

int type_rank(const std::string &type) {
  // Within one jurisdiction the master plan first, then programs and special plans.
  return type == "master" ? 0 : 1;
}

int severity(Outcome o) {
  switch (o) {
  case Outcome::Fail: return 3;
  case Outcome::Attention: return 2;
  case Outcome::Pass: return 1;
  case Outcome::NotApplicable: return 0;
  }
  return 0;
}

// Stricter wins: among findings of different plans that speak to the same point, the
// strictest (then the more severe outcome, then the nearer plan) decides; the others stay in
// the result, marked superseded_by it, and no longer count for the verdict. Findings of the
// same plan are never superseded by each other: a plan means all its clauses.
void apply_stricter_wins(std::vector<Scored> &all) {
  std::map<std::string, std::vector<std::size_t>> by_point;
  for (std::size_t i = 0; i < all.size(); ++i)
    if (!all[i].point.empty() && all[i].finding.outcome != Outcome::NotApplicable)
      by_point[all[i].point].push_back(i);
  for (auto &[point, idx] : by_point) {
    std::set<std::string> plans;
    for (auto i : idx)
      plans.insert(all[i].finding.plan);
    if (plans.size() < 2) continue;
    std::size_t win = idx.front();
    for (auto i : idx) {
      const Scored &a = all[i], &w = all[win];
      if (a.strictness != w.strictness) {
        if (a.strictness > w.strictness) win = i;
      } else if (severity(a.finding.outcome) != severity(w.finding.outcome)) {
        if (severity(a.finding.outcome) > severity(w.finding.outcome)) win = i;
      } else if (a.chain_index < w.chain_index) {
        win = i;
      }
    }
    for (auto i : idx)
      if (all[i].finding.plan != all[win].finding.plan)
        all[i].finding.superseded_by = all[win].finding.rule;
  }
}

} // namespace

const Zone *detail::PlanInfo::zone(const std::string &id) const {
  for (const auto &z : data.zones)
    if (z.id == id) return &z;
  return nullptr;
}

struct ReviewEngine::Impl {
  std::shared_ptr<const EngineSource> source;
  std::vector<PlanInfo> plans; // by plan id
  std::map<std::string, const Division *> divisions;
  std::map<std::string, std::string> parent_of;
  std::unique_ptr<MineralMatcher> minerals;
  std::vector<RightInfo> rights;
  std::map<std::string, std::size_t> right_by_uid; // uid and licence number
  std::map<std::string, std::vector<std::size_t>> rights_under;
  std::string register_version;
  SpatialIndex index;
  mutable std::atomic<std::uint64_t> reviews_run{0};

  // A geometry of the source, shared (the source stays alive as long as the feature).
  geo::SharedGeometry shared(const geo::MultiPolygon &g) const {
    return geo::SharedGeometry(std::shared_ptr<const geo::MultiPolygon>(source, &g));
  }
};

std::shared_ptr<EngineSource> read_engine_source(store::Store &store) {
  auto src = std::make_shared<EngineSource>();
  src->divisions = store.divisions();
  src->minerals = store.minerals();
  src->summaries = store.plan_summaries();
  src->plans.reserve(src->summaries.size());
  for (const auto &summary : src->summaries) {
    auto pd = store.plan(summary.plan.id);
    if (!pd) throw Error("review engine: plan " + summary.plan.id + " listed but not readable");
    // Rights and mines of the plan are in the register (Store::rights); drop the copies.
    pd->rights.clear();
    pd->mines.clear();
    pd->tables.clear();
    pd->statistics.clear();
    src->plans.push_back(std::move(*pd));
  }
  src->rights = store.rights({});
  return src;
}

ReviewEngine::ReviewEngine(store::Store &store) : ReviewEngine(read_engine_source(store)) {}

ReviewEngine::ReviewEngine(std::shared_ptr<const EngineSource> source)
    : impl_(std::make_unique<Impl>()) {
  Impl &m = *impl_;
  if (!source) throw Error("review engine: no source");
  m.source = std::move(source);
  const EngineSource &src = *m.source;
  for (const auto &d : src.divisions) {
    m.parent_of[d.code] = d.parent;
    m.divisions.emplace(d.code, &d);
  }
  m.minerals = std::make_unique<MineralMatcher>(src.minerals);

  std::vector<const PlanData *> by_id;
  for (const auto &pd : src.plans)
    by_id.push_back(&pd);
  std::sort(by_id.begin(), by_id.end(),
            [](const PlanData *a, const PlanData *b) { return a->plan.id < b->plan.id; });
  m.plans.reserve(by_id.size());
  for (const PlanData *pd : by_id) {
    PlanInfo &p = m.plans.emplace_back(*pd);
    p.version = plan_version(*pd);
    // Every zone's geometry stays in the source: the index shares it.
    for (const auto &z : pd->zones) {
      if (!z.geometry) continue;
      p.mapped.insert(z.id);
      p.mapped_kinds.insert(z.kind);
      SpatialFeature f;
      f.layer = "zone";
      f.id = pd->plan.id + "/" + z.id;
      f.plan_id = pd->plan.id;
      f.kind = z.kind;
      f.name = z.name;
      for (const auto &mn : z.minerals)
        f.minerals.push_back(m.minerals->canonical(mn));
      f.lonlat = m.shared(*z.geometry);
      m.index.add(std::move(f));
    }
    for (const auto &z : pd->zones)
      if (!p.mapped.count(z.id)) p.unmapped_by_kind[z.kind].push_back(&z);
  }

  Json register_json = Json::array();
  for (const auto &r : src.rights) {
    register_json.push_back(to_json(r));
    if (r.geometry)
      register_json.back()["geometry_fingerprint"] = geometry_fingerprint(*r.geometry);
    RightInfo ri;
    ri.uid = r.uid;
    ri.licence_no = r.licence_no;
    ri.kind = r.kind;
    ri.holder = r.holder;
    for (const auto &mn : r.minerals)
      ri.minerals.push_back(m.minerals->canonical(mn));
    ri.scale = r.scale;
    ri.status = r.status;
    ri.valid_from = r.valid_from;
    ri.valid_to = r.valid_to;
    ri.jurisdiction = r.jurisdiction;
    ri.has_geometry = r.geometry.has_value();
    if (r.geometry) {
      SpatialFeature f;
      f.layer = "right";
      f.id = r.uid;
      f.kind = r.kind;
      f.name = r.name;
      f.holder = r.holder;
      f.minerals = ri.minerals;
      f.lonlat = m.shared(*r.geometry);
      m.index.add(std::move(f));
    }
    std::string code = ri.jurisdiction;
    for (int depth = 0; depth < 8 && !code.empty(); ++depth) { // depth: a parent cycle ends
      m.rights_under[code].push_back(m.rights.size());
      auto it = m.parent_of.find(code);
      code = it == m.parent_of.end() ? std::string() : it->second;
    }
    m.right_by_uid.emplace(ri.uid, m.rights.size());
    if (!ri.licence_no.empty()) m.right_by_uid.emplace(ri.licence_no, m.rights.size());
    m.rights.push_back(std::move(ri));
  }
  m.register_version = content_fingerprint(register_json);
  m.index.build();
}

ReviewEngine::~ReviewEngine() = default;

const SpatialIndex &ReviewEngine::index() const {
  return impl_->index;
}

std::vector<const PlanData *> ReviewEngine::plan_chain(const std::string &jurisdiction,
                                                       const std::string &date) const {
  const Impl &m = *impl_;
  // The jurisdiction and its ancestors, nearest first (county, league, region).
  std::vector<std::string> codes;
  for (std::string c = jurisdiction; !c.empty() && codes.size() < 8;) {
    codes.push_back(c);
    auto it = m.parent_of.find(c);
    c = it == m.parent_of.end() ? std::string() : it->second;
  }
  std::vector<std::pair<std::tuple<std::size_t, int, std::string>, const PlanData *>> found;
  for (const auto &p : m.plans) {
    const Plan &pl = p.data.plan;
    auto at = std::find(codes.begin(), codes.end(), pl.jurisdiction);
    if (at == codes.end()) continue;
    if (!pl.in_force_from.empty() && date < pl.in_force_from) continue;
    if (!pl.in_force_to.empty() && date > pl.in_force_to) continue;
    found.push_back(
        {{static_cast<std::size_t>(at - codes.begin()), type_rank(pl.type), pl.id}, &p.data});
  }
  std::sort(found.begin(), found.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
  std::vector<const PlanData *> out;
  for (const auto &f : found)
    out.push_back(f.second);
  return out;
}

ReviewResult ReviewEngine::review(const Application &app) const {
  const Impl &m = *impl_;
  if (!m.divisions.count(app.jurisdiction))
    throw InputError("application", 0, "jurisdiction",
                     "unknown division '" + app.jurisdiction +
                         "' (not among the store's divisions)");
  auto chain_data = plan_chain(app.jurisdiction, app.date);
  if (chain_data.empty()) {
    // Say which plans exist for this place, so the applicant sees why the date is outside.
    std::string known;
    for (const auto &p : m.plans) {
      const Plan &pl = p.data.plan;
      for (std::string c = app.jurisdiction; !c.empty();) {
        if (pl.jurisdiction == c) {
          known += (known.empty() ? "" : ", ") + pl.id + " [" + pl.in_force_from + " .. " +
                   pl.in_force_to + "]";
          break;
        }
        auto it = m.parent_of.find(c);
        c = it == m.parent_of.end() ? std::string() : it->second;
      }
    }
    throw InputError("application", 0, "date",
                     "no plan is in force for " + app.jurisdiction + " (" +
                         m.divisions.at(app.jurisdiction)->name + ") on " + app.date +
                         (known.empty() ? " (the store holds no plan of this place or above it)"
                                        : "; plans of its chain: " + known));
  }

  Context c{app,         *m.minerals, m.index, {}, m.rights, m.right_by_uid, m.rights_under,
            m.parent_of, {},          {}};
  for (const PlanData *pd : chain_data)
    for (const auto &p : m.plans)
      if (&p.data == pd) c.chain.push_back(&p);
  if (app.boundary_lonlat) {
    // Validated once; projected once, when the application was parsed (its planar form).
    const Boundary boundary =
        app.boundary_planar && app.planar_crs
            ? Boundary(*app.boundary_lonlat, *app.boundary_planar, app.planar_crs->zone)
            : Boundary(*app.boundary_lonlat);
    c.zone_hits = m.index.query(boundary, "zone");
    c.right_hits = m.index.query(boundary, "right");
    // Deterministic order whatever the index returns.
    auto by_id = [](const SpatialHit &a, const SpatialHit &b) {
      return a.feature->id < b.feature->id;
    };
    std::sort(c.zone_hits.begin(), c.zone_hits.end(), by_id);
    std::sort(c.right_hits.begin(), c.right_hits.end(), by_id);
  }

  std::vector<Scored> scored;
  for (const PlanInfo *p : c.chain)
    for (const auto &r : p->data.rules) {
      if (r.type == "mineral_policy")
        check_mineral_policy(c, *p, r, scored);
      else if (r.type == "min_scale")
        check_min_scale(c, *p, r, scored);
      else if (r.type == "timing")
        check_timing(c, *p, r, scored);
      else if (r.type == "quota")
        check_quota(c, *p, r, scored);
      else if (r.type == "access_condition")
        check_access_condition(c, *p, r, scored);
      else if (r.type == "zone_control")
        check_zone_control(c, *p, r, scored);
      else if (r.type == "provision")
        check_provision(c, *p, r, scored);
    }
  check_overlap(c, scored);
  check_register(c, scored);
  check_boundary(c, scored);
  apply_stricter_wins(scored);
  m.reviews_run.fetch_add(1, std::memory_order_relaxed);

  ReviewResult result;
  for (auto &s : scored)
    result.findings.push_back(std::move(s.finding));
  result.verdict = verdict_of(result.findings);
  for (const PlanInfo *p : c.chain)
    result.plans.push_back(
        AppliedPlan{p->data.plan.id, p->data.plan.title, p->data.plan.level, p->version});
  result.input_hash = input_hash(app.raw);
  return result;
}

std::vector<const SpatialFeature *> ReviewEngine::features_of(const ReviewResult &result) const {
  const Impl &m = *impl_;
  std::vector<const SpatialFeature *> out;
  std::set<std::string> done;
  for (const auto &f : result.findings)
    for (const auto &id : f.features) {
      if (!done.insert(id).second) continue;
      if (const SpatialFeature *feature = m.index.find(id)) out.push_back(feature);
    }
  return out;
}

std::string ReviewEngine::register_version() const {
  return impl_->register_version;
}

const std::vector<Mineral> &ReviewEngine::minerals() const {
  return impl_->source->minerals;
}

const std::vector<Division> &ReviewEngine::divisions() const {
  return impl_->source->divisions;
}

const EngineSource &ReviewEngine::source() const {
  return *impl_->source;
}

std::uint64_t ReviewEngine::reviews_run() const {
  return impl_->reviews_run.load(std::memory_order_relaxed);
}

store::ReviewRecord review_record(const Application &app, const ReviewResult &result,
                                  const ReviewEngine &engine, const std::string &who) {
  store::ReviewRecord rec;
  rec.who = who;
  rec.input_hash = result.input_hash;
  rec.verdict = result.verdict;
  rec.application = app.raw;
  rec.plan_versions = Json::array();
  for (const auto &p : result.plans)
    rec.plan_versions.push_back(Json{{"id", p.id}, {"version", p.version}});
  rec.result = to_json(result);
  rec.result["register_version"] = engine.register_version();
  return rec;
}

} // namespace mineplan::review
