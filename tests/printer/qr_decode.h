// Decodes QR codes from a printer raster with zbar (in process), and from an image file with
// zbarimg, for the tests.
#pragma once
#include <string>
#include <vector>

#include "bitmap.h"

namespace lapor::printer::test {

std::vector<std::string> decode_qr(const Bitmap& b);
// Runs `zbarimg --nodbus -q --raw FILE`; the decoded texts (empty when none).
std::vector<std::string> zbarimg(const std::string& path);

}  // namespace lapor::printer::test
