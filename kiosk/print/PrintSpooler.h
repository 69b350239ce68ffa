// Printing through CUPS (libcups) on a thread of its own: a job is handed over, sent to the
// configured queue and followed to its end; the main thread only reads snapshots. Printer
// missing, stopped, out of paper or unreachable become plain reasons. Depends on core only.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

#include "kiosk/core/Result.h"
#include "kiosk/print/CardSheet.h"

namespace kiosk::print {

enum class PrintState {
    kQueued,    ///< handed to the spooler thread, not yet accepted by CUPS
    kPrinting,  ///< CUPS has the job (pending, held or processing)
    kDone,      ///< CUPS says completed
    kFailed,    ///< see PrintProblem; the PDF is untouched, a retry may follow. A job CUPS
                ///< had is cancelled first, so a retry never prints the page twice.
};

enum class PrintProblem {
    kNone,
    kNoQueue,     ///< no queue by that name (or none configured)
    kStopped,     ///< the queue is stopped/paused or not accepting jobs
    kOutOfPaper,  ///< media-empty / media-needed
    kPaperJam,
    kOffline,          ///< the printer is not reachable by CUPS
    kCupsUnreachable,  ///< the CUPS server itself does not answer
    kJobFailed,        ///< the job was aborted or cancelled
    kTimedOut,         ///< no end within the time limit (the job is cancelled)
};

struct PrintStatus {
    long ticket = 0;  ///< the spooler's number for the job (not the CUPS job id)
    PrintState state = PrintState::kQueued;
    PrintProblem problem = PrintProblem::kNone;
    int cups_job = 0;    ///< 0 until CUPS accepted it
    std::string detail;  ///< CUPS' own words (printer-state-message, reasons) for logs and staff
};

struct PrintOptions {
    std::string queue;          ///< CUPS queue name from config
    std::string server;         ///< "" = the default CUPS server (CUPS_SERVER / client.conf);
                                ///< "host:port", "host" (port 631) or "/path/to/cups.sock"
    int timeout_seconds = 120;  ///< how long a job may take before it counts as failed
    /// How long a job may sit behind a printer that reports itself offline, out of paper or
    /// jammed (while the queue still runs) before that counts as the job's failure. A stopped
    /// queue fails a waiting job at once.
    int stuck_seconds = 30;
    /// IPP media keyword asked of the printer ("na_letter_8.5x11in", "iso_a4_210x297mm"), so a
    /// Letter page is not fitted onto the queue's default A4 (or the other way round); "" = the
    /// queue's default.
    std::string media;
};

/// Whether printing through `server` (as PrintOptions::server; "" = the default one) needs an
/// encrypted connection: yes for any host but this box (a socket path, localhost, 127.0.0.1,
/// ::1), since a referral names a participant. Such a server must offer TLS.
bool CupsRequiresEncryption(const std::string& server);

/// The IPP media keyword of a paper size.
const char* MediaKeyword(PaperSize paper);

/// The spooler thread, started by the constructor. Submit() and Status() never block on CUPS.
class PrintSpooler {
  public:
    explicit PrintSpooler(PrintOptions options);
    ~PrintSpooler();  ///< stops the thread; a job in CUPS keeps printing
    PrintSpooler(const PrintSpooler&) = delete;
    PrintSpooler& operator=(const PrintSpooler&) = delete;

    /// Queues `pdf` for printing under `title` (the job name CUPS shows: never a person's name).
    /// Returns the ticket at once; the file must stay in place until the ticket leaves kQueued.
    long Submit(const std::filesystem::path& pdf, const std::string& title);
    /// The latest snapshot of a ticket; kFailed/kJobFailed for an unknown ticket. The last
    /// kKeptTickets tickets are remembered.
    PrintStatus Status(long ticket) const;
    /// One-shot check of the queue for the status screen and `kiosk doctor`; blocks for at
    /// most a few seconds, so call it off the main thread. state kDone with kNone when the
    /// queue is ready (idle or printing, accepting jobs, no error reasons), else kFailed with
    /// the problem; detail holds CUPS' own words. ticket is 0.
    PrintStatus CheckQueue() const;

    static constexpr std::size_t kKeptTickets = 64;

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace kiosk::print
