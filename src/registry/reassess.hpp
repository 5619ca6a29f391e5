#pragma once
// Register changes answered by the registries (docs/registries.md, "Register changes"): when a
// new version of a mine — or of the right it works under (same licence number) — changes the
// mine's area, method, scale or mineral, every lifecycle with a `register_triggers` entry for
// that field takes its step on the mine, as the system: a listed green mine goes to
// re-assessment, a planned restoration to re-planning. The store knows nothing of registries,
// so whoever writes the register (server handlers, the CLI) takes a RegisterView before the
// write and calls answer_register_changes() after it.
#include "registry/lifecycle.hpp"

#include <map>
#include <string>
#include <vector>

namespace mineplan::registry {

// The current rights and mines, as a write found them.
struct RegisterView {
  std::vector<Right> rights;
  std::vector<Mine> mines;
};
RegisterView register_view(store::Store &store);

// A mine whose watched fields changed between two views of the register.
struct MineChange {
  std::string mine;
  std::vector<std::string> fields; // area | method | scale | mineral, in that order
  std::string via;                 // "mine" or the uid of the right that changed
  Json before = Json::object();    // the changed fields' values, before and after
  Json after = Json::object();
};
std::vector<MineChange> register_changes(const RegisterView &before, const RegisterView &after);

// What the system did about one change in one lifecycle: the step it recorded, or why not
// (the subject's state does not take the step, the step would predate the last one …).
struct TriggeredStep {
  std::string registry;
  std::string subject;
  std::string event;
  bool recorded = false;
  std::string reason; // when not recorded
  store::RegistryEvent step;
};
Json to_json(const TriggeredStep &t);

// Compares `before` with the register now and records the lifecycles' answers, dated `date`
// (the change's effective date), by who = "system", role = system, with data.trigger = {by:
// `actor`, source, fields, before, after, via}. Subjects in a state the step does not leave
// are skipped silently; other refusals are reported, never thrown: the register change itself
// has been written already.
std::vector<TriggeredStep>
answer_register_changes(store::Store &store, const std::map<std::string, Lifecycle> &all,
                        const RegisterView &before, const std::string &date,
                        const std::string &actor, const std::string &source);
// The same when the caller knows what changed: `before` and `after` hold only the rights and
// mines concerned (one right and the mines under its licence, one mine), so a single update
// does not read the whole register twice.
std::vector<TriggeredStep>
answer_register_changes(store::Store &store, const std::map<std::string, Lifecycle> &all,
                        const RegisterView &before, const RegisterView &after,
                        const std::string &date, const std::string &actor,
                        const std::string &source);

} // namespace mineplan::registry
