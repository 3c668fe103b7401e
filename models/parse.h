// Strict parsing of numbers written by people (command-line options, CSV fields, --set values):
// the whole text must be the number, nothing is wrapped, truncated or silently clamped. Each
// returns nothing when the text is not such a number; callers name the value and the fix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace vtasim {

// Decimal, optionally signed.
std::optional<int64_t> parse_int(const std::string& text);
// Decimal or 0x hex, no sign.
std::optional<uint64_t> parse_uint(const std::string& text);
// A finite decimal number (no nan, no inf, no hex floats).
std::optional<double> parse_real(const std::string& text);

// A number for a CSV file: exact for integers, otherwise the shortest text that reads back as the
// same double (no rounding to a few digits). Non-finite values give "".
std::string csv_number(double v);

// "0x1f00": addresses in messages, as people write them on the command line.
std::string format_address(uint64_t a);

// v with `digits` decimals ("12.35"), for tables and sentences.
std::string format_fixed(double v, int digits);

// "3" for integral values, else up to 10 significant digits: numbers in messages.
std::string format_number(double v);

}  // namespace vtasim
