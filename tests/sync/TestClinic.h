// A small clinic laid out around the moment the tests start (so "today" and "this week" hold
// sessions whatever the date), as the FHIR Bundle the test server is seeded with, and a kiosk
// under test: its own data dir, config, store and sync engine, and the writes the app makes.
#pragma once

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "FhirTestServer.h"
#include "TestSupport.h"
#include "kiosk/core/Config.h"
#include "kiosk/store/Store.h"
#include "sync/SyncEngine.h"

namespace kiosk::test {

class TestClinic {
  public:
    static const TestClinic& Get();

    nlohmann::json Bundle() const;

    static constexpr int kPatients = 60;
    static std::string Patient(int n);                             ///< "Patient/pat-007"
    static constexpr const char* kFamily = "RelatedPerson/rel-1";  ///< pat-001's mother
    static constexpr const char* kFamilyPatient = "Patient/pat-001";

    Instant now;
    Instant week_start, week_end;
    std::vector<std::string> sessions;  ///< 4 group sessions this week, every patient enrolled
    std::string family_session;         ///< pat-001 and rel-1
    std::vector<Instant> starts;        ///< of `sessions`

  private:
    TestClinic();
};

/// A fault for FhirTestServer::Faults on `method path` ({"action": ...} plus its options).
inline nlohmann::json Fault(const std::string& method, const std::string& path,
                            nlohmann::json action) {
    action["match"] = nlohmann::json{{"method", method}, {"path", path}};
    return action;
}

/// The log text of a failed round, for messages.
inline std::string ErrorOf(const Result<sync::RoundReport>& r) {
    return r.ok() ? std::string("(no error)") : r.error().log;
}

/// One kiosk under test, talking to `server`.
class TestKiosk {
  public:
    /// `server_toml` lines are added to [server] (pins, client cert...).
    TestKiosk(FhirTestServer& server, std::string kiosk_id = "lobby-1",
              std::string server_toml = {}, std::string url = {});

    sync::SyncOptions options;  ///< test timeouts; change before the first Sync()
    KioskConfig config;
    store::Store& store() { return *m_store; }
    const std::filesystem::path& db() const { return m_db; }

    Result<sync::RoundReport> Sync();
    sync::SyncEngine& Engine();
    sync::SyncStatusBoard board;

    /// What CheckinService writes for a scan: attendance + outbox "encounter" + audit.
    std::string CheckIn(const std::string& session, const std::string& person, Instant at);
    void CheckOut(const std::string& identifier, Instant at);
    long long Pending();
    std::string OutboxState(const std::string& subject);

  private:
    SystemClock m_clock;  // outlives the engine, which reads it until it stops
    TempDir m_dir;
    std::filesystem::path m_db;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<sync::SyncEngine> m_engine;
};

}  // namespace kiosk::test
