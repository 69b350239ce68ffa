// The resource table as the directory's search index (kiosk/directory/ResourceSearch) reads it:
// one read snapshot (a transaction of its own, or the caller's), the generation the triggers of
// migration 004 bump, every row's searchable fields in rowid order, and rows read back by rowid.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/store/DirectoryTokenizer.h"
#include "kiosk/store/ResourceRecords.h"

namespace kiosk::store {

struct Connection;

/// What the index needs of one resource; the views hold only during the callback.
struct IndexedResource {
    long long num = 0;  ///< resource.num (the rowid)
    std::string_view name;
    std::string_view organization;
    std::string_view categories;  ///< as stored: a JSON list (StringListFromJson)
    std::string_view description;
    std::string_view eligibility;
    std::optional<double> latitude;  ///< with longitude, or neither
    std::optional<double> longitude;
    std::string_view hours;      ///< OpeningHours text as stored
    std::string_view languages;  ///< as stored: a JSON list (StringListFromJson)
    bool free = false;
};

/// The strings of a JSON array as the resource table stores lists; anything else (damaged
/// text) is an empty list.
std::vector<std::string> StringListFromJson(std::string_view json);

/// Handed out by ResourceDirectory::ReadResources for the length of one call. Its methods throw
/// SQLite::Exception; ReadResources turns that into its Result.
class ResourceSnapshot {
  public:
    ResourceSnapshot(Connection& connection, const DirectoryTokenizer& words);
    ~ResourceSnapshot();
    ResourceSnapshot(const ResourceSnapshot&) = delete;
    ResourceSnapshot& operator=(const ResourceSnapshot&) = delete;

    /// False inside the caller's transaction, whose writes may still roll back.
    bool Own() const { return m_own; }
    /// directory.generation: moved by every committed change to the resource table; -1 if unset.
    long long Generation();
    long long Count();
    /// Calls `row` for every resource in rowid order.
    void ForEach(const std::function<void(const IndexedResource&)>& row);
    /// The rows with these rowids, in the same order; nullopt for one no longer there.
    std::vector<std::optional<ResourceRow>> ByNum(const std::vector<long long>& nums);
    /// FTS5's unicode61 tokenizer, folding words as resource_fts does.
    const DirectoryTokenizer& Words() const { return m_words; }

  private:
    Connection& m_db;
    const DirectoryTokenizer& m_words;
    bool m_own;
};

}  // namespace kiosk::store
