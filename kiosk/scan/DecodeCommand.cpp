// The decode command: LoadGreyImage -> DecodeStill -> ParseToken, one line each.
#include "kiosk/scan/DecodeCommand.h"

#include "kiosk/core/Token.h"
#include "kiosk/scan/ImageFile.h"
#include "kiosk/scan/QrDecoder.h"
#include "kiosk/scan/ScanEvent.h"

namespace kiosk::scan {

DecodeLine DecodeImageFile(const std::string& file) {
    DecodeLine line;
    line.text = EscapeField(file) + " ";
    auto image = LoadGreyImage(file);
    if (!image) {
        // The reason without the file name again: it already leads the line.
        std::string why = image.error().log;
        if (why.rfind(file + ": ", 0) == 0) {
            why = why.substr(file.size() + 2);
        }
        line.text += "error " + EscapeForLog(why, 512);  // our own words: spaces kept
        line.readable = false;
        return line;
    }
    const auto hit = DecodeStill(image->View());
    if (!hit) {
        line.text += "none";
        return line;
    }
    line.text += "ok " + EscapeField(hit->payload) +
                 " token=" + (ParseToken(hit->payload).ok() ? "valid" : "invalid");
    return line;
}

int RunDecodeCommand(const std::vector<std::string>& files, std::FILE* out) {
    int status = 0;
    for (const std::string& file : files) {
        const DecodeLine line = DecodeImageFile(file);
        std::fprintf(out, "%s\n", line.text.c_str());
        if (!line.readable) {
            status = 1;
        }
    }
    std::fflush(out);
    return status;
}

}  // namespace kiosk::scan
