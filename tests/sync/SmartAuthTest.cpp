// SMART Backend Services without a server: the client assertion's header and claims, its
// signature checked with OpenSSL against the public key (RSA and EC), a fresh jti each time and
// an exp under 5 minutes; the key checks; the token cache on a fake clock (reused, renewed ahead,
// a 401 renews once) and token endpoint refusals that name the setting to check.
#include <doctest/doctest.h>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sodium.h>

#include <nlohmann/json.hpp>
#include <set>

#include "FakeClock.h"
#include "TestKeys.h"
#include "TestSupport.h"
#include "sync/ClientAssertion.h"
#include "sync/SmartAuth.h"

using namespace kiosk;
using namespace kiosk::sync;
using kiosk::test::MakeClientKey;
using kiosk::test::TempDir;

namespace {

std::string FromBase64Url(const std::string& text) {
    std::string bytes(text.size(), '\0');
    std::size_t size = 0;
    REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(),
                              text.c_str(), text.size(), nullptr, &size, nullptr,
                              sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0);
    bytes.resize(size);
    return bytes;
}

struct Jwt {
    nlohmann::json header, claims;
    std::string input, signature;
};

Jwt Decode(const std::string& jwt) {
    const auto a = jwt.find('.');
    const auto b = jwt.find('.', a + 1);
    REQUIRE(b != std::string::npos);
    return Jwt{nlohmann::json::parse(FromBase64Url(jwt.substr(0, a))),
               nlohmann::json::parse(FromBase64Url(jwt.substr(a + 1, b - a - 1))), jwt.substr(0, b),
               FromBase64Url(jwt.substr(b + 1))};
}

/// Verifies a JWS signature with the public key in `pub_file` (ES384's r || s made DER first).
bool Verifies(const std::filesystem::path& pub_file, const Jwt& jwt) {
    BIO* bio = BIO_new_file(pub_file.c_str(), "r");
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    REQUIRE(key != nullptr);
    std::string sig = jwt.signature;
    if (jwt.header["alg"] == "ES384") {
        REQUIRE(sig.size() == 96);
        ECDSA_SIG* ec = ECDSA_SIG_new();
        const auto* raw = reinterpret_cast<const unsigned char*>(sig.data());
        ECDSA_SIG_set0(ec, BN_bin2bn(raw, 48, nullptr), BN_bin2bn(raw + 48, 48, nullptr));
        unsigned char* der = nullptr;
        const int size = i2d_ECDSA_SIG(ec, &der);
        sig.assign(reinterpret_cast<char*>(der), static_cast<std::size_t>(size));
        OPENSSL_free(der);
        ECDSA_SIG_free(ec);
    }
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    const bool ok =
        EVP_DigestVerifyInit(ctx, nullptr, EVP_sha384(), nullptr, key) == 1 &&
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.data()), sig.size(),
                         reinterpret_cast<const unsigned char*>(jwt.input.data()),
                         jwt.input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(key);
    return ok;
}

/// A token endpoint and FHIR server in memory: counts what it is asked, hands out tok-1,
/// tok-2... and answers each FHIR request with `fhir_status` (or 401 for tokens in `refused`).
struct FakeServer {
    int discoveries = 0, token_requests = 0, fhir_requests = 0;
    std::string last_form, last_authorization;
    long token_status = 200;
    std::string token_body;  ///< when set, the token endpoint's answer
    std::string endpoint = "https://auth.example/token";
    std::set<std::string> refused;
    long long expires_in = 300;

    Result<HttpResponse> Exchange(const HttpRequest& r) {
        for (const auto& h : r.headers) {
            CHECK(h.rfind("Authorization:", 0) != 0);  // discovery and token go without a token
        }
        if (r.url == "https://fhir.example/R4/.well-known/smart-configuration") {
            ++discoveries;
            return HttpResponse{200, {}, nlohmann::json{{"token_endpoint", endpoint}}.dump()};
        }
        CHECK(r.method == "POST");
        CHECK(r.url == endpoint);
        ++token_requests;
        last_form = r.body;
        if (!token_body.empty()) {
            return HttpResponse{token_status, {}, token_body};
        }
        return HttpResponse{
            200,
            {},
            nlohmann::json{{"access_token", "tok-" + std::to_string(token_requests)},
                           {"token_type", "Bearer"},
                           {"expires_in", expires_in}}
                .dump()};
    }
    Result<HttpResponse> Fhir(const HttpRequest& r) {
        ++fhir_requests;
        last_authorization = r.headers.empty() ? "" : r.headers.back();
        const std::string token = last_authorization.substr(last_authorization.rfind(' ') + 1);
        return HttpResponse{refused.count(token) != 0 ? 401L : 200L, {}, "{}"};
    }
};

TransportOptions SmartOptions(const std::filesystem::path& key) {
    TransportOptions o;
    o.auth = ServerAuth::kSmartBackend;
    o.fhir_url = "https://fhir.example/R4/";
    o.client_id = "lobby-kiosk-1";
    o.private_key_file = key.string();
    o.key_id = "kiosk-1";
    return o;
}

std::unique_ptr<SmartAuth> MakeAuth(FakeServer& server, const Clock& clock,
                                    const TransportOptions& options) {
    auto auth = SmartAuth::Create(options, clock,
                                  [&server](const HttpRequest& r) { return server.Exchange(r); });
    REQUIRE_MESSAGE(auth.ok(), (auth.ok() ? "" : auth.error().log));
    return std::move(auth.value());
}

Result<HttpResponse> Get(SmartAuth& auth, FakeServer& server) {
    return auth.Send(HttpRequest{"GET", "https://fhir.example/R4/Location", {}, {}},
                     [&server](const HttpRequest& r) { return server.Fhir(r); });
}

}  // namespace

TEST_CASE("the client assertion: header, claims and a signature the public key verifies") {
    TempDir dir;
    for (const auto* kind : {"rsa", "ec"}) {
        CAPTURE(kind);
        const auto key = MakeClientKey(dir.path(), kind);
        auto assertion = ClientAssertion::Load(key.string(), "kiosk-1");
        REQUIRE_MESSAGE(assertion.ok(), (assertion.ok() ? "" : assertion.error().log));
        const Instant now{std::chrono::seconds{1796000000}};
        auto jwt = assertion->Sign("lobby-kiosk-1", "https://auth.example/token", now);
        REQUIRE(jwt.ok());
        const Jwt d = Decode(jwt.value());
        CHECK(d.header["alg"] == (std::string(kind) == "rsa" ? "RS384" : "ES384"));
        CHECK(d.header["typ"] == "JWT");
        CHECK(d.header["kid"] == "kiosk-1");
        CHECK(d.claims["iss"] == "lobby-kiosk-1");
        CHECK(d.claims["sub"] == "lobby-kiosk-1");
        CHECK(d.claims["aud"] == "https://auth.example/token");
        CHECK(d.claims["iat"] == 1796000000);
        CHECK(d.claims["exp"].get<long long>() > 1796000000);
        CHECK(d.claims["exp"].get<long long>() <= 1796000000 + 300);
        CHECK(Verifies(key.string() + ".pub", d));
        Jwt tampered = d;
        tampered.input[tampered.input.size() - 2] ^= 1;  // a claim changed after signing
        CHECK_FALSE(Verifies(key.string() + ".pub", tampered));

        std::set<std::string> jtis;
        for (int i = 0; i < 20; ++i) {
            jtis.insert(Decode(assertion->Sign("c", "https://a/t", now).value()).claims["jti"]);
        }
        CHECK(jtis.size() == 20);
        CHECK(jtis.begin()->size() >= 16);
        auto no_kid = ClientAssertion::Load(key.string(), "");
        CHECK_FALSE(Decode(no_kid->Sign("c", "https://a/t", now).value()).header.contains("kid"));
        auto long_asked = assertion->Sign("c", "https://a/t", now, Seconds{3600});
        CHECK(Decode(long_asked.value()).claims["exp"] == 1796000000 + 300);  // capped at 5 min
    }
}

TEST_CASE("key checks name server.private_key_file and what is wrong with it") {
    TempDir dir;
    const auto open = MakeClientKey(dir.path(), "ec");
    ::chmod(open.c_str(), 0644);
    std::ofstream(dir.path() / "text.pem") << "not a key\n";
    ::chmod((dir.path() / "text.pem").c_str(), 0600);
    const std::pair<std::filesystem::path, std::string> cases[] = {
        {dir.path() / "missing.pem", "cannot be read"},
        {open, "is open to any user on this box"},
        {MakeClientKey(dir.path(), "ec256"), "is an EC key on curve prime256v1; ES384 needs P-384"},
        {MakeClientKey(dir.path(), "ed25519"), "is a ED25519 key"},
        {MakeClientKey(dir.path(), "rsa1024"), "1024 bits; RS384 needs at least 2048"},
        {dir.path() / "text.pem", "is not a PEM private key"},
    };
    for (const auto& [file, expect] : cases) {
        auto r = ClientAssertion::Load(file.string(), "");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::kConfig);
        CHECK_MESSAGE(r.error().log.find("server.private_key_file " + file.string()) == 0,
                      r.error().log);
        CHECK_MESSAGE(r.error().log.find(expect) != std::string::npos, r.error().log);
    }
}

TEST_CASE("the token is reused, renewed ahead of expiry on the clock, and a 401 renews once") {
    TempDir dir;
    const auto key = MakeClientKey(dir.path(), "ec");
    FakeClock clock(Instant{std::chrono::seconds{1796000000}});
    FakeServer server;
    auto auth = MakeAuth(server, clock, SmartOptions(key));
    CHECK(server.token_requests == 0);  // nothing asked before the first request

    for (int i = 0; i < 3; ++i) {
        REQUIRE(Get(*auth, server).ok());
    }
    CHECK(server.discoveries == 1);
    CHECK(server.token_requests == 1);
    CHECK(server.last_authorization == "Authorization: Bearer tok-1");
    CHECK(auth->TokenUrl() == "https://auth.example/token");
    CHECK(server.last_form.find("grant_type=client_credentials&") == 0);
    CHECK(server.last_form.find("client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-"
                                "assertion-type%3Ajwt-bearer") != std::string::npos);
    CHECK(server.last_form.find("scope=system%2FLocation.rs%20") != std::string::npos);
    CHECK(server.last_form.find("&client_assertion=ey") != std::string::npos);

    clock.Advance(Seconds{239});  // a 300 s token is renewed 60 s before it ends
    REQUIRE(Get(*auth, server).ok());
    CHECK(server.token_requests == 1);
    clock.Advance(Seconds{2});
    REQUIRE(Get(*auth, server).ok());
    CHECK(server.token_requests == 2);
    CHECK(server.last_authorization == "Authorization: Bearer tok-2");

    server.refused = {"tok-2"};  // the server forgot the token: renew once, send once more
    auto retried = Get(*auth, server);
    REQUIRE(retried.ok());
    CHECK(retried->status == 200);
    CHECK(server.token_requests == 3);
    CHECK(server.last_authorization == "Authorization: Bearer tok-3");

    server.refused = {"tok-3", "tok-4", "tok-5"};  // refused every time: one renewal, no loop
    const int sent = server.fhir_requests;
    auto refused = Get(*auth, server);
    REQUIRE(refused.ok());
    CHECK(refused->status == 401);
    CHECK(server.fhir_requests == sent + 2);
    CHECK(server.token_requests == 4);
    CHECK(server.discoveries == 1);

    CHECK(RenewAfter(Seconds{3}) == std::chrono::milliseconds{2400});  // short tokens: at 80%
    CHECK(RenewAfter(Seconds{3600}) == std::chrono::milliseconds{3540000});
}

TEST_CASE("token endpoint refusals say which of token URL, key, client id or scope to check") {
    TempDir dir;
    const auto key = MakeClientKey(dir.path(), "rsa");
    FakeClock clock(Instant{std::chrono::seconds{1796000000}});
    const auto oauth = [](const char* error, const char* description) {
        return nlohmann::json{{"error", error}, {"error_description", description}}.dump();
    };
    const std::tuple<long, std::string, std::string> cases[] = {
        {400, oauth("invalid_scope", "not granted: system/Patient.rus"), "scope: server.scope"},
        {401, oauth("invalid_client", "unknown client id \"x\""),
         "client id: check server.client_id"},
        {401, oauth("invalid_client", "signature does not verify"),
         "key: check that the public key"},
        {401, oauth("invalid_client", "the assertion's aud must be https://b/t"), "token URL"},
        {404, "<html>Not Found</html>", "token URL: is https://auth.example/token"},
    };
    for (const auto& [status, body, expect] : cases) {
        FakeServer server;
        server.token_status = status;
        server.token_body = body;
        auto auth = MakeAuth(server, clock, SmartOptions(key));
        auto r = Get(*auth, server);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == ErrorCode::kConfig);
        CHECK_MESSAGE(r.error().log.find(expect) != std::string::npos, r.error().log);
        CHECK(r.error().log.find("eyJ") == std::string::npos);  // never the assertion
        CHECK(server.fhir_requests == 0);
    }

    FakeServer plain;
    plain.endpoint = "http://auth.example/token";
    auto auth = MakeAuth(plain, clock, SmartOptions(key));
    auto r = Get(*auth, plain);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().log.find("not https://") != std::string::npos);
    CHECK(plain.token_requests == 0);

    FakeServer configured;  // server.token_url set: no discovery
    auto options = SmartOptions(key);
    options.token_url = "https://auth.example/token";
    auto direct = MakeAuth(configured, clock, options);
    REQUIRE(Get(*direct, configured).ok());
    CHECK(configured.discoveries == 0);
    CHECK(configured.token_requests == 1);
}
