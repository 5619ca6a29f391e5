#pragma once
// Who acts in a use case, where they may act, and whom to tell that data changed. The use
// cases (src/service) decide what is domain policy — the role a step needs, the jurisdiction
// of the right, the account's links — and refuse with the typed kinds of core/error.hpp; the
// server and the CLI only translate requests and answers.
#include "core/model.hpp"
#include "store/store.hpp"

#include <functional>
#include <string>
#include <vector>

namespace mineplan::service {

// The acting user: a portal account (role, jurisdiction, linked licences) or the operator of
// the store on the command line, who acts everywhere under the role given.
struct Actor {
  std::string username = "cli";
  std::string role = "cli";
  std::string jurisdiction;          // a division code: the account's place and all below it
  std::string holder;                // a holder's 矿业权人 name (grants nothing)
  std::vector<std::string> licences; // a holder's linked licence numbers
  bool everywhere = false;           // the CLI: no jurisdiction, no links to check

  static Actor of(const store::Account &account);
  static Actor operator_as(const std::string &who, const std::string &role);

  bool staff() const; // region_staff, league_staff, county_staff
  bool holds(const std::string &role_name) const { return role == role_name; }
  // A holder linked to `licence_no` (the right and the mines under it).
  bool linked(const std::string &licence_no) const;
  // Who the store's audit rows name.
  store::Actor audit_actor() const { return store::Actor{username, role}; }
};

// What links a holder's account to a right or mine: its licence number (许可证号) — a mine is
// linked through the licence it works under —, or, for one the register holds without a
// licence number (the seed plans' tables list rights and mines by row), its uid.
inline const std::string &licence_key(const Right &r) {
  return r.licence_no.empty() ? r.uid : r.licence_no;
}
inline const std::string &licence_key(const Mine &m) {
  return m.licence_no.empty() ? m.uid : m.licence_no;
}

// The division tree as the use cases need it: whether a code lies within another, and its
// name for messages. The server passes its read model's tree; DivisionPlaces builds one.
class Places {
public:
  virtual ~Places() = default;
  // True when `code` is `ancestor` or lies below it.
  virtual bool within(const std::string &code, const std::string &ancestor) const = 0;
  virtual std::string name(const std::string &code) const = 0;
};

class DivisionPlaces : public Places {
public:
  explicit DivisionPlaces(std::vector<Division> divisions);
  bool within(const std::string &code, const std::string &ancestor) const override;
  std::string name(const std::string &code) const override;

private:
  const Division *find(const std::string &code) const;
  std::vector<Division> divisions_;
};

// Told after a use case committed a change the read model shows (the register, a mine's green
// level …); the server rebuilds its snapshot. Empty: nobody to tell.
using ChangeSink = std::function<void()>;

// Forbidden unless the actor acts everywhere or `code` lies within the actor's jurisdiction:
// "<what> lies in <name> (<code>), outside your jurisdiction <name> (<code>)".
void require_within(const Actor &actor, const Places &places, const std::string &what,
                    const std::string &code);
// Forbidden unless the actor is a holder linked to `licence_no`.
void require_linked(const Actor &actor, const std::string &licence_no);
// Forbidden unless the actor is staff (or the operator): "only staff <what>".
void require_staff(const Actor &actor, const std::string &what);

// InputError-kind refusal naming the field unless `date` is an ISO date.
void check_date(const std::string &date, const std::string &field);

} // namespace mineplan::service
