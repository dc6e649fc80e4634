// Decodes QR codes from a printer raster with zbar (in process), and from an image file with
// zbarimg, for the tests.
#pragma once
#include <string>
#include <vector>

#include "bitmap.h"

namespace lapor::printer::test {

std::vector<std::string> decode_qr(const Bitmap& b);
// Runs `zbarimg --nodbus -q --raw -Sdisable -Sqrcode.enable FILE`: the QR codes' texts (empty
// when none). Only QR is enabled: 1 receipt preview in about 3,400 here also read as a Codabar
// symbol (the printed text's strokes: "Codabar:C$9C" beside the right QR), which failed CI once.
std::vector<std::string> zbarimg(const std::string& path);

}  // namespace lapor::printer::test
