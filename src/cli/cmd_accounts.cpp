// mineplan user add|list DB …: portal accounts; mineplan audit DB [--tail N]: verify the audit
// log's hash chain and show its newest rows.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "server/accounts.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace mineplan::cli {

namespace {

// mineplan user link|unlink: a holder's account and the rights it acts on, by licence number.
constexpr const char *kUserUsage =
    "mineplan user add DB --username U --role R --jurisdiction CODE [--holder NAME] "
    "[--licence NO]... [--display-name N]  (password on stdin) | mineplan user link|unlink DB "
    "--username U --licence NO [--licence NO]... | mineplan user list DB";

// The licence numbers of the command line, each checked against the register (exit 2 naming
// --licence when no right or mine carries it). The CLI is the bureau administrator's tool on
// the machine: it links anywhere.
std::vector<std::string> checked_licences(const Options &o, store::Store &st) {
  std::vector<std::string> out = o.values("licence");
  if (out.empty()) return out;
  const auto rights = st.rights({});
  const auto mines = st.mines({});
  for (const auto &licence : out)
    server::licence_places(licence, rights, mines, "--licence");
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

} // namespace

int cmd_user(const Args &args) {
  Options o(args, kUserUsage, {},
            {"username", "role", "jurisdiction", "holder", "display-name", "licence"});
  const std::string &verb = o.positional(0, "add, link, unlink or list");
  const std::string &db = o.positional(1, "DB (the store)");
  o.expect_positionals(2);
  auto st = store::Store::open(db);
  st->set_actor({"cli:" + std::string(getlogin() ? getlogin() : "admin"), "cli"});
  if (verb == "list") {
    for (const auto &a : st->accounts()) {
      std::string licences;
      for (const auto &l : a.licences)
        licences.append(licences.empty() ? " [" : ", ").append(l);
      if (!licences.empty()) licences += "]";
      std::printf("%-20s %-14s %-8s %s%s%s\n", a.username.c_str(), a.role.c_str(),
                  a.jurisdiction.c_str(), a.display_name.c_str(),
                  a.holder.empty() ? "" : (" (" + a.holder + ")").c_str(), licences.c_str());
    }
    return 0;
  }
  auto need = [&](const char *key) {
    auto v = o.value(key);
    if (!v) o.fail(std::string("--") + key + " is required");
    return *v;
  };
  if (verb == "link" || verb == "unlink") {
    const std::string username = need("username");
    if (o.values("licence").empty()) o.fail("--licence is required");
    const bool link = verb == "link";
    // Unlinking a licence the register no longer knows is allowed: the link outlived the right.
    const auto licences = link ? checked_licences(o, *st) : o.values("licence");
    std::vector<std::string> changed;
    st->in_transaction([&] {
      for (const auto &licence : licences)
        if (link ? st->link_licence(username, licence) : st->unlink_licence(username, licence))
          changed.push_back(licence);
    });
    for (const auto &licence : licences) {
      const bool done = std::find(changed.begin(), changed.end(), licence) != changed.end();
      std::printf("%s %s %s%s\n", username.c_str(), link ? "linked to" : "unlinked from",
                  licence.c_str(), done ? "" : (link ? " (linked already)" : " (was not linked)"));
    }
    return 0;
  }
  if (verb != "add") o.fail("expected add, link, unlink or list, found '" + verb + "'");
  store::Account a;
  a.username = need("username");
  a.role = need("role");
  a.jurisdiction = need("jurisdiction");
  a.holder = o.value("holder").value_or("");
  a.display_name = o.value("display-name").value_or(a.username);
  a.licences = checked_licences(o, *st);
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  server::validate_account(a, password, st->divisions());
  a.password_hash = server::hash_password(password);
  st->add_account(a);
  std::printf("account %s (%s, %s) added\n", a.username.c_str(), server::role_chinese(a.role),
              a.jurisdiction.c_str());
  for (const auto &licence : a.licences)
    std::printf("%s linked to %s\n", a.username.c_str(), licence.c_str());
  return 0;
}

int cmd_audit(const Args &args) {
  Options o(args, "mineplan audit DB [--tail N]", {}, {"tail"});
  const std::string &db = o.positional(0, "DB (the store)");
  o.expect_positionals(1);
  int tail = 0;
  if (auto t = o.value("tail")) tail = std::max(0, std::atoi(t->c_str()));
  auto st = store::Store::open(db);
  auto check = st->verify_audit();
  if (tail > 0) {
    std::int64_t from = std::max<std::int64_t>(0, check.rows - tail);
    for (const auto &e : st->audit_entries(from, tail))
      std::printf("%6lld %s %-24s %-14s %-16s %s\n", static_cast<long long>(e.id), e.at.c_str(),
                  e.who.c_str(), e.role.c_str(), e.action.c_str(), e.target.c_str());
  }
  if (!check.ok) {
    std::printf("审计日志校验失败 audit log FAILS verification: %s\n", check.problem.c_str());
    return 1;
  }
  std::printf("审计日志完整 audit log verified: %lld rows, hash chain intact\n",
              static_cast<long long>(check.rows));
  return 0;
}

MINEPLAN_COMMAND("user", cmd_user, kUserUsage,
                 "portal accounts (password on stdin; argon2id); a holder's linked licences");
MINEPLAN_COMMAND("audit", cmd_audit, "mineplan audit DB [--tail N]",
                 "verify the audit log's hash chain; exit 1 when it was tampered with");

} // namespace mineplan::cli
