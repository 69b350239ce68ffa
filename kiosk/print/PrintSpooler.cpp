// The print spooler thread: sends PDFs to a CUPS queue over IPP (libcups) and follows each
// job with Get-Job-Attributes / Get-Printer-Attributes until it ends, turning CUPS states and
// reasons into PrintProblem values. Callers only read snapshots under a mutex. Depends on
// core only; never logs a job's title or file contents.
#include "kiosk/print/PrintSpooler.h"

#include <deque>
#include <mutex>
#include <thread>

#include "kiosk/core/Log.h"
#include "kiosk/print/CupsClient.h"

namespace kiosk::print {

using namespace cups_client;

struct PrintSpooler::Impl {
    struct Job {
        long ticket = 0;
        fs::path pdf;
        std::string title;
    };

    PrintOptions options;
    mutable std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> jobs;
    std::map<long, PrintStatus> statuses;
    long next_ticket = 1;
    bool stopping = false;
    std::thread thread;

    void Publish(const PrintStatus& status) {
        std::lock_guard lock(mutex);
        statuses[status.ticket] = status;
        while (statuses.size() > kKeptTickets) {
            statuses.erase(statuses.begin());  // tickets grow, so the first is the oldest
        }
    }

    /// Sleeps up to `how_long`; false when the spooler is being destroyed.
    bool Pause(std::chrono::milliseconds how_long) {
        std::unique_lock lock(mutex);
        return !wake.wait_for(lock, how_long, [this] { return stopping; });
    }

    void Run() {
        cupsSetPasswordCB2(&NoPassword, nullptr);
        Cups cups(options);
        while (true) {
            Job job;
            {
                std::unique_lock lock(mutex);
                wake.wait(lock, [this] { return stopping || !jobs.empty(); });
                if (stopping) {
                    return;
                }
                job = std::move(jobs.front());
                jobs.pop_front();
            }
            try {
                Print(cups, job);
            } catch (const std::exception& e) {
                Publish(PrintStatus{job.ticket, PrintState::kFailed, PrintProblem::kJobFailed, 0,
                                    std::string("unexpected failure: ") + e.what()});
            }
            // A fresh connection per job: a long-idle one may have been closed by cupsd.
            cups.Disconnect();
        }
    }

    void Fail(PrintStatus& status, PrintProblem problem, std::string detail) {
        status.state = PrintState::kFailed;
        status.problem = problem;
        status.detail = std::move(detail);
        LogWarn("print", "ticket " + std::to_string(status.ticket) + " (CUPS job " +
                             std::to_string(status.cups_job) + ") failed: " + status.detail);
        Publish(status);
    }

    void Print(Cups& cups, const Job& job) {
        PrintStatus status{job.ticket, PrintState::kQueued, PrintProblem::kNone, 0, {}};
        if (!IsQueueName(options.queue)) {
            Fail(status, PrintProblem::kNoQueue,
                 options.queue.empty() ? "no print queue is configured"
                                       : "'" + options.queue + "' is not a CUPS queue name");
            return;
        }
        if (access(job.pdf.c_str(), R_OK) != 0) {
            Fail(status, PrintProblem::kJobFailed,
                 "cannot read " + job.pdf.string() + ": " + std::strerror(errno));
            return;
        }
        // Ask first: a stopped queue would hold the job silently, and a missing one should say
        // so before any upload.
        auto [printer, failure] = cups.Printer();
        if (failure) {
            Fail(status, failure->problem, failure->detail);
            return;
        }
        if (printer->state == kPrinterStopped) {
            Fail(status, StoppedProblem(*printer), "the queue is stopped: " + printer->Detail());
            return;
        }
        if (!printer->accepting) {
            Fail(status, PrintProblem::kStopped, printer->Detail());
            return;
        }
        auto [job_id, print_failure] = cups.PrintPdf(job.pdf, TitleForCups(job.title));
        if (print_failure) {
            Fail(status, print_failure->problem, print_failure->detail);
            return;
        }
        status.cups_job = job_id;
        status.state = PrintState::kPrinting;
        Publish(status);
        Follow(cups, status);
    }

    /// Polls the job and its printer until the job ends, gets stuck or runs out of time.
    void Follow(Cups& cups, PrintStatus& status) {
        const auto deadline = SteadyClock::now() + std::chrono::seconds(options.timeout_seconds);
        // When the printer started reporting the problem our job waits behind (max = not stuck).
        SteadyClock::time_point stuck_since = SteadyClock::time_point::max();
        int poll_failures = 0;
        auto give_up = [&](PrintProblem problem, std::string detail) {
            cups.Cancel(status.cups_job);
            Fail(status, problem, std::move(detail));
        };
        while (true) {
            auto [job, job_failure] = cups.Job(status.cups_job);
            if (job_failure && job_failure->problem == PrintProblem::kNoQueue &&
                !cups.Printer().second) {
                // The queue is there but the job is not: a cupsd with PreserveJobHistory off
                // forgets jobs as they end. Calling that a failure would invite a second copy.
                status.state = PrintState::kDone;
                status.problem = PrintProblem::kNone;
                status.detail = "CUPS no longer lists the job; it ended without an error";
                Publish(status);
                return;
            }
            std::optional<PrinterInfo> printer;
            if (!job_failure) {
                auto [info, printer_failure] = cups.Printer();
                printer = info;
                job_failure = printer_failure;
            }
            if (job_failure) {
                // cupsd restarting or busy: keep trying for a while before blaming it.
                if (++poll_failures >= kMaxPollFailures) {
                    Fail(status, job_failure->problem, job_failure->detail);
                    return;
                }
            } else {
                poll_failures = 0;
                const std::string detail = JobDetail(*job, *printer);
                switch (job->state) {
                    case kJobCompleted:
                        status.state = PrintState::kDone;
                        status.problem = PrintProblem::kNone;
                        status.detail = detail;
                        Publish(status);
                        return;
                    case kJobCanceled:
                    case kJobAborted:
                        Fail(status, PrintProblem::kJobFailed,
                             std::string(job->state == kJobCanceled ? "cancelled" : "aborted") +
                                 (detail.empty() ? "" : ": " + detail));
                        return;
                    default:
                        break;
                }
                if (printer->state == kPrinterStopped || job->state == kJobStopped) {
                    // CUPS holds our job until someone resumes the queue: say so now.
                    give_up(StoppedProblem(*printer), "the queue stopped: " + detail);
                    return;
                }
                const PrintProblem problem = ProblemFromReasons(printer->reasons, false);
                const bool waiting = job->state == kJobPending || job->state == kJobHeld ||
                                     job->state == kJobProcessing;
                if (problem != PrintProblem::kNone && waiting) {
                    stuck_since = std::min(stuck_since, SteadyClock::now());
                    if (SteadyClock::now() - stuck_since >=
                        std::chrono::seconds(options.stuck_seconds)) {
                        give_up(problem, detail);
                        return;
                    }
                } else {
                    stuck_since = SteadyClock::time_point::max();
                }
                if (status.detail != detail) {
                    status.detail = detail;
                    Publish(status);
                }
            }
            if (SteadyClock::now() >= deadline) {
                give_up(PrintProblem::kTimedOut,
                        "no end after " + std::to_string(options.timeout_seconds) + " s" +
                            (status.detail.empty() ? "" : ": " + status.detail));
                return;
            }
            if (!Pause(kPollInterval)) {
                return;  // shutting down: the job stays with CUPS and prints
            }
        }
    }

    static std::string JobDetail(const JobInfo& job, const PrinterInfo& printer) {
        std::string text = printer.Detail();
        if (!job.message.empty() && job.message != printer.message) {
            text = job.message + (text.empty() ? "" : "; " + text);
        }
        return text;
    }
};

bool CupsRequiresEncryption(const std::string& server) {
    return RequiresEncryption(ParseServer(server));
}

const char* MediaKeyword(PaperSize paper) {
    return paper == PaperSize::kA4 ? "iso_a4_210x297mm" : "na_letter_8.5x11in";
}

PrintSpooler::PrintSpooler(PrintOptions options) : m_impl(std::make_unique<Impl>()) {
    m_impl->options = std::move(options);
    m_impl->options.timeout_seconds = std::max(1, m_impl->options.timeout_seconds);
    m_impl->options.stuck_seconds = std::max(0, m_impl->options.stuck_seconds);
    m_impl->thread = std::thread([impl = m_impl.get()] { impl->Run(); });
}

PrintSpooler::~PrintSpooler() {
    {
        std::lock_guard lock(m_impl->mutex);
        m_impl->stopping = true;
    }
    m_impl->wake.notify_all();
    m_impl->thread.join();
}

long PrintSpooler::Submit(const std::filesystem::path& pdf, const std::string& title) {
    long ticket = 0;
    {
        std::lock_guard lock(m_impl->mutex);
        ticket = m_impl->next_ticket++;
        m_impl->jobs.push_back(Impl::Job{ticket, pdf, title});
        m_impl->statuses[ticket] =
            PrintStatus{ticket, PrintState::kQueued, PrintProblem::kNone, 0, {}};
        while (m_impl->statuses.size() > kKeptTickets) {
            m_impl->statuses.erase(m_impl->statuses.begin());
        }
    }
    m_impl->wake.notify_all();
    return ticket;
}

PrintStatus PrintSpooler::Status(long ticket) const {
    std::lock_guard lock(m_impl->mutex);
    const auto it = m_impl->statuses.find(ticket);
    if (it == m_impl->statuses.end()) {
        return PrintStatus{ticket, PrintState::kFailed, PrintProblem::kJobFailed, 0,
                           "unknown ticket"};
    }
    return it->second;
}

PrintStatus PrintSpooler::CheckQueue() const {
    PrintStatus status{0, PrintState::kFailed, PrintProblem::kNone, 0, {}};
    const PrintOptions& options = m_impl->options;
    if (!IsQueueName(options.queue)) {
        status.problem = PrintProblem::kNoQueue;
        status.detail = options.queue.empty() ? "no print queue is configured"
                                              : "'" + options.queue + "' is not a CUPS queue name";
        return status;
    }
    try {
        Cups cups(options);
        auto [printer, failure] = cups.Printer();
        if (failure) {
            status.problem = failure->problem;
            status.detail = failure->detail;
            return status;
        }
        status.detail = printer->Detail();
        if (printer->state == kPrinterStopped) {
            status.problem = StoppedProblem(*printer);
        } else if (!printer->accepting) {
            status.problem = PrintProblem::kStopped;
        } else {
            status.problem = ProblemFromReasons(printer->reasons, true);
        }
        if (status.problem == PrintProblem::kNone) {
            status.state = PrintState::kDone;
        }
    } catch (const std::exception& e) {
        status.problem = PrintProblem::kJobFailed;
        status.detail = std::string("unexpected failure: ") + e.what();
    }
    return status;
}

}  // namespace kiosk::print
