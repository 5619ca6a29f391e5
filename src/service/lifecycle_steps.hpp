#pragma once
// Use cases of the registries (docs/registries.md): take a lifecycle step — on the green list,
// in the consolidation program, in a mine's restoration, in the program's rectification ledger,
// on a legacy site — and draw the random inspections. Each decides who may act where (the
// lifecycle says which role takes which step; the use case, whose subject it is and in which
// jurisdiction), records the step with its audit row in one transaction (the store's
// append_registry_event, with the register change the step makes) and tells the read model
// when the register changed.
#include "registry/draw.hpp"
#include "registry/lifecycle.hpp"
#include "service/actor.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mineplan::service {

// The lifecycles' ids (data/lifecycles).
inline constexpr const char *kGreenMine = "green-mine";
inline constexpr const char *kConsolidation = "consolidation";
inline constexpr const char *kRestoration = "restoration";
inline constexpr const char *kRectification = "program-rectification";
inline constexpr const char *kLegacy = "legacy-restoration";

struct StepDeps {
  store::Store &store;
  const std::map<std::string, registry::Lifecycle> &lifecycles;
  const Places &places;
  ChangeSink changed;
};

// NotFound when the lifecycle is not loaded.
const registry::Lifecycle &lifecycle(const std::map<std::string, registry::Lifecycle> &all,
                                     const std::string &id);

// The consolidation program's place (extra.jurisdiction; seed 003: 150824), empty when unset.
std::string program_jurisdiction(const registry::Lifecycle &lc);

// A subject the actor may take steps on in one lifecycle: made only by authorise_step.
class StepTarget {
public:
  const registry::Lifecycle &lifecycle() const { return *lifecycle_; }
  const std::string &subject() const { return subject_; } // as recorded (a right's uid)
  const std::optional<Mine> &mine() const { return mine_; }

private:
  friend StepTarget authorise_step(StepDeps deps, const Actor &actor, const std::string &registry,
                                   const std::string &subject);
  StepTarget(const registry::Lifecycle &lc, std::string subject, std::optional<Mine> mine)
      : lifecycle_(&lc), subject_(std::move(subject)), mine_(std::move(mine)) {}
  const registry::Lifecycle *lifecycle_;
  std::string subject_;
  std::optional<Mine> mine_;
};

// Who may act on which subject. For a portal actor: NotFound when the lifecycle is not loaded
// or the subject is not in the register (the site not in the seeds), Forbidden when the actor
// may not act on it (role, jurisdiction, links), Conflict when a right lies outside the
// program's area. The operator (CLI) acts on the subject as given.
StepTarget authorise_step(StepDeps deps, const Actor &actor, const std::string &registry,
                          const std::string &subject);

struct StepInput {
  std::string event;
  std::string date;
  Json params = Json::object();
};

struct StepOutcome {
  store::RegistryEvent step;
  registry::SubjectState state; // the subject's state after the step
};

// Takes the step: checked by the lifecycle and recorded with its audit row (and the register
// change it makes) in one transaction. For a portal actor a refusal of the lifecycle is
// Forbidden (the role may not), Conflict (the subject's state or history forbids the step) or
// invalid input; the operator sees the lifecycle's own InputError.
StepOutcome take_step(StepDeps deps, const Actor &actor, const StepTarget &target,
                      const StepInput &input);

struct DrawRequest {
  std::string jurisdiction; // empty: the actor's
  std::string date;
  std::vector<std::string> experts;
  std::optional<std::uint64_t> seed;
};

// Forbidden unless the actor is staff of `jurisdiction` (empty: the actor's own).
void check_may_draw(const Actor &actor, const Places &places, const std::string &jurisdiction);

// Staff of the jurisdiction draw the quarter's inspections of the green list (recorded as a
// step). Forbidden for other roles or places, Conflict when the quarter is drawn already.
registry::DrawRecord draw_inspections(StepDeps deps, const Actor &actor,
                                      const DrawRequest &request);

} // namespace mineplan::service
