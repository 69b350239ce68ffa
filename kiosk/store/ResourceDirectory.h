// The community resource directory (migration 004): resources from the clinic server and from
// HSDS imports, read for search through ResourceSnapshot (kiosk/directory/ResourceSearch ranks
// them), and the raw FHIR directory resources the server sent (migration 002).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/Result.h"
#include "kiosk/store/ResourceRecords.h"
#include "kiosk/store/WriteTx.h"

namespace kiosk::store {

struct Connection;
class DirectoryTokenizer;
class ResourceSnapshot;

/// A HealthcareService, Organization or Location of the resource directory, as sent.
struct DirectoryResource {
    std::string type;
    std::string id;
    std::string last_updated;
    std::string json;
};

class ResourceDirectory {
  public:
    explicit ResourceDirectory(Connection& connection);
    ~ResourceDirectory();
    ResourceDirectory(const ResourceDirectory&) = delete;
    ResourceDirectory& operator=(const ResourceDirectory&) = delete;

    /// Inserts or replaces resources by id and indexes them for search, in a transaction of its
    /// own (a large batch rebuilds the full-text index at once) or in the caller's. kInvalidInput,
    /// and nothing saved, for a row without an id or with half a position or one out of range.
    Status Upsert(const std::vector<ResourceRow>& rows);
    Status Upsert(WriteTx& tx, const std::vector<ResourceRow>& rows);
    /// Removes the resources of `source` whose ids are not in `keep` (after a full pull/import),
    /// in a transaction of its own or in the caller's.
    Status RemoveNotIn(const std::string& source, const std::vector<std::string>& keep);
    Status RemoveNotIn(WriteTx& tx, const std::string& source,
                       const std::vector<std::string>& keep);
    Result<std::optional<ResourceRow>> Resource(const std::string& id);
    Result<long long> Count();
    /// One read of the resource table for the directory's search (kiosk/directory/
    /// ResourceSearch): `read` runs in one read snapshot, its own or the caller's transaction,
    /// and sees what any connection committed (ResourceSnapshot.h). kInternal without FTS5.
    Status ReadResources(const std::function<Status(ResourceSnapshot&)>& read);

    /// The raw server copies, upserted by (type, id) in a transaction of their own.
    Status SaveServerCopies(const std::vector<DirectoryResource>& rows);
    Result<std::vector<std::string>> ServerCopyIds(const std::string& type);

  private:
    Connection& m_db;
    /// Made by the first ReadResources; destroyed before the connection (it came from the
    /// connection's FTS5).
    std::unique_ptr<DirectoryTokenizer> m_words;
};

}  // namespace kiosk::store
