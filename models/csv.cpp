// CSV reading (see csv.h).
#include "models/csv.h"

#include "models/errors.h"
#include "models/parse.h"

namespace vtasim {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == ',') {
      out.push_back(cur);
      cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  for (auto& f : out) {
    const auto b = f.find_first_not_of(" \t");
    const auto e = f.find_last_not_of(" \t");
    f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
  }
  return out;
}

CsvTable CsvTable::parse(const std::string& text, const std::string& origin) {
  CsvTable t;
  t.origin_ = origin;
  size_t pos = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;  // UTF-8 byte-order mark
  int line_no = 0;
  while (pos <= text.size()) {
    const size_t nl = text.find('\n', pos);
    const std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    CsvRow row{line_no, split_csv_line(line)};
    if (t.header_.empty()) {
      t.header_ = row.fields;
      for (size_t i = 0; i < t.header_.size(); ++i) {
        if (t.header_[i].empty()) throw UserError(t.where(row) + ": column " + std::to_string(i + 1) + " has no name");
        for (size_t j = 0; j < i; ++j)
          if (t.header_[j] == t.header_[i]) throw UserError(t.where(row) + ": column '" + t.header_[i] + "' appears twice");
      }
      continue;
    }
    if (row.fields.size() != t.header_.size()) {
      throw UserError(t.where(row) + ": " + std::to_string(row.fields.size()) + " fields, the header has " +
                      std::to_string(t.header_.size()));
    }
    t.rows_.push_back(std::move(row));
  }
  if (t.header_.empty()) throw UserError(origin + ": no header line (the file is empty or only comments)");
  return t;
}

int CsvTable::column(const std::string& name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return int(i);
  return -1;
}

void CsvTable::require_columns(const std::vector<std::string>& required) const {
  for (const auto& r : required) {
    if (column(r) < 0) throw UserError(origin_ + ": the header lacks the column '" + r + "'");
  }
}

void CsvTable::allow_only(const std::vector<std::string>& known) const {
  for (const auto& h : header_) {
    bool ok = false;
    for (const auto& k : known) ok |= h == k;
    if (!ok) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ",") + k;
      throw UserError(origin_ + ": unknown column '" + h + "' (columns: " + list + ")");
    }
  }
}

std::string CsvTable::where(const CsvRow& row) const { return origin_ + ":" + std::to_string(row.line); }

std::string CsvTable::where(const CsvRow& row, size_t col) const {
  return where(row) + ", column " + std::to_string(col + 1) + " (" + header_[col] + ")";
}

int64_t CsvTable::integer(const CsvRow& row, size_t col, int64_t lo, int64_t hi) const {
  const std::string& f = row.fields[col];
  const auto v = parse_int(f);
  if (!v) throw UserError(where(row, col) + ": '" + f + "' is not an integer");
  if (*v < lo || *v > hi) {
    throw UserError(where(row, col) + ": " + f + " is out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  }
  return *v;
}

double CsvTable::real(const CsvRow& row, size_t col, double lo, double hi) const {
  const std::string& f = row.fields[col];
  const auto v = parse_real(f);
  if (!v) throw UserError(where(row, col) + ": '" + f + "' is not a number");
  if (*v < lo || *v > hi) {
    throw UserError(where(row, col) + ": " + f + " is out of range " + format_number(lo) + ".." + format_number(hi));
  }
  return *v;
}

}  // namespace vtasim
