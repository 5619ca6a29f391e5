#include "service/lifecycle_steps.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cctype>

namespace mineplan::service {

namespace {

Mine mine_or_not_found(store::Store &st, const std::string &uid) {
  auto m = registry::current_mine(st, uid);
  if (!m) throw NotFound(std::string("no mine '").append(uid).append("'"));
  return *m;
}

// Forbidden unless the actor is staff whose jurisdiction holds `code`.
void require_staff_within(const Actor &actor, const Places &places, const std::string &code,
                          const std::string &what) {
  if (actor.everywhere) return;
  if (!actor.staff()) throw Forbidden(std::string("only staff ").append(what));
  if (!places.within(code, actor.jurisdiction))
    throw Forbidden(std::string(places.name(code))
                        .append(" (")
                        .append(code)
                        .append(") lies outside your jurisdiction ")
                        .append(places.name(actor.jurisdiction))
                        .append(" (")
                        .append(actor.jurisdiction)
                        .append(")"),
                    "jurisdiction");
}

// A refusal of the lifecycle as a kind: the role may not (Forbidden), the subject's state or
// history forbids the step (Conflict), anything else is invalid input.
[[noreturn]] void refuse(const InputError &e, const std::string &event) {
  if (e.field() == "role") throw Forbidden(e.detail(), e.field());
  if (e.field() == event) throw Conflict(e.detail(), e.field());
  throw Refusal(ErrorKind::invalid_input, e.detail(), e.field());
}

// Ledger item ids are chosen by the bureau (e.g. ZG-2026-001): letters, digits, - _ . only, so
// they travel in a path segment unescaped.
void check_ledger_id(const std::string &id) {
  const bool ok =
      !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](unsigned char ch) {
        return std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.';
      });
  if (!ok)
    throw Refusal(ErrorKind::invalid_input,
                  "a ledger item id is 1-64 letters, digits, '-', '_' or '.'", "id");
}

// Who may act on the subject, and the subject as recorded (a right's uid for its licence
// number). Returns the subject's mine when the lifecycle's subject is a mine.
std::optional<Mine> authorise(StepDeps &deps, const Actor &actor, const registry::Lifecycle &lc,
                              std::string &subject) {
  if (actor.everywhere) return std::nullopt;
  const Places &places = deps.places;
  if (lc.id == kGreenMine) {
    // Staff and reviewers act within their jurisdiction, a holder on the mines linked to the
    // account; which steps each role may take is the lifecycle's to say.
    Mine mine = mine_or_not_found(deps.store, subject);
    if (actor.role == "holder") {
      require_linked(actor, licence_key(mine));
    } else if (actor.role == "reviewer") {
      if (!places.within(mine.jurisdiction, actor.jurisdiction))
        throw Forbidden("the mine lies outside your jurisdiction", "jurisdiction");
    } else {
      require_staff_within(actor, places, mine.jurisdiction, "record green-list steps");
    }
    return mine;
  }
  if (lc.id == kRestoration) {
    // Staff of the place and a holder linked to the mine's licence.
    Mine mine = mine_or_not_found(deps.store, subject);
    if (actor.role == "holder")
      require_linked(actor, licence_key(mine));
    else
      require_staff_within(actor, places, mine.jurisdiction, "record restoration steps");
    return mine;
  }
  if (lc.id == kConsolidation) {
    std::optional<Right> right;
    for (auto &r : deps.store.rights(store::AsOf{}))
      if (r.uid == subject || r.licence_no == subject) right = std::move(r);
    if (!right)
      throw NotFound(std::string("no right '").append(subject).append("' in the register"));
    const std::string program = program_jurisdiction(lc);
    const std::string place = right->jurisdiction.empty() ? program : right->jurisdiction;
    if (actor.role == "holder") {
      // The lifecycle lets a holder report progress of a right linked to the account.
      require_linked(actor, licence_key(*right));
    } else {
      require_staff_within(actor, places, place, "record the program's steps");
      if (!program.empty() && !places.within(place, program))
        throw Conflict(std::string("the right lies in ")
                           .append(place)
                           .append(", outside the program's area ")
                           .append(program),
                       "jurisdiction");
    }
    subject = right->uid;
    return std::nullopt;
  }
  if (lc.id == kRectification) {
    check_ledger_id(subject);
    const std::string place = program_jurisdiction(lc);
    if (place.empty())
      throw Conflict(std::string(lc.file).append(": extra.jurisdiction is not set"));
    // Staff whose jurisdiction holds the program's county; the lifecycle then says which of
    // them (the county's working group) records each step.
    require_staff_within(actor, places, place, "record the rectification ledger");
    return std::nullopt;
  }
  if (lc.id == kLegacy) {
    std::string code;
    if (lc.extra.contains("sites"))
      for (const auto &site : lc.extra.at("sites"))
        if (site.at("id") == subject) code = site.at("jurisdiction").get<std::string>();
    if (code.empty()) throw NotFound(std::string("no legacy site '").append(subject).append("'"));
    // Staff of the site's place (the government responsible, or above it).
    require_staff_within(actor, places, code, "record the restoration of legacy sites");
    return std::nullopt;
  }
  // Another lifecycle: staff, wherever; the lifecycle's roles decide the rest.
  require_staff(actor, "record registry steps");
  return std::nullopt;
}

} // namespace

const registry::Lifecycle &lifecycle(const std::map<std::string, registry::Lifecycle> &all,
                                     const std::string &id) {
  auto it = all.find(id);
  if (it == all.end())
    throw NotFound(
        std::string("the lifecycle '").append(id).append("' is not loaded (data/lifecycles)"));
  return it->second;
}

std::string program_jurisdiction(const registry::Lifecycle &lc) {
  if (lc.extra.contains("jurisdiction") && lc.extra.at("jurisdiction").is_string())
    return lc.extra.at("jurisdiction").get<std::string>();
  return {};
}

StepTarget authorise_step(StepDeps deps, const Actor &actor, const std::string &registry,
                          const std::string &subject) {
  const registry::Lifecycle &lc = lifecycle(deps.lifecycles, registry);
  std::string recorded = subject;
  std::optional<Mine> mine = authorise(deps, actor, lc, recorded);
  return StepTarget(lc, std::move(recorded), std::move(mine));
}

StepOutcome take_step(StepDeps deps, const Actor &actor, const StepTarget &target,
                      const StepInput &input) {
  const registry::Lifecycle &lc = target.lifecycle();
  registry::Step step;
  step.subject = target.subject();
  step.event = input.event;
  step.date = input.date;
  step.params = input.params;
  step.who = actor.username;
  step.role = actor.role;
  deps.store.set_actor(actor.audit_actor());
  StepOutcome out;
  if (actor.everywhere) {
    out.step = registry::apply_step(deps.store, lc, step);
  } else {
    if (step.event.empty())
      throw Refusal(ErrorKind::invalid_input, "expected a non-empty string", "event");
    check_date(step.date, "date");
    try {
      out.step = registry::apply_step(deps.store, lc, step);
    } catch (const InputError &e) {
      refuse(e, step.event);
    }
  }
  const registry::Transition *t = lc.transition(out.step.event);
  if (t && t->mine.is_object() && deps.changed) deps.changed(); // the register changed
  // The state as replayed over the mine the step was taken on (the operator's: none).
  const auto &mine = target.mine();
  out.state = registry::replay(lc, step.subject, deps.store.registry_events(lc.id, step.subject),
                               mine ? &*mine : nullptr);
  return out;
}

void check_may_draw(const Actor &actor, const Places &places, const std::string &jurisdiction) {
  require_staff_within(actor, places, jurisdiction.empty() ? actor.jurisdiction : jurisdiction,
                       "draw inspections");
}

registry::DrawRecord draw_inspections(StepDeps deps, const Actor &actor,
                                      const DrawRequest &request) {
  const registry::Lifecycle &lc = lifecycle(deps.lifecycles, kGreenMine);
  const std::string jurisdiction =
      request.jurisdiction.empty() ? actor.jurisdiction : request.jurisdiction;
  check_may_draw(actor, deps.places, jurisdiction);
  deps.store.set_actor(actor.audit_actor());
  if (actor.everywhere)
    return registry::draw_inspections(deps.store, lc, jurisdiction, request.date, request.experts,
                                      request.seed, actor.username, actor.role);
  check_date(request.date, "date");
  try {
    return registry::draw_inspections(deps.store, lc, jurisdiction, request.date, request.experts,
                                      request.seed, actor.username, actor.role);
  } catch (const InputError &err) {
    if (err.field() == "role") throw Forbidden(err.detail(), err.field());
    if (err.detail().find("drawn already") != std::string::npos)
      throw Conflict(err.detail(), err.field());
    throw Refusal(ErrorKind::invalid_input, err.detail(), err.field());
  }
}

} // namespace mineplan::service
