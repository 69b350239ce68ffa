#!/bin/sh
# Runs a private CUPS scheduler for the print tests: everything (config, spool, logs, the
# socket) lives in DIR; it listens on DIR/cups.sock only, with no browsing and no auth. The
# system's cupsd, its queues and /etc/cups/cupsd.conf are never touched.
#
# usage: private-cupsd.sh DIR INSTANCE CUPSD TRAY_BACKEND
#   DIR           an empty folder owned by root (the test's temp folder)
#   INSTANCE      a unique name; cups-pdf reads /etc/cups/cups-pdf-INSTANCE.conf for a queue
#                 whose device is cups-pdf:/INSTANCE (its config path is compiled in), so this
#                 script writes that file (output to DIR/pdf-out) and removes it on exit
#   CUPSD         the cupsd binary (/usr/sbin/cupsd)
#   TRAY_BACKEND  the kiosk-tray test backend script, installed as DIR/bin/backend/kiosk-tray
#
# Needs root: cupsd drops to user lp for filters, and cups-pdf refuses to run otherwise.
# Stays in the foreground until SIGTERM, then stops cupsd and cleans up.
set -eu
dir=$1
instance=$2
cupsd=$3
tray_backend=$4

mkdir -p "$dir/conf" "$dir/spool/tmp" "$dir/cache" "$dir/state" "$dir/log" "$dir/bin/backend" \
         "$dir/pdf-out" "$dir/pdf-spool" "$dir/tray"
# Filters run as lp, and cups-pdf / the tray backend write their output here.
chmod 0755 "$dir"
chmod 0777 "$dir/tray" "$dir/pdf-out"

# ServerBin: the system's filters, our own backend folder with only what the tests use.
for sub in filter daemon cgi-bin notifier monitor driver; do
    [ -e "$dir/bin/$sub" ] || ln -s "/usr/lib/cups/$sub" "$dir/bin/$sub"
done
[ -e /usr/lib/cups/backend/cups-pdf ] && ln -sf /usr/lib/cups/backend/cups-pdf "$dir/bin/backend/cups-pdf"
cp "$tray_backend" "$dir/bin/backend/kiosk-tray"
chmod 0755 "$dir/bin/backend/kiosk-tray"

cat > "$dir/conf/cupsd.conf" <<CONF
Listen $dir/cups.sock
Browsing No
BrowseLocalProtocols none
DefaultAuthType None
WebInterface No
LogLevel debug
MaxLogSize 0
# Cancelled and finished jobs stay listed so the tests can look at them.
PreserveJobHistory Yes
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess all
  SubscriptionPrivateValues none
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
CONF

cat > "$dir/conf/cups-files.conf" <<CONF
ServerRoot $dir/conf
ServerBin $dir/bin
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
ErrorLog $dir/log/error_log
AccessLog $dir/log/access_log
PageLog $dir/log/page_log
FileDevice No
CONF

pdf_conf=/etc/cups/cups-pdf-$instance.conf
if [ -d /etc/cups ]; then
    cat > "$pdf_conf" <<CONF
# Written by the kiosk's print test (tests/print/private-cupsd.sh); removed when it ends.
Out $dir/pdf-out
AnonDirName $dir/pdf-out
Spool $dir/pdf-spool
Log $dir/log
CONF
fi

cupsd_pid=
cleanup() {
    if [ -n "$cupsd_pid" ]; then
        kill "$cupsd_pid" 2>/dev/null || true
        wait "$cupsd_pid" 2>/dev/null || true
    fi
    rm -f "$pdf_conf"
}
trap 'cleanup; exit 0' TERM INT HUP
trap cleanup EXIT

"$cupsd" -f -c "$dir/conf/cupsd.conf" -s "$dir/conf/cups-files.conf" &
cupsd_pid=$!
wait "$cupsd_pid"
