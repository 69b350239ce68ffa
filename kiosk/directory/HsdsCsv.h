// Private to the HSDS import: one CSV file read record by record with libcsv (Debian
// libcsv-dev): quoted fields with commas and newlines, CRLF, a UTF-8 byte order mark, and the
// line each record starts on for the import report. Depends on core only.
#pragma once

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/Result.h"

namespace kiosk::directory {

/// One record: its fields (trimmed, valid UTF-8, line breaks as "\n") and the line it starts
/// on, counting the header as line 1.
struct CsvRecord {
    long line = 0;
    std::vector<std::string> fields;

    /// The field at `index`, or "" when the column is absent (index < 0) or the row is short.
    std::string_view Field(int index) const {
        return index >= 0 && static_cast<size_t>(index) < fields.size()
                   ? std::string_view(fields[index])
                   : std::string_view();
    }
};

/// A CSV file with a header row, read one record at a time so a large table never has to fit
/// in memory as text.
class CsvFile {
  public:
    /// Opens the file and reads its header. An unreadable or empty file is an error naming it.
    static Result<std::unique_ptr<CsvFile>> Open(const std::filesystem::path& file);
    ~CsvFile();
    CsvFile(const CsvFile&) = delete;
    CsvFile& operator=(const CsvFile&) = delete;

    const std::string& Name() const { return m_name; }  ///< the file name, for reports
    const std::vector<std::string>& Header() const { return m_header; }
    /// The header column named `name` (case-insensitive), or -1.
    int Column(std::string_view name) const;

    /// The next record into `record`; false at the end of the file. A read error after the
    /// header ends the file early and is kept in ReadError().
    bool Next(CsvRecord& record);
    const std::string& ReadError() const { return m_error; }

    struct Parser;

  private:
    CsvFile() = default;
    bool Fill();  ///< feeds lines until a record is ready or the file ends

    std::string m_name;
    std::FILE* m_file = nullptr;
    std::unique_ptr<Parser> m_parser;
    std::vector<std::string> m_header;
    std::string m_error;
};

/// Text from outside made safe to keep: invalid UTF-8 replaced by U+FFFD, CRLF and CR as
/// "\n", other control characters dropped (tab kept as a space).
std::string CleanText(std::string_view bytes);

}  // namespace kiosk::directory
