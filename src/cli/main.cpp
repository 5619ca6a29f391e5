// mineplan: the command-line tool over the plan database.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/error.hpp"

#include <cstdio>
#include <cstring>
#include <iostream>
#include <map>

namespace mineplan::cli {
std::map<std::string, Command> &command_registry() {
  static std::map<std::string, Command> registry;
  return registry;
}
} // namespace mineplan::cli

namespace {

const std::map<std::string, mineplan::cli::Command> &commands() {
  return mineplan::cli::command_registry();
}

void print_help() {
  std::printf("mineplan — mineral-resource plan database (矿产资源规划数据库)\n\ncommands:\n");
  for (const auto &[name, c] : commands())
    std::printf("  %s\n      %s\n", c.usage, c.summary);
  std::printf("\nexit codes: 0 ok, 1 failed (problems found or error), 2 bad input or usage\n");
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    print_help();
    return argc < 2 ? 2 : 0;
  }
  auto it = commands().find(argv[1]);
  if (it == commands().end()) {
    std::fprintf(stderr, "mineplan: unknown command '%s'\n", argv[1]);
    print_help();
    return 2;
  }
  mineplan::cli::Args args(argv + 2, argv + argc);
  try {
    return it->second.run(args);
  } catch (const mineplan::cli::Options::UsageError &e) {
    std::fprintf(stderr, "mineplan %s: %s\n", argv[1], e.what());
    return 2;
  } catch (const mineplan::InputError &e) {
    std::fprintf(stderr, "mineplan %s: %s\n", argv[1], e.what());
    return 2;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "mineplan %s: %s\n", argv[1], e.what());
    return 1;
  }
}
