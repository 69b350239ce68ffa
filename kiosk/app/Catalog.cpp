// The .mo reader: a header, then two tables of (length, offset) pairs for ids and texts.
// Every offset is checked against the file size before use.
#include "kiosk/app/Catalog.h"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kiosk {
namespace {

constexpr uint32_t kMagic = 0x950412de;
constexpr uint32_t kMagicSwapped = 0xde120495;

uint32_t Swap(uint32_t v) {
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
}

}  // namespace

Result<Catalog> Catalog::FromMoBytes(std::string_view bytes, std::string language) {
    auto bad = [&](const std::string& why) {
        return MakeError(ErrorCode::kConfig, "translation catalogue '" + language + "': " + why);
    };
    auto word = [&](std::size_t at, bool swap, uint32_t& out) {
        if (at + 4 > bytes.size()) {
            return false;
        }
        std::memcpy(&out, bytes.data() + at, 4);
        if (swap) {
            out = Swap(out);
        }
        return true;
    };
    uint32_t magic = 0;
    if (!word(0, false, magic) || (magic != kMagic && magic != kMagicSwapped)) {
        return bad("not a .mo file");
    }
    const bool swap = magic == kMagicSwapped;
    uint32_t count = 0, ids_at = 0, texts_at = 0;
    if (!word(8, swap, count) || !word(12, swap, ids_at) || !word(16, swap, texts_at)) {
        return bad("truncated header");
    }
    Catalog c;
    c.m_language = std::move(language);
    auto string_at = [&](uint32_t table, uint32_t i, std::string& out) {
        uint32_t len = 0, off = 0;
        const std::size_t entry = static_cast<std::size_t>(table) + 8ull * i;
        if (!word(entry, swap, len) || !word(entry + 4, swap, off) ||
            static_cast<std::size_t>(off) + len > bytes.size()) {
            return false;
        }
        out.assign(bytes.data() + off, len);
        return true;
    };
    for (uint32_t i = 0; i < count; ++i) {
        std::string id, text;
        if (!string_at(ids_at, i, id) || !string_at(texts_at, i, text)) {
            return bad("entry " + std::to_string(i) + " points outside the file");
        }
        if (!id.empty()) {  // the empty id holds the catalogue's header
            c.m_text.emplace(std::move(id), std::move(text));
        }
    }
    return c;
}

Result<Catalog> Catalog::LoadMo(const std::filesystem::path& file, std::string language) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        return MakeError(ErrorCode::kConfig, "cannot read translation catalogue " + file.string());
    }
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return FromMoBytes(bytes.str(), std::move(language));
}

const std::string& Catalog::Tr(std::string_view key) const {
    const std::string k(key);
    if (auto it = m_text.find(k); it != m_text.end()) {
        return it->second;
    }
    return m_missing.emplace(k, k).first->second;
}

std::string Catalog::Format(std::string_view key,
                            const std::map<std::string, std::string>& args) const {
    std::string out = Tr(key);
    for (const auto& [name, value] : args) {
        const std::string placeholder = "{" + name + "}";
        for (std::size_t at = out.find(placeholder); at != std::string::npos;
             at = out.find(placeholder, at + value.size())) {
            out.replace(at, placeholder.size(), value);
        }
    }
    return out;
}

}  // namespace kiosk
