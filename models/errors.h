// Error types shared by every layer: what the user caused (exit code 2) versus internal faults.
#pragma once

#include <stdexcept>
#include <string>

namespace vtasim {

// An error the user can fix: a bad configuration value, a malformed program, an impossible tiling,
// an unknown option. The message names the offending value and what would fix it. The command-line
// app maps it to exit code 2.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace vtasim
