# Printer fuzz targets (corpora in corpus/printer_*/): status replies, transport strings, the
# profile file.
foreach(target printer_status printer_transport printer_profiles)
  lapor_fuzz_target(${target} fuzz_${target}.cpp lapor_printer)
endforeach()
