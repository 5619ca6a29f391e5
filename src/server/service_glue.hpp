#pragma once
// What the handlers hand the use cases (src/service): the caller as an actor, the read model's
// division tree as the places, and the read model's refresh as the change sink.
#include "server/app_impl.hpp"
#include "service/actor.hpp"

namespace mineplan::server {

// The snapshot's division tree.
class SnapshotPlaces : public service::Places {
public:
  explicit SnapshotPlaces(const Snapshot &snap) : snap_(snap) {}
  bool within(const std::string &code, const std::string &ancestor) const override {
    return snap_.within(code, ancestor);
  }
  std::string name(const std::string &code) const override { return snap_.division_name(code); }

private:
  const Snapshot &snap_;
};

// The signed-in account, or the public (no jurisdiction, no links).
inline service::Actor actor_of(const Context &c) {
  if (c.who.account) return service::Actor::of(*c.who.account);
  service::Actor a;
  a.username.clear();
  a.role = "public";
  return a;
}

// The read model is rebuilt after a use case changed what it shows.
inline service::ChangeSink refresh_of(App::Impl &app) {
  return [&app] { app.refresh(); };
}

} // namespace mineplan::server
