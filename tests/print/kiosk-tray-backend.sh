#!/bin/sh
# A CUPS backend that plays a printer for the print tests. Device URI kiosk-tray:/path/to/tray;
# what it does depends on files in that folder:
#   jam    report a paper jam and wait (as a printer does until someone clears it)
#   slow   wait without a word (a job that never ends)
#   paper  absent: report media-empty-error and stop the queue (CUPS_BACKEND_STOP = 4)
#   otherwise: copy the document to tray/job-<id>.pdf and report success.
if [ $# -eq 0 ]; then
    echo 'direct kiosk-tray "Unknown" "Kiosk test tray"'
    exit 0
fi
tray=${DEVICE_URI#kiosk-tray:}
# Waits until cancelled: CUPS sends SIGTERM, which must also end the sleep.
wait_until_cancelled() {
    sleep 60 &
    sleeper=$!
    trap 'kill $sleeper 2>/dev/null; exit 1' TERM INT
    wait $sleeper
    exit 1
}
if [ -e "$tray/jam" ]; then
    echo "STATE: +media-jam-error" >&2
    echo "ERROR: Paper jam" >&2
    wait_until_cancelled
fi
if [ -e "$tray/slow" ]; then
    wait_until_cancelled
fi
if [ ! -e "$tray/paper" ]; then
    echo "STATE: +media-empty-error" >&2
    echo "ERROR: Out of paper" >&2
    exit 4
fi
echo "STATE: -media-empty-error,media-jam-error" >&2
if [ $# -ge 6 ]; then
    cat "$6" > "$tray/job-$1.pdf"
else
    cat > "$tray/job-$1.pdf"
fi
exit 0
