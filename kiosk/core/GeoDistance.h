// Straight-line (great-circle) distance between two places, for "distance from the clinic".
// Pure math on a spherical Earth; no store, no units other than kilometres.
#pragma once

namespace kiosk {

/// Mean Earth radius (IUGG), kilometres.
inline constexpr double kEarthRadiusKm = 6371.0088;

/// Great-circle distance in km between two latitude/longitude points in degrees (haversine).
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

/// A place as a point on the unit sphere. Comparing many places with one origin is then a
/// subtraction and a dot product: the chord between two points grows with their distance.
struct UnitVector {
    double x = 0;
    double y = 0;
    double z = 0;
};
UnitVector ToUnitVector(double lat, double lon);

/// Squared chord length between two unit vectors (0..4): orders places as HaversineKm does.
inline double ChordSquared(const UnitVector& a, const UnitVector& b) {
    const double dx = a.x - b.x;
    const double dy = a.y - b.y;
    const double dz = a.z - b.z;
    return dx * dx + dy * dy + dz * dz;
}

/// The squared chord of a great-circle distance, so "within km" needs no trigonometry per place.
double KmToChordSquared(double km);

}  // namespace kiosk
