#include "service/actor.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"

#include <algorithm>

namespace mineplan::service {

Actor Actor::of(const store::Account &account) {
  Actor a;
  a.username = account.username;
  a.role = account.role;
  a.jurisdiction = account.jurisdiction;
  a.holder = account.holder;
  a.licences = account.licences;
  return a;
}

Actor Actor::operator_as(const std::string &who, const std::string &role) {
  Actor a;
  a.username = who;
  a.role = role;
  a.everywhere = true;
  return a;
}

bool Actor::staff() const {
  return role == "region_staff" || role == "league_staff" || role == "county_staff";
}

bool Actor::linked(const std::string &licence_no) const {
  if (role != "holder" || licence_no.empty()) return false;
  return std::find(licences.begin(), licences.end(), licence_no) != licences.end();
}

DivisionPlaces::DivisionPlaces(std::vector<Division> divisions) : divisions_(std::move(divisions)) {
  std::sort(divisions_.begin(), divisions_.end(),
            [](const Division &a, const Division &b) { return a.code < b.code; });
}

const Division *DivisionPlaces::find(const std::string &code) const {
  auto it = std::lower_bound(divisions_.begin(), divisions_.end(), code,
                             [](const Division &d, const std::string &c) { return d.code < c; });
  return it != divisions_.end() && it->code == code ? &*it : nullptr;
}

bool DivisionPlaces::within(const std::string &code, const std::string &ancestor) const {
  std::string c = code;
  for (int guard = 0; guard < 8 && !c.empty(); ++guard) {
    if (c == ancestor) return true;
    const Division *d = find(c);
    if (!d) return false;
    c = d->parent;
  }
  return false;
}

std::string DivisionPlaces::name(const std::string &code) const {
  const Division *d = find(code);
  return d ? d->name : std::string();
}

void require_within(const Actor &actor, const Places &places, const std::string &what,
                    const std::string &code) {
  if (actor.everywhere || places.within(code, actor.jurisdiction)) return;
  throw Forbidden(std::string(what)
                      .append(" lies in ")
                      .append(places.name(code))
                      .append(" (")
                      .append(code)
                      .append("), outside your jurisdiction ")
                      .append(places.name(actor.jurisdiction))
                      .append(" (")
                      .append(actor.jurisdiction)
                      .append(")"),
                  "jurisdiction");
}

void require_linked(const Actor &actor, const std::string &licence_no) {
  if (actor.everywhere || actor.linked(licence_no)) return;
  throw Forbidden("只能查看或办理与本账户关联的矿业权（许可证号 " +
                      (licence_no.empty() ? std::string("无") : licence_no) +
                      " 未关联本账户）(a holder acts only on the rights linked to the account)",
                  "licence_no");
}

void require_staff(const Actor &actor, const std::string &what) {
  if (actor.everywhere || actor.staff()) return;
  throw Forbidden("only staff " + what);
}

void check_date(const std::string &date, const std::string &field) {
  if (!is_iso_date(date))
    throw Refusal(ErrorKind::invalid_input, "expected an ISO date YYYY-MM-DD, found '" + date + "'",
                  field);
}

} // namespace mineplan::service
