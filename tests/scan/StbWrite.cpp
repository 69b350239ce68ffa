// stb_image_write for the tests' PNG and JPEG files (the kiosk itself never writes images).
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb/stb_image_write.h>
