// The card list a clinic exports from its spreadsheet, read with libcsv (Debian libcsv-dev, as
// the HSDS import reads its tables): quoted commas, doubled quotes and quoted line breaks, CRLF
// and a UTF-8 byte order mark. Errors name the file and the line, never a person or a token
// (PRIVACY.md 5, Log.h).
#include <csv.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <map>
#include <utility>

#include "kiosk/core/Token.h"
#include "kiosk/print/CardSheet.h"
#include "kiosk/print/PdfCommon.h"

namespace kiosk::print {
namespace {

namespace fs = std::filesystem;
using pdf::AsciiLower;
using pdf::IsCleanUtf8Text;
using pdf::TrimSpaces;

constexpr std::uintmax_t kMaxCsvBytes = std::uintmax_t{4} * 1024 * 1024;
constexpr std::size_t kMaxLabelBytes = 200;
constexpr std::size_t kMaxRoleBytes = 100;
constexpr const char* kCsvScreen = "The card list could not be read.";

/// libcsv's parser states (libcsv.c): before a record, inside an unquoted or quoted field, and
/// just after a quote inside a quoted field.
constexpr int kRowNotBegun = 0;
constexpr int kFieldBegun = 2;
constexpr int kFieldMightHaveEnded = 3;

/// One record and the line it starts on (the header is line 1 unless blank lines come first).
struct Row {
    std::size_t line = 0;
    std::vector<std::string> fields;
};

Error CsvError(const fs::path& csv, std::size_t line_no, const std::string& why) {
    std::string where = csv.string();
    if (line_no > 0) {
        where += ":" + std::to_string(line_no);
    }
    return MakeError(ErrorCode::kInvalidInput, "card list " + where + ": " + why, kCsvScreen);
}

/// The rows of `text`, fed to libcsv a line at a time so each row knows its first line.
class RowReader {
  public:
    RowReader() { csv_init(&m_parser, CSV_STRICT | CSV_STRICT_FINI); }
    ~RowReader() { csv_free(&m_parser); }
    RowReader(const RowReader&) = delete;
    RowReader& operator=(const RowReader&) = delete;

    /// Every row of `text`, or why the file is malformed and on which line.
    Result<std::vector<Row>> Read(const fs::path& csv, std::string_view text) {
        std::size_t pos = 0;
        while (pos < text.size()) {
            const std::size_t eol = std::min(text.find('\n', pos), text.size() - 1);
            const std::string_view line = text.substr(pos, eol + 1 - pos);
            pos = eol + 1;
            ++m_line;
            if (m_parser.pstate == kRowNotBegun) {
                m_start = m_line;
            }
            if (csv_parse(&m_parser, line.data(), line.size(), OnField, OnRowEnd, this) !=
                line.size()) {
                return CsvError(csv, m_line, Malformed());
            }
        }
        if (csv_fini(&m_parser, OnField, OnRowEnd, this) != 0) {
            return CsvError(csv, m_start,
                            FieldNo() +
                                " opens a quote that is not closed before the end of the "
                                "file");
        }
        return std::move(m_rows);
    }

  private:
    std::string FieldNo() const { return "field " + std::to_string(m_fields.size() + 1); }

    std::string Malformed() {  // not const: csv_error() takes a non-const parser
        if (m_parser.pstate == kFieldMightHaveEnded) {
            return FieldNo() +
                   " has text after its closing quote (write a quote inside quotes "
                   "as \"\")";
        }
        if (m_parser.pstate == kFieldBegun) {
            return FieldNo() +
                   " has a quote inside it; put the whole field in quotes and write "
                   "the inner quote as \"\"";
        }
        return std::string("cannot be read: ") + csv_strerror(csv_error(&m_parser));
    }

    static void OnField(void* data, std::size_t size, void* self) {
        auto* reader = static_cast<RowReader*>(self);
        reader->m_fields.emplace_back(data != nullptr ? static_cast<const char*>(data) : "", size);
    }
    static void OnRowEnd(int /*terminator*/, void* self) {
        auto* reader = static_cast<RowReader*>(self);
        reader->m_rows.push_back(Row{reader->m_start, std::move(reader->m_fields)});
        reader->m_fields.clear();
    }

    csv_parser m_parser{};
    std::size_t m_line = 0;   ///< lines fed so far
    std::size_t m_start = 0;  ///< the line the row being read starts on
    std::vector<std::string> m_fields;
    std::vector<Row> m_rows;
};

/// The file's text without a byte order mark, or why it cannot be read.
Result<std::string> ReadText(const fs::path& csv) {
    std::error_code ec;
    const auto status = fs::status(csv, ec);
    if (ec || !fs::exists(status)) {
        return MakeError(ErrorCode::kNotFound, "card list " + csv.string() + ": no such file",
                         kCsvScreen);
    }
    if (!fs::is_regular_file(status)) {
        return CsvError(csv, 0, "not a regular file");
    }
    const auto size = fs::file_size(csv, ec);
    if (ec) {
        return CsvError(csv, 0, "cannot read its size: " + ec.message());
    }
    if (size > kMaxCsvBytes) {
        return CsvError(csv, 0,
                        "too large (" + std::to_string(size) + " bytes; the limit is " +
                            std::to_string(kMaxCsvBytes) + ")");
    }
    std::ifstream in(csv, std::ios::binary);
    if (!in) {
        return CsvError(csv, 0, std::string("cannot open: ") + std::strerror(errno));
    }
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        return CsvError(csv, 0, "read error");
    }
    if (text.starts_with("\xEF\xBB\xBF")) {  // spreadsheets like to add a UTF-8 BOM
        text.erase(0, 3);
    }
    return text;
}

/// The columns of role, name and token named by a header row.
struct Columns {
    std::size_t count = 0;
    std::size_t role = 0;
    std::size_t name = 0;
    std::size_t token = 0;
};

/// A header row's column names (lowercase, trimmed) and where they are.
Result<std::map<std::string, std::size_t>> HeaderColumns(const fs::path& csv, const Row& header) {
    std::map<std::string, std::size_t> columns;
    for (std::size_t i = 0; i < header.fields.size(); ++i) {
        const std::string name = AsciiLower(TrimSpaces(header.fields[i]));
        if (name.empty()) {
            continue;
        }
        if (!columns.emplace(name, i).second) {
            return CsvError(csv, header.line, "the header names column '" + name + "' twice");
        }
    }
    return columns;
}

Result<Columns> ReadHeader(const fs::path& csv, const Row& header) {
    auto named = HeaderColumns(csv, header);
    if (!named) {
        return named.error();
    }
    auto& columns = named.value();
    for (const char* required : {"role", "name", "token"}) {
        if (!columns.contains(required)) {
            return CsvError(csv, header.line,
                            std::string("the header has no '") + required +
                                "' column (it needs role, name and token)");
        }
    }
    return Columns{header.fields.size(), columns["role"], columns["name"], columns["token"]};
}

/// The card on `row`, or why it cannot be printed.
Result<Card> ReadCard(const fs::path& csv, const Columns& columns, const Row& row) {
    if (row.fields.size() != columns.count) {
        return CsvError(csv, row.line,
                        "has " + std::to_string(row.fields.size()) + " fields but the header has " +
                            std::to_string(columns.count));
    }
    Card card{row.fields[columns.role], row.fields[columns.name], row.fields[columns.token]};
    if (card.label.empty()) {
        return CsvError(csv, row.line, "the name is empty");
    }
    if (card.label.size() > kMaxLabelBytes || !IsCleanUtf8Text(card.label)) {
        return CsvError(csv, row.line,
                        "the name is not plain UTF-8 text of at most " +
                            std::to_string(kMaxLabelBytes) + " bytes");
    }
    if (card.role.size() > kMaxRoleBytes || !IsCleanUtf8Text(card.role)) {
        return CsvError(csv, row.line,
                        "the role is not plain UTF-8 text of at most " +
                            std::to_string(kMaxRoleBytes) + " bytes");
    }
    if (!ParseToken(card.token).ok()) {
        return CsvError(csv, row.line,
                        "the token is not a card token (" + std::string(kTokenPrefixV1) +
                            " followed by " + std::to_string(kTokenMinBody) + "-" +
                            std::to_string(kTokenMaxBody) + " URL-safe base64 characters)");
    }
    return card;
}

/// The file's rows, the header first; an empty file is an error that says what it `needs`.
Result<std::vector<Row>> ReadRows(const fs::path& csv, const std::string& needs) {
    auto text = ReadText(csv);
    if (!text) {
        return text.error();
    }
    auto rows = RowReader().Read(csv, text.value());
    if (!rows) {
        return rows.error();
    }
    if (rows->empty()) {
        return CsvError(csv, 0, "is empty; it needs a header row with " + needs);
    }
    return rows;
}

Result<std::vector<Card>> ReadCardsCsvImpl(const fs::path& csv) {
    auto rows = ReadRows(csv, "role, name and token");
    if (!rows) {
        return rows.error();
    }
    const auto columns = ReadHeader(csv, rows->front());
    if (!columns) {
        return columns.error();
    }
    std::vector<Card> cards;
    std::map<std::string, std::size_t> token_lines;  // token -> line, to catch repeats
    for (auto row = rows->begin() + 1; row != rows->end(); ++row) {
        auto card = ReadCard(csv, columns.value(), *row);
        if (!card) {
            return card.error();
        }
        const auto [it, fresh] = token_lines.emplace(card.value().token, row->line);
        if (!fresh) {
            return CsvError(csv, row->line,
                            "the token repeats the one on line " + std::to_string(it->second));
        }
        cards.push_back(std::move(card).value());
    }
    if (cards.empty()) {
        return CsvError(csv, rows->front().line, "has a header but no cards");
    }
    return cards;
}

Result<std::vector<std::string>> ReadPeopleCsvImpl(const fs::path& csv) {
    auto rows = ReadRows(csv, "a 'person' column");
    if (!rows) {
        return rows.error();
    }
    auto columns = HeaderColumns(csv, rows->front());
    if (!columns) {
        return columns.error();
    }
    const auto person = columns->find("person");
    if (person == columns->end()) {
        return CsvError(csv, rows->front().line,
                        "the header has no 'person' column (Patient/ID or Practitioner/ID)");
    }
    std::vector<std::string> refs;
    std::map<std::string, std::size_t> lines;  // reference -> line, to catch repeats
    for (auto row = rows->begin() + 1; row != rows->end(); ++row) {
        const std::string ref(person->second < row->fields.size()
                                  ? TrimSpaces(row->fields[person->second])
                                  : std::string_view());
        const auto slash = ref.find('/');
        if ((ref.rfind("Patient/", 0) != 0 && ref.rfind("Practitioner/", 0) != 0) ||
            slash + 1 == ref.size() || ref.size() > 100 ||
            ref.find_first_of(" ,/?#", slash + 1) != std::string::npos) {
            return CsvError(csv, row->line,
                            "the person is not a reference such as Patient/ID or Practitioner/ID");
        }
        const auto [it, fresh] = lines.emplace(ref, row->line);
        if (!fresh) {
            return CsvError(csv, row->line,
                            "the person repeats the one on line " + std::to_string(it->second) +
                                " (one card per person)");
        }
        refs.push_back(ref);
    }
    if (refs.empty()) {
        return CsvError(csv, rows->front().line, "has a header but no people");
    }
    return refs;
}

}  // namespace

Result<std::vector<std::string>> ReadPeopleCsv(const std::filesystem::path& csv) {
    try {
        return ReadPeopleCsvImpl(csv);
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal,
                         "card list " + csv.string() + ": unexpected failure: " + e.what(),
                         kCsvScreen);
    }
}

Result<std::vector<Card>> ReadCardsCsv(const std::filesystem::path& csv) {
    try {
        return ReadCardsCsvImpl(csv);
    } catch (const std::exception& e) {
        return MakeError(ErrorCode::kInternal,
                         "card list " + csv.string() + ": unexpected failure: " + e.what(),
                         kCsvScreen);
    } catch (...) {
        return MakeError(ErrorCode::kInternal, "card list " + csv.string() + ": unexpected failure",
                         kCsvScreen);
    }
}

}  // namespace kiosk::print
