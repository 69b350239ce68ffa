// Finds FTS5's API on a connection (the documented "SELECT fts5(?)" pointer handshake) and
// creates one unicode61 tokenizer with the same arguments as resource_fts.
#include "kiosk/store/DirectoryTokenizer.h"

#include <climits>

namespace kiosk::store {

Result<std::unique_ptr<DirectoryTokenizer>> DirectoryTokenizer::ForConnection(sqlite3* db) {
    fts5_api* api = nullptr;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
        sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
        sqlite3_step(stmt);
    }
    sqlite3_finalize(stmt);
    if (api == nullptr || api->iVersion < 2) {
        return MakeError(ErrorCode::kInternal, "this SQLite has no FTS5 (needed for search)");
    }
    void* user_data = nullptr;
    fts5_tokenizer tokenizer{};
    if (api->xFindTokenizer(api, "unicode61", &user_data, &tokenizer) != SQLITE_OK) {
        return MakeError(ErrorCode::kInternal, "FTS5 has no unicode61 tokenizer");
    }
    const char* args[] = {"remove_diacritics", "2"};
    Fts5Tokenizer* instance = nullptr;
    if (tokenizer.xCreate(user_data, args, 2, &instance) != SQLITE_OK) {
        return MakeError(ErrorCode::kInternal, "could not create the unicode61 tokenizer");
    }
    return std::unique_ptr<DirectoryTokenizer>(new DirectoryTokenizer(tokenizer, instance));
}

DirectoryTokenizer::~DirectoryTokenizer() {
    m_api.xDelete(m_instance);
}

void DirectoryTokenizer::Run(std::string_view text, void* ctx, Callback callback) const {
    if (text.empty()) {
        return;
    }
    // FTS5 lengths are int; longer text than that is never a resource field or a query.
    const int n =
        text.size() > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(text.size());
    m_api.xTokenize(m_instance, ctx, FTS5_TOKENIZE_DOCUMENT, text.data(), n, callback);
}

}  // namespace kiosk::store
