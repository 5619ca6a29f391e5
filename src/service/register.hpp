#pragma once
// Use cases that change the register (rights and mines): import a ledger or map file, change
// one right or mine by hand. Each owns its transaction: the write, its audit rows (the store's)
// and the registries' answer to the change (src/registry/reassess.hpp: a listed green mine to
// re-assessment, a planned restoration to re-planning) land together or not at all.
#include "io/ogr_import.hpp"
#include "registry/reassess.hpp"
#include "service/actor.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace mineplan::service {

using Lifecycles = std::map<std::string, registry::Lifecycle>;

// The current register as the caller holds it already (the server's read model), so that a
// use case need not read it again. Not owned; null members: read from the store.
struct CurrentRegister {
  const std::vector<Right> *rights = nullptr;
  const std::vector<Mine> *mines = nullptr;
};

// What a register use case needs: the store, the lifecycles answering changes, the division
// tree, whom to tell of a change, and the register if the caller holds it.
struct RegisterDeps {
  store::Store &store;
  const Lifecycles &lifecycles;
  const Places &places;
  ChangeSink changed;
  CurrentRegister current;
};

// --- import ---------------------------------------------------------------------------------

struct ImportRequest {
  std::filesystem::path file;
  std::string name;          // the file as the registry's answer names it ("import <name>")
  io::ImportOptions options; // layer, as_of, plan, dry_run …; refuse_jurisdiction is set here
  const io::LedgerSchema *schema = nullptr;
  // Progress of a long import (the server's jobs): a fraction and what is being done.
  std::function<void(double, const std::string &)> progress;
};

struct ImportOutcome {
  io::ImportResult result;
  std::vector<registry::TriggeredStep> registry_steps;
};

// Forbidden unless the actor may import registers (staff, or the operator).
void check_may_import(const Actor &actor);

// Reads, checks and stores the file all or nothing. A portal actor writes only rows within
// their jurisdiction (every other row is a problem: nothing is written). A versioned layer
// (rights, mines) is viewed once before the write; the view after it is that view with the
// rows written, and the registries' answer lands in the import's transaction.
ImportOutcome import_register(RegisterDeps deps, const Actor &actor, const ImportRequest &request);

// --- a change by hand (PATCH) ---------------------------------------------------------------

// The change asked for: a JSON object of the fields and their new values (status,
// scale_class, method; valid_to of a right) and `effective`, the date from which the change
// holds, which is required. It is read (the server parses the request body then) and each
// field checked (invalid input naming it) once the actor may change the entry.
struct RegisterPatch {
  std::string uid;
  std::function<Json()> changes;
};

struct RightUpdate {
  std::vector<Right> history; // every version, the new one last
  std::vector<registry::TriggeredStep> registry_steps;
};

struct MineUpdate {
  std::optional<Mine> mine; // the current version after the change
  std::vector<registry::TriggeredStep> registry_steps;
};

// Staff of the right's jurisdiction (or the operator). NotFound for no current right,
// Forbidden outside the jurisdiction, invalid input naming the field for a field that cannot
// change or a value not allowed.
RightUpdate update_right(RegisterDeps deps, const Actor &actor, const RegisterPatch &patch);
// The same for a mine; the closure gate (no closure before the restoration is accepted) is a
// Conflict.
MineUpdate update_mine(RegisterDeps deps, const Actor &actor, const RegisterPatch &patch);

} // namespace mineplan::service
