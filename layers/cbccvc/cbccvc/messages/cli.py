"""Messages the command-line tools and the local demo print."""

from cbccvc.messages.catalog import Message

CLI_MESSAGES: dict[str, Message] = {
    "demo.description": Message(
        "Chạy thử toàn bộ quy trình trên máy: kiểm tra, ký duyệt, đồng bộ và báo cáo ngày, với AWS giả lập (moto) "
        "và trình giả lập các hệ thống quốc gia.",
        "Run the whole pipeline locally: validate, approve, sync and the daily report, on simulated AWS (moto) "
        "and an emulator of the national systems.",
    ),
    "demo.option_file": Message(
        "Tệp xuất dữ liệu của cơ quan (.xlsx, .xls, .csv, .json). Mặc định: tệp mẫu kèm theo.",
        "The agency's export (.xlsx, .xls, .csv, .json). Default: the bundled sample.",
    ),
    "demo.option_agency": Message("Mã cơ quan dùng khi chạy thử (mặc định H46).",
                                  "Agency code for the run (default H46)."),
    "demo.option_units": Message(
        "Tệp danh sách đơn vị (CSV hoặc XLSX: Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Mã xã).",
        "Unit list file (CSV or XLSX: Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Mã xã).",
    ),
    "demo.option_output": Message("Thư mục lưu các báo cáo (mặc định .local/demo).",
                                  "Folder for the reports (default .local/demo)."),
    "demo.file_not_found": Message("Không tìm thấy tệp «{file}». Hãy kiểm tra đường dẫn.",
                                   "File '{file}' not found. Check the path."),
    "demo.started": Message(
        "Đã khởi động: AWS giả lập (moto) tại {moto}, trình giả lập hệ thống quốc gia tại {emulator}.",
        "Started: simulated AWS (moto) at {moto}, national systems emulator at {emulator}.",
    ),
    "demo.population_from_file": Message(
        "Lưu ý: người trong tệp riêng không có trong sổ dân cư mẫu, nên trình giả lập lấy chính họ tên, ngày sinh "
        "trong tệp làm sổ dân cư. Kết quả đối chiếu dân cư vì vậy chỉ là giả lập.",
        "Note: people in your own file are not in the sample population register, so the emulator uses the "
        "names and dates of birth in the file as its register. Population matching is therefore only simulated.",
    ),
    "demo.units_from_file": Message(
        "Lưu ý: chưa có danh sách đơn vị, nên dùng các mã đơn vị xuất hiện trong tệp ({count} đơn vị).",
        "Note: no unit list was given, so the unit codes found in the file are registered ({count} units).",
    ),
    "demo.uploaded": Message("Tải lên «{file}» → s3://{bucket}/{key}", "Uploaded '{file}' → s3://{bucket}/{key}"),
    "demo.validated": Message(
        "Kiểm tra xong lô {batch_id}: {rows} dòng, {valid} hồ sơ hợp lệ, {invalid} hồ sơ có lỗi.",
        "Validated batch {batch_id}: {rows} rows, {valid} valid records, {invalid} invalid.",
    ),
    "demo.batch_rejected": Message("Lô {batch_id} bị từ chối: {reason}", "Batch {batch_id} rejected: {reason}"),
    "demo.signed": Message("Người phê duyệt «{subject}» đã ký bản kê của lô.",
                           "Approver '{subject}' signed the batch manifest."),
    "demo.approved": Message("Chữ ký hợp lệ; lô đã được phê duyệt.", "Signature valid; the batch is approved."),
    "demo.approval_rejected": Message("Chữ ký bị từ chối: {reason}", "Signature rejected: {reason}"),
    "demo.pilot": Message("Đồng bộ thử {count} hồ sơ lên môi trường thử nghiệm: {status}.",
                          "Test sync of {count} records: {status}."),
    "demo.synced": Message(
        "Đồng bộ lô {batch_id}: {state}; {synced} hồ sơ đã gửi, {unchanged} không đổi nên không gửi lại, "
        "{failed} bị từ chối.",
        "Synced batch {batch_id}: {state}; {synced} records sent, {unchanged} unchanged and not resent, "
        "{failed} rejected.",
    ),
    "demo.duplicates": Message(
        "Tải lại cùng tệp và gửi trùng sự kiện S3: không tạo lô mới, không gửi thêm hồ sơ nào "
        "(hệ thống quốc gia vẫn nhận {accepted} hồ sơ).",
        "Same file uploaded again and an S3 event delivered twice: no new batch, nothing new sent "
        "(the national system still holds {accepted} records).",
    ),
    "demo.changed": Message(
        "Sửa {count} dòng ({rows}) rồi tải lên lại: chỉ {sent} hồ sơ thay đổi được gửi.",
        "Changed {count} rows ({rows}) and uploaded again: only {sent} changed records were sent.",
    ),
    "demo.changed_skipped": Message(
        "Bỏ qua bước sửa dòng: tệp cần ít nhất {count} hồ sơ hợp lệ có cột chức vụ.",
        "Skipped the changed-rows step: the file needs at least {count} valid records with a position column.",
    ),
    "demo.daily_report": Message("Báo cáo tiến độ ngày {date}: {agencies} cơ quan.",
                                 "Daily progress report of {date}: {agencies} agencies."),
    "demo.outputs": Message("Các tệp kết quả:", "Output files:"),
    "demo.finished": Message("Hoàn tất sau {seconds} giây.", "Finished in {seconds} seconds."),
    "demo.failed": Message("Chạy thử dừng lại: {reason}", "The demo stopped: {reason}"),
    "state.validated": Message("đã kiểm tra", "validated"),
    "state.rejected": Message("bị từ chối", "rejected"),
    "state.approved": Message("đã phê duyệt", "approved"),
    "state.syncing": Message("đang đồng bộ", "syncing"),
    "state.synced": Message("đã đồng bộ", "synced"),
    "state.partial": Message("đồng bộ một phần", "partly synced"),
    "state.failed": Message("thất bại", "failed"),
    "pilot.passed": Message("đạt", "passed"),
    "pilot.failed": Message("không đạt", "failed"),
}
