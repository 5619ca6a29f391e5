#pragma once
// Exceptions that carry their context: where (file, line, field) and what was expected.
#include <stdexcept>
#include <string>

namespace mineplan {

class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A problem in an input: names the source, the 1-based line (0 when not line-based),
// the field and what was expected there.
class InputError : public Error {
public:
  InputError(std::string source, int line, std::string field, std::string message)
      : Error(format(source, line, field, message)), source_(std::move(source)), line_(line),
        field_(std::move(field)), detail_(std::move(message)) {}

  const std::string &source() const { return source_; }
  int line() const { return line_; }
  const std::string &field() const { return field_; }
  const std::string &detail() const { return detail_; }

private:
  static std::string format(const std::string &source, int line, const std::string &field,
                            const std::string &message) {
    std::string out = source;
    // append() rather than "literal" + string: g++ 12 warns falsely (-Wrestrict) on the latter.
    if (line > 0) out.append(":").append(std::to_string(line));
    if (!field.empty()) out.append(": ").append(field);
    out.append(": ").append(message);
    return out;
  }
  std::string source_;
  int line_;
  std::string field_;
  std::string detail_;
};

} // namespace mineplan
