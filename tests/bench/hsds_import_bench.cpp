// hsds_import_bench: writes an HSDS 3.0 package of N services (default 100,000; one location
// each, two schedules, phones, languages, taxonomy links, costs, documents) and times
// ImportHsds into a fresh store, then a re-import over it. Prints seconds, rows per second and
// peak RSS. Not a ctest: timings belong here, not in unit tests.
//   hsds_import_bench [N] [--keep DIR]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>

#include "kiosk/directory/HsdsImport.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

long PeakRssKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

double Seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Out {
    std::FILE* f;
    long long rows = 0;
    Out(const fs::path& p, const char* header) : f(std::fopen(p.c_str(), "w")) {
        if (f == nullptr) {
            std::perror(p.c_str());
            std::exit(2);
        }
        std::fputs(header, f);
    }
    ~Out() { std::fclose(f); }
    template <class... A>
    void Row(const char* format, A... args) {
        std::fprintf(f, format, args...);
        ++rows;
    }
};

long long WritePackage(const fs::path& dir, long n) {
    std::mt19937 rng(42);
    auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<unsigned>(k)); };
    static const char* kTerms[] = {
        "Food Pantries", "Rent Assistance",    "Job Search",       "Bus Passes", "Legal Aid",
        "Dental Care",   "Counseling",         "Recovery Support", "Child Care", "GED Classes",
        "Clothing",      "Utility Assistance", "Tax Preparation",  "Veterans"};
    static const char* kDays[] = {"MO,TU,WE,TH,FR", "TU,TH", "MO,WE,FR", "SA", "SU", "MO"};
    static const char* kLanguages[] = {"en", "es", "vi", "ru", "zh", "so"};
    long long rows = 0;
    std::FILE* dp = std::fopen((dir / "datapackage.json").c_str(), "w");
    std::fputs(
        "{\"name\": \"bench\", \"version\": \"3.0.0\", \"profile\": \"tabular-data-package\"}\n",
        dp);
    std::fclose(dp);
    {
        Out terms(dir / "taxonomy_terms.csv", "id,code,name,description,parent_id,taxonomy\n");
        for (int i = 0; i < 14; ++i) {
            terms.Row("t%d,,%s,,,local\n", i, kTerms[i]);
        }
        rows += terms.rows;
    }
    const long orgs = std::max(1L, n / 10), locs = std::max(1L, n / 2);
    {
        Out o(dir / "organizations.csv", "id,name,description,website\n");
        for (long i = 0; i < orgs; ++i) {
            o.Row(
                "org-%ld,\"Community Org %ld, Inc.\",Serving the "
                "neighborhood,https://org%ld.example.org\n",
                i, i, i);
        }
        rows += o.rows;
    }
    {
        Out l(dir / "locations.csv", "id,name,latitude,longitude\n");
        Out a(dir / "addresses.csv",
              "id,location_id,address_1,address_2,city,state_province,postal_code,country,address_"
              "type\n");
        for (long i = 0; i < locs; ++i) {
            l.Row("loc-%ld,Site %ld,%.5f,%.5f\n", i, i, 45.3 + pick(5000) / 10000.0,
                  -122.9 + pick(5000) / 10000.0);
            a.Row("a-%ld,loc-%ld,%d SE Example St,,Portland,OR,972%02d,US,physical\n", i, i,
                  100 + pick(9000), pick(99));
        }
        rows += l.rows + a.rows;
    }
    {
        Out s(
            dir / "services.csv",
            "id,organization_id,name,description,url,status,fees_description,"
            "eligibility_description,minimum_age,maximum_age,application_process,last_modified\n");
        Out sal(dir / "service_at_location.csv", "id,service_id,location_id,description\n");
        Out attr(dir / "attributes.csv",
                 "id,link_id,taxonomy_term_id,link_type,link_entity,value\n");
        Out ph(dir / "phones.csv",
               "id,location_id,service_id,organization_id,contact_id,service_at_location_id,number,"
               "extension,type,description\n");
        Out sch(dir / "schedules.csv",
                "id,service_id,location_id,service_at_location_id,valid_from,valid_to,dtstart,freq,"
                "byday,opens_at,closes_at,description\n");
        Out lang(dir / "languages.csv", "id,service_id,location_id,phone_id,name,code,note\n");
        Out cost(dir / "cost_options.csv",
                 "id,service_id,valid_from,valid_to,option,currency,amount,amount_description\n");
        Out doc(dir / "required_documents.csv", "id,service_id,document,uri\n");
        for (long i = 0; i < n; ++i) {
            const int term = pick(14);
            s.Row(
                "svc-%ld,org-%ld,%s %ld,\"Help with %s, by appointment or walk-in.\nCall first.\","
                ",active,,Adults in the county,18,,Call or walk in,2025-06-01T12:00:00Z\n",
                i, i % orgs, kTerms[term], i, kTerms[term]);
            sal.Row("sal-%ld,svc-%ld,loc-%ld,\n", i, i, i % locs);
            attr.Row("at-%ld,svc-%ld,t%d,,service,\n", i, i, term);
            ph.Row("p-%ld,,svc-%ld,,,,503-555-%04d,,voice,\n", i, i, pick(10000));
            sch.Row("s-%ld-a,,,sal-%ld,,,,WEEKLY,\"%s\",09:00,17:00,\n", i, i, kDays[pick(3)]);
            sch.Row("s-%ld-b,,,sal-%ld,,,,WEEKLY,%s,18:00,02:00,Late hours\n", i, i,
                    kDays[3 + pick(3)]);
            lang.Row("l-%ld-a,svc-%ld,,,,en,\n", i, i);
            lang.Row("l-%ld-b,svc-%ld,,,,%s,\n", i, i, kLanguages[1 + pick(5)]);
            if (i % 2 == 0) {
                cost.Row("c-%ld,svc-%ld,,,Sliding scale,usd,%d,per visit\n", i, i, pick(40));
                doc.Row("d-%ld,svc-%ld,Photo ID,\n", i, i);
            }
        }
        rows +=
            s.rows + sal.rows + attr.rows + ph.rows + sch.rows + lang.rows + cost.rows + doc.rows;
    }
    return rows;
}

}  // namespace

int main(int argc, char** argv) {
    long n = 100000;
    fs::path keep;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--keep") == 0 && i + 1 < argc) {
            keep = argv[++i];
        } else {
            n = std::atol(argv[i]);
        }
    }
    const fs::path root =
        keep.empty()
            ? fs::temp_directory_path() / ("hsds-bench-" + std::to_string(std::random_device{}()))
            : keep;
    const fs::path package = root / "package", data = root / "data";
    fs::create_directories(package);
    fs::create_directories(data);

    auto t0 = Clock::now();
    const long long csv_rows = WritePackage(package, n);
    std::printf("wrote %ld services, %lld CSV rows in %.2f s\n", n, csv_rows, Seconds(t0));
    const long rss_before = PeakRssKb();

    auto store = kiosk::store::Store::Open(data / "kiosk.db");
    if (!store) {
        std::fprintf(stderr, "%s\n", store.error().log.c_str());
        return 2;
    }
    for (const char* pass : {"import", "re-import"}) {
        t0 = Clock::now();
        auto report = kiosk::directory::ImportHsds(package, *store.value());
        const double s = Seconds(t0);
        if (!report) {
            std::fprintf(stderr, "%s\n", report.error().log.c_str());
            return 1;
        }
        std::printf(
            "%-9s %lld resources in %.2f s: %.0f resources/s, %.0f CSV rows/s; "
            "%zu rows skipped; peak RSS %.1f MB (%.1f MB before)\n",
            pass, report->imported, s, report->imported / s, csv_rows / s, report->skipped.size(),
            PeakRssKb() / 1024.0, rss_before / 1024.0);
    }
    std::error_code ec;
    std::printf("store file %.1f MB\n", fs::file_size(data / "kiosk.db", ec) / 1048576.0);
    if (keep.empty()) {
        store.value().reset();
        fs::remove_all(root, ec);
    }
    return 0;
}
