// The one reader for every CSV file vtasim takes (workloads, schedules, measurements, its own
// layers.csv): comma-separated fields, trimmed; one header line; blank lines and lines starting with
// '#' skipped; CRLF line ends and a UTF-8 byte-order mark accepted; every row must have as many
// fields as the header. Errors name the file, line and column.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vtasim {

struct CsvRow {
  int line = 0;  // 1-based line number in the file
  std::vector<std::string> fields;
};

class CsvTable {
 public:
  // Throws UserError for a missing header, a duplicated column or a row of the wrong width.
  static CsvTable parse(const std::string& text, const std::string& origin);

  const std::string& origin() const { return origin_; }
  const std::vector<std::string>& header() const { return header_; }
  const std::vector<CsvRow>& rows() const { return rows_; }
  // Index of a column, or -1.
  int column(const std::string& name) const;
  // Throws UserError naming every column of `known` the header lacks / every column not in `known`.
  void require_columns(const std::vector<std::string>& required) const;
  void allow_only(const std::vector<std::string>& known) const;

  // "file:12" and "file:12, column 3 (threads)" for messages.
  std::string where(const CsvRow& row) const;
  std::string where(const CsvRow& row, size_t col) const;
  // Strict field readers; UserError naming the file, line, column, the value and the limits.
  int64_t integer(const CsvRow& row, size_t col, int64_t lo, int64_t hi) const;
  double real(const CsvRow& row, size_t col, double lo, double hi) const;

 private:
  std::string origin_;
  std::vector<std::string> header_;
  std::vector<CsvRow> rows_;
};

// Splits one line at commas and trims blanks around each field (no quoting: vtasim's fields never
// hold commas).
std::vector<std::string> split_csv_line(const std::string& line);

}  // namespace vtasim
