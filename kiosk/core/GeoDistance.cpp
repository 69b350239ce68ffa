// Haversine for exact figures and the chord form for comparing many places quickly; both on a
// sphere of kEarthRadiusKm, so they agree on which place is nearer.
#include "kiosk/core/GeoDistance.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace kiosk {
namespace {

double Radians(double degrees) {
    return degrees * std::numbers::pi / 180.0;
}

}  // namespace

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
    const double dlat = Radians(lat2 - lat1);
    const double dlon = Radians(lon2 - lon1);
    const double s = std::sin(dlat / 2);
    const double t = std::sin(dlon / 2);
    const double h = s * s + std::cos(Radians(lat1)) * std::cos(Radians(lat2)) * t * t;
    return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::clamp(h, 0.0, 1.0)));
}

UnitVector ToUnitVector(double lat, double lon) {
    const double phi = Radians(lat);
    const double lambda = Radians(lon);
    return {std::cos(phi) * std::cos(lambda), std::cos(phi) * std::sin(lambda), std::sin(phi)};
}

double KmToChordSquared(double km) {
    // Beyond half the circumference every place is within reach.
    const double angle = std::min(std::max(km, 0.0) / kEarthRadiusKm, std::numbers::pi);
    const double chord = 2 * std::sin(angle / 2);
    return chord * chord;
}

}  // namespace kiosk
