// mineplan user add|list DB …: portal accounts; mineplan audit DB …: verify the audit log (hash
// chain, Merkle tree), sign tree heads, prove the log extends a published head; mineplan
// audit-key: the signing key (docs/audit.md).
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/clock.hpp"
#include "server/accounts.hpp"
#include "service/accounts.hpp"
#include "store/audit_log.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <unistd.h>

namespace mineplan::cli {

namespace {

// mineplan user link|unlink: a holder's account and the rights it acts on, by licence number.
constexpr const char *kUserUsage =
    "mineplan user add DB --username U --role R --jurisdiction CODE [--holder NAME] "
    "[--licence NO]... [--display-name N]  (password on stdin) | mineplan user link|unlink DB "
    "--username U --licence NO [--licence NO]... | mineplan user list DB";

// The licence numbers of the command line, sorted, each once.
std::vector<std::string> licences_of(const Options &o) {
  std::vector<std::string> out = o.values("licence");
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
  auto st = store::Store::open(db, verb == "list" ? store::Access::read : store::Access::write);
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
  // The CLI is the bureau administrator's tool on the machine: it links anywhere, each
  // licence checked against the register (exit 2 naming --licence when no right or mine
  // carries it).
  const service::Actor op =
      service::Actor::operator_as("cli:" + std::string(getlogin() ? getlogin() : "admin"), "cli");
  const bool needs_register = verb == "add" || verb == "link";
  const auto rights = needs_register ? st->rights({}) : std::vector<Right>{};
  const auto mines = needs_register ? st->mines({}) : std::vector<Mine>{};
  const auto divisions = verb == "add" ? st->divisions() : std::vector<Division>{};
  const service::DivisionPlaces places({});
  const service::AccountDeps deps{*st, rights, mines, divisions, places, "--licence"};
  if (verb == "link" || verb == "unlink") {
    const std::string username = need("username");
    if (o.values("licence").empty()) o.fail("--licence is required");
    const bool link = verb == "link";
    // Unlinking a licence the register no longer knows is allowed: the link outlived the right.
    const auto licences = link ? licences_of(o) : o.values("licence");
    const std::vector<std::string> changed =
        link ? service::link_licences(deps, op, username, licences)
             : service::unlink_licences(deps, op, username, licences);
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
  a.licences = licences_of(o);
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  a = service::create_account(deps, op, std::move(a), password, server::hash_password);
  std::printf("account %s (%s, %s) added\n", a.username.c_str(), service::role_chinese(a.role),
              a.jurisdiction.c_str());
  for (const auto &licence : a.licences)
    std::printf("%s linked to %s\n", a.username.c_str(), licence.c_str());
  return 0;
}

int cmd_audit(const Args &args) {
  static const char *usage = "mineplan audit DB [--tail N] [--sign KEYFILE [--out HEADFILE]] "
                             "[--against HEADFILE [--pubkey PUBFILE]]";
  Options o(args, usage, {}, {"tail", "sign", "out", "against", "pubkey"});
  const std::string &db = o.positional(0, "DB (the store)");
  o.expect_positionals(1);
  if (o.value("out") && !o.value("sign")) o.fail("--out goes with --sign");
  if (o.value("pubkey") && !o.value("against")) o.fail("--pubkey goes with --against");
  int tail = 0;
  if (auto t = o.value("tail")) tail = std::max(0, std::atoi(t->c_str()));
  // Inputs first: a bad head, key or public key file is exit 2 before anything is done.
  std::optional<store::SignedHead> against;
  std::string pinned;
  if (auto f = o.value("against")) against = store::read_head_file(*f);
  if (auto f = o.value("pubkey")) pinned = store::read_public_key(*f);
  std::optional<store::SigningKey> key;
  if (auto f = o.value("sign")) key.emplace(store::read_signing_key(*f));
  if (auto out = o.value("out"); out && std::filesystem::exists(*out))
    throw InputError(*out, 0, "", "已存在，不覆盖 (exists; head files are never replaced)");
  // A signed head on stdout alone, so that it can be redirected to a file; the rest to stderr.
  std::FILE *info = key && !o.value("out") ? stderr : stdout;

  // Signing publishes the head in the store: a write; verifying only reads.
  auto st = store::Store::open(db, key ? store::Access::write : store::Access::read);
  auto check = st->verify_audit();
  if (tail > 0) {
    std::int64_t from = std::max<std::int64_t>(0, check.rows - tail);
    try {
      for (const auto &e : st->audit_entries(from, tail))
        std::fprintf(info, "%6lld %s %-24s %-14s %-16s %s\n", static_cast<long long>(e.id),
                     e.at.c_str(), e.who.c_str(), e.role.c_str(), e.action.c_str(),
                     e.target.c_str());
    } catch (const Error &e) {
      std::fprintf(info, "%s\n", e.what());
    }
  }
  int status = 0;
  if (!check.ok) {
    std::fprintf(info, "审计日志校验失败 audit log FAILS verification: %s\n",
                 check.problem.c_str());
    status = 1;
  } else {
    std::fprintf(info, "审计日志完整 audit log verified: %lld rows, hash chain intact\n",
                 static_cast<long long>(check.rows));
  }
  const auto leaves = store::audit_leaf_hashes(*st);
  std::fprintf(info, "Merkle 树 tree: %zu rows, root %s\n", leaves.size(),
               merkle::to_hex(merkle::root(leaves)).c_str());
  auto check_head = [&](const store::SignedHead &head, const std::string &name,
                        const std::string &pinned_key) {
    auto ext = store::check_extends(head, leaves, pinned_key);
    std::fprintf(info, "%s (%lld rows, signed %s, key %s)\n%s\n", name.c_str(),
                 static_cast<long long>(head.tree_size), head.timestamp.c_str(),
                 store::key_fingerprint(head.public_key).substr(0, 16).c_str(),
                 ext.message.c_str());
    if (ext.verdict != store::Extension::extends) status = 1;
  };
  // The newest head the store itself published: it catches rows deleted by someone who left the
  // heads alone. Whoever deletes those too is caught only by an archived head (--against).
  auto published = store::audit_heads(*st, 1);
  if (!published.empty()) check_head(published[0], "本库最新发布的树头 newest published head", {});
  if (against) check_head(*against, "树头 head " + *o.value("against"), pinned);
  if (key) {
    if (status != 0) {
      std::fprintf(info, "审计日志未通过校验，不签名 (the log did not verify: no head signed)\n");
      return status;
    }
    auto head = store::sign_head(store::tree_head(leaves, now_utc_iso()), *key);
    if (auto out = o.value("out")) store::write_head_file(head, *out);
    st->set_actor({"cli:" + std::string(getlogin() ? getlogin() : "admin"), "cli"});
    store::add_audit_head(*st, head);
    if (auto out = o.value("out"))
      std::fprintf(info,
                   "签名树头已写入 %s 并发布 (signed head of %lld rows written and "
                   "published; key %s)\n",
                   out->c_str(), static_cast<long long>(head.tree_size),
                   store::key_fingerprint(head.public_key).c_str());
    else
      std::printf("%s\n", store::head_json(head).dump(2).c_str());
  }
  return status;
}

// mineplan audit-key new KEYFILE [--pub PUBFILE] | show FILE: the Ed25519 key that signs tree
// heads. It lives outside the store (docs/audit.md).
int cmd_audit_key(const Args &args) {
  Options o(args, "mineplan audit-key new KEYFILE [--pub PUBFILE] | mineplan audit-key show FILE",
            {}, {"pub"});
  const std::string &verb = o.positional(0, "new or show");
  const std::string &file = o.positional(1, "KEYFILE");
  o.expect_positionals(2);
  if (verb == "show") {
    const std::string pub = store::read_public_key(file);
    std::printf("公钥 public key %s\n指纹 fingerprint %s\n", pub.c_str(),
                store::key_fingerprint(pub).c_str());
    return 0;
  }
  if (verb != "new") o.fail("expected new or show, found '" + verb + "'");
  const std::string pub_file = o.value("pub").value_or(file + ".pub");
  auto key = store::new_signing_key();
  store::write_key_files(key, file, pub_file);
  const std::string pub = store::read_public_key(pub_file);
  std::printf("签名密钥已生成 signing key written: %s (mode 600; keep it off the server and out of "
              "the store)\n公钥 public key: %s\n指纹 fingerprint %s\n",
              file.c_str(), pub_file.c_str(), store::key_fingerprint(pub).c_str());
  return 0;
}

MINEPLAN_COMMAND("user", cmd_user, kUserUsage,
                 "portal accounts (password on stdin; argon2id); a holder's linked licences");
MINEPLAN_COMMAND("audit", cmd_audit,
                 "mineplan audit DB [--tail N] [--sign KEYFILE [--out HEADFILE]] "
                 "[--against HEADFILE [--pubkey PUBFILE]]",
                 "verify the audit log (hash chain, Merkle tree); sign a tree head; prove the log "
                 "still extends a published head (docs/audit.md); exit 1 when it does not");
MINEPLAN_COMMAND("audit-key", cmd_audit_key,
                 "mineplan audit-key new KEYFILE [--pub PUBFILE] | mineplan audit-key show FILE",
                 "make the Ed25519 key that signs audit tree heads (kept outside the store)");

} // namespace mineplan::cli
