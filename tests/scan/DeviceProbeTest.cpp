// The doctor's device probes on nodes every box has: a missing node, and /dev/null, which is
// neither a V4L2 nor an evdev device (its ioctls answer ENOTTY).
#include <doctest/doctest.h>

#include <cerrno>

#include "kiosk/scan/DeviceProbe.h"

using namespace kiosk::scan;

TEST_CASE("device probes: a missing node and a node of another kind") {
    CameraProbe cam = ProbeCamera("/dev/kiosk-test-no-video9");
    CHECK(cam.open_error == ENOENT);
    CHECK_FALSE(cam.capture);
    cam = ProbeCamera("/dev/null");
    CHECK(cam.open_error == 0);
    CHECK(cam.query_error == ENOTTY);
    CHECK_FALSE(cam.capture);
    CHECK(cam.card.empty());

    WedgeProbe wedge = ProbeWedge("/dev/kiosk-test-no-event9");
    CHECK(wedge.open_error == ENOENT);
    wedge = ProbeWedge("/dev/null");
    CHECK(wedge.open_error == 0);
    CHECK(wedge.name_error == ENOTTY);
    CHECK(wedge.name.empty());
}
