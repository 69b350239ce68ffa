// 8-bit grey pictures as the scan layer passes them around: an owning GreyImage (a camera frame,
// a loaded file) and a non-owning GreyView with a row stride (a crop, an mmap'ed buffer).
// Standard library only.
#pragma once

#include <cstdint>
#include <vector>

namespace kiosk::scan {

/// A view of 8-bit grey pixels; `stride` is the distance between rows in bytes.
struct GreyView {
    const std::uint8_t* data = nullptr;
    int width = 0;
    int height = 0;
    int stride = 0;

    bool Empty() const { return data == nullptr || width <= 0 || height <= 0; }
    const std::uint8_t* Row(int y) const { return data + static_cast<std::ptrdiff_t>(y) * stride; }
    /// The part inside [x, x+w) x [y, y+h), clipped to the picture.
    GreyView Crop(int x, int y, int w, int h) const;
};

/// An owning grey picture, rows packed (stride == width).
struct GreyImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;

    GreyImage() = default;
    GreyImage(int w, int h, std::uint8_t fill = 0)
        : width(w),
          height(h),
          pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), fill) {}

    /// Keeps the allocation when the size does not change (a camera's frames all have one size).
    void Resize(int w, int h) {
        width = w;
        height = h;
        pixels.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    }
    std::uint8_t* Row(int y) { return pixels.data() + static_cast<std::size_t>(y) * width; }
    const std::uint8_t* Row(int y) const {
        return pixels.data() + static_cast<std::size_t>(y) * width;
    }
    std::uint8_t& At(int x, int y) { return Row(y)[x]; }
    std::uint8_t At(int x, int y) const { return Row(y)[x]; }
    GreyView View() const { return GreyView{pixels.data(), width, height, width}; }
    bool Empty() const { return width <= 0 || height <= 0; }
};

inline GreyView GreyView::Crop(int x, int y, int w, int h) const {
    const int x0 = x < 0 ? 0 : (x > width ? width : x);
    const int y0 = y < 0 ? 0 : (y > height ? height : y);
    int x1 = x + w;
    int y1 = y + h;
    x1 = x1 < x0 ? x0 : (x1 > width ? width : x1);
    y1 = y1 < y0 ? y0 : (y1 > height ? height : y1);
    return GreyView{data + static_cast<std::ptrdiff_t>(y0) * stride + x0, x1 - x0, y1 - y0, stride};
}

/// Halves a picture by averaging 2x2 blocks (an odd last row or column is dropped) into `out`,
/// reusing its allocation. Averaging, not skipping, keeps thin modules from aliasing away.
void DownscaleHalf(const GreyView& in, GreyImage& out);

}  // namespace kiosk::scan
