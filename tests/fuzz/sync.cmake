# Sync fuzz targets (corpora in corpus/sync_reply and corpus/lab_request).
lapor_fuzz_target(sync_reply ${CMAKE_CURRENT_LIST_DIR}/fuzz_sync_reply.cpp lapor_sync_api)
lapor_fuzz_target(lab_request ${CMAKE_CURRENT_LIST_DIR}/fuzz_lab_request.cpp lapor_lab_request)
