// Translated text for one language, read from a gettext .mo file compiled from
// assets/i18n/<lang>.po. Message ids are keys ("result.checked_in"), so English is a catalogue
// too and no participant-facing sentence lives in code. One object per language: no global
// locale state (libintl switches languages through process-wide environment variables).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

#include "kiosk/core/Result.h"

namespace kiosk {

class Catalog {
  public:
    /// Reads a GNU .mo file (either byte order). A damaged file is an error, not a crash.
    static Result<Catalog> LoadMo(const std::filesystem::path& file, std::string language);
    static Result<Catalog> FromMoBytes(std::string_view bytes, std::string language);

    const std::string& Language() const { return m_language; }
    bool Has(std::string_view key) const { return m_text.count(std::string(key)) != 0; }
    std::size_t Size() const { return m_text.size(); }

    /// The text for `key`, or the key itself when missing (visible, and caught by a test).
    const std::string& Tr(std::string_view key) const;
    /// Tr() with "{name}" placeholders filled in from `args`.
    std::string Format(std::string_view key, const std::map<std::string, std::string>& args) const;

  private:
    std::string m_language;
    std::unordered_map<std::string, std::string> m_text;
    mutable std::unordered_map<std::string, std::string> m_missing;
};

}  // namespace kiosk
