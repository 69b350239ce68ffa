// libcsv is a push parser: lines go in, fields and record ends come out through callbacks.
// Feeding whole lines lets the reader know the line a record starts on, which the import
// report needs ("services.csv line 12"), even when quoted fields span several lines.
#include "kiosk/directory/HsdsCsv.h"

#include <csv.h>

#include <cctype>
#include <cstdlib>
#include <deque>

namespace kiosk::directory {

struct CsvFile::Parser {
    csv_parser parser{};
    bool initialised = false;
    bool finished = false;
    long line = 0;  ///< lines fed so far
    long record_start = 0;
    std::vector<std::string> fields;  ///< of the record being read
    std::deque<CsvRecord> ready;
    char* buffer = nullptr;  ///< getline's, reused for every line
    size_t capacity = 0;

    ~Parser() {
        if (initialised) {
            csv_free(&parser);
        }
        std::free(buffer);
    }

    static void OnField(void* data, size_t size, void* self) {
        auto* p = static_cast<Parser*>(self);
        std::string text = data != nullptr
                               ? CleanText(std::string_view(static_cast<const char*>(data), size))
                               : std::string();
        // libcsv trims unquoted fields only; a quoted one may still end in a line break.
        const size_t first = text.find_first_not_of(" \n");
        if (first == std::string::npos) {
            text.clear();
        } else {
            text.erase(text.find_last_not_of(" \n") + 1);
            text.erase(0, first);
        }
        p->fields.push_back(std::move(text));
    }
    static void OnRecordEnd(int /*terminator*/, void* self) {
        auto* p = static_cast<Parser*>(self);
        p->ready.push_back(CsvRecord{p->record_start, std::move(p->fields)});
        p->fields.clear();
    }
};

namespace {

/// libcsv's state before any byte of a record (ROW_NOT_BEGUN in libcsv.c). Only while the
/// parser is in it can a newly fed line be the start of a record.
constexpr int kRowNotBegun = 0;

void AppendUtf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace

std::string CleanText(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    const auto* s = reinterpret_cast<const unsigned char*>(in.data());
    const size_t n = in.size();
    for (size_t i = 0; i < n;) {
        const unsigned c = s[i];
        if (c < 0x80) {
            if (c == '\r') {
                out += '\n';
                i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
                continue;
            }
            if (c == '\t') {
                out += ' ';
            } else if (c == '\n' || (c >= 0x20 && c != 0x7F)) {
                out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        // A UTF-8 sequence: its length from the lead byte, then continuation bytes, no
        // overlong forms, no surrogates, nothing above U+10FFFF.
        size_t len = c >= 0xF0 && c <= 0xF4   ? 4
                     : c >= 0xE0 && c <= 0xEF ? 3
                     : c >= 0xC2 && c <= 0xDF ? 2
                                              : 0;
        unsigned cp = len == 4 ? (c & 0x07) : len == 3 ? (c & 0x0F) : (c & 0x1F);
        bool ok = len != 0 && i + len <= n;
        for (size_t k = 1; ok && k < len; ++k) {
            ok = (s[i + k] & 0xC0) == 0x80;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        ok = ok && !(len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) &&
             !(len == 4 && (cp < 0x10000 || cp > 0x10FFFF));
        if (!ok) {
            AppendUtf8(out, 0xFFFD);
            ++i;
            continue;
        }
        if (cp >= 0x80 && cp < 0xA0) {  // C1 controls
            i += len;
            continue;
        }
        out.append(in.substr(i, len));
        i += len;
    }
    return out;
}

Result<std::unique_ptr<CsvFile>> CsvFile::Open(const std::filesystem::path& file) {
    std::unique_ptr<CsvFile> f(new CsvFile());
    f->m_name = file.filename().string();
    f->m_file = std::fopen(file.c_str(), "rb");
    if (f->m_file == nullptr) {
        return MakeError(ErrorCode::kNotFound, "cannot read " + file.string());
    }
    f->m_parser = std::make_unique<Parser>();
    if (csv_init(&f->m_parser->parser, 0) != 0) {
        return MakeError(ErrorCode::kInternal, "libcsv could not start");
    }
    f->m_parser->initialised = true;
    CsvRecord header;
    if (!f->Next(header)) {
        return MakeError(ErrorCode::kInvalidInput,
                         f->m_name + " is empty: it needs a header row naming its columns" +
                             (f->m_error.empty() ? "" : " (" + f->m_error + ")"));
    }
    for (auto& h : header.fields) {
        for (auto& c : h) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    f->m_header = std::move(header.fields);
    return f;
}

CsvFile::~CsvFile() {
    if (m_file != nullptr) {
        std::fclose(m_file);
    }
}

int CsvFile::Column(std::string_view name) const {
    for (size_t i = 0; i < m_header.size(); ++i) {
        if (m_header[i].size() == name.size()) {
            bool same = true;
            for (size_t k = 0; k < name.size() && same; ++k) {
                same = m_header[i][k] ==
                       static_cast<char>(std::tolower(static_cast<unsigned char>(name[k])));
            }
            if (same) {
                return static_cast<int>(i);
            }
        }
    }
    return -1;
}

bool CsvFile::Fill() {
    Parser& p = *m_parser;
    while (p.ready.empty() && !p.finished) {
        const ssize_t got = getline(&p.buffer, &p.capacity, m_file);
        if (got < 0) {
            if (std::ferror(m_file)) {
                m_error = "read error after line " + std::to_string(p.line);
            }
            csv_fini(&p.parser, Parser::OnField, Parser::OnRecordEnd, &p);
            p.finished = true;
            break;
        }
        ++p.line;
        std::string_view bytes(p.buffer, static_cast<size_t>(got));
        if (p.line == 1 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
            bytes.remove_prefix(3);  // the byte order mark spreadsheet programs write
        }
        if (p.parser.pstate == kRowNotBegun) {
            p.record_start = p.line;
        }
        if (csv_parse(&p.parser, bytes.data(), bytes.size(), Parser::OnField, Parser::OnRecordEnd,
                      &p) != bytes.size()) {
            m_error = "line " + std::to_string(p.line) + ": " + csv_strerror(csv_error(&p.parser));
            p.finished = true;
        }
    }
    return !p.ready.empty();
}

bool CsvFile::Next(CsvRecord& record) {
    if (m_parser->ready.empty() && !Fill()) {
        return false;
    }
    record = std::move(m_parser->ready.front());
    m_parser->ready.pop_front();
    return true;
}

}  // namespace kiosk::directory
