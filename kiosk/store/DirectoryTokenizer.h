// FTS5's own unicode61 tokenizer (remove_diacritics 2), borrowed from a connection, so the
// directory's in-memory index (kiosk/directory, through ResourceSnapshot) and the session-name
// check fold words exactly as resource_fts (migration 004) does. Knows nothing of resources.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string_view>
#include <type_traits>

#include "kiosk/core/Result.h"

namespace kiosk::store {

class DirectoryTokenizer {
  public:
    /// The tokenizer of `db`'s FTS5 module; kInternal if this SQLite has no FTS5.
    static Result<std::unique_ptr<DirectoryTokenizer>> ForConnection(sqlite3* db);
    ~DirectoryTokenizer();
    DirectoryTokenizer(const DirectoryTokenizer&) = delete;
    DirectoryTokenizer& operator=(const DirectoryTokenizer&) = delete;

    /// Calls on_word(folded, start, end) for every word of `text`, in order: folded is the
    /// lower-case, accent-free word as indexed; [start, end) are its bytes in `text`.
    template <class F>
    void Words(std::string_view text, F&& on_word) const {
        using Fn = std::remove_reference_t<F>;
        auto trampoline = [](void* ctx, int /*flags*/, const char* token, int n, int start,
                             int end) -> int {
            (*static_cast<Fn*>(ctx))(std::string_view(token, static_cast<size_t>(n)),
                                     static_cast<size_t>(start), static_cast<size_t>(end));
            return SQLITE_OK;
        };
        Run(text, const_cast<void*>(static_cast<const void*>(std::addressof(on_word))), trampoline);
    }

  private:
    using Callback = int (*)(void*, int, const char*, int, int, int);
    DirectoryTokenizer(fts5_tokenizer api, Fts5Tokenizer* instance)
        : m_api(api), m_instance(instance) {}
    void Run(std::string_view text, void* ctx, Callback callback) const;

    fts5_tokenizer m_api;
    Fts5Tokenizer* m_instance;
};

}  // namespace kiosk::store
