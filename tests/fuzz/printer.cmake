# Printer fuzz targets (corpora in corpus/printer_*/): status replies, transport strings, the
# profile file, and the preview renderer (it renders whatever a client sends the virtual printer).
foreach(target printer_status printer_transport printer_profiles printer_render)
  lapor_fuzz_target(${target} fuzz_${target}.cpp lapor_printer)
endforeach()
