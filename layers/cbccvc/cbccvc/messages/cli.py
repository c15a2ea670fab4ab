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
        "Tệp xuất dữ liệu của cơ quan (.xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, .json). Mặc định: tệp mẫu kèm theo.",
        "The agency's export (.xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, .json). Default: the bundled sample.",
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
    "demo.changed_skipped_format": Message(
        "Bỏ qua bước sửa dòng: bản chạy thử chỉ sửa được tệp .xlsx, .csv, .tsv và .json có cột chức vụ («{file}»).",
        "Skipped the changed-rows step: the demo edits only .xlsx, .csv, .tsv and .json files with a position "
        "column ('{file}').",
    ),
    "demo.output_not_empty": Message(
        "Thư mục «{directory}» đã có tệp khác. Hãy chọn một thư mục trống cho --output (bản chạy thử sẽ xóa sạch "
        "nội dung thư mục đầu ra ở lần chạy sau).",
        "Folder '{directory}' already holds other files. Choose an empty folder for --output (the demo empties "
        "its output folder on the next run).",
    ),
    "demo.own_agency_name": Message("Cơ quan {agency} (chạy thử)", "Agency {agency} (demo)"),
    "demo.changed_skipped": Message(
        "Bỏ qua bước sửa dòng: tệp cần ít nhất {count} hồ sơ hợp lệ có cột chức vụ.",
        "Skipped the changed-rows step: the file needs at least {count} valid records with a position column.",
    ),
    "demo.daily_report": Message("Báo cáo tiến độ ngày {date}: {agencies} cơ quan.",
                                 "Daily progress report of {date}: {agencies} agencies."),
    "demo.outputs": Message("Các tệp kết quả:", "Output files:"),
    "demo.finished": Message("Hoàn tất sau {seconds} giây.", "Finished in {seconds} seconds."),
    "demo.failed": Message("Chạy thử dừng lại: {reason}", "The demo stopped: {reason}"),
    "state.ignored": Message("không được xét (xem thư mục rejections/)", "not considered (see rejections/)"),
    # `make sandbox`: the local pipeline kept running, with a folder standing in for the bucket.
    "sandbox.description": Message(
        "Chạy hệ thống trên máy cho đến khi bấm Ctrl+C; một thư mục đóng vai kho lưu trữ: đặt tệp xuất vào "
        "incoming/<mã cơ quan>/, đọc báo cáo trong batches/, đặt chữ ký vào approvals/<mã cơ quan>/<mã lô>/.",
        "Run the system on this machine until Ctrl+C; a folder stands in for the bucket: put exports in "
        "incoming/<agency code>/, read reports in batches/, put signatures in approvals/<agency code>/<batch>/.",
    ),
    "sandbox.option_folder": Message("Thư mục đóng vai kho lưu trữ (mặc định: .local/sandbox).",
                                     "The folder standing in for the bucket (default: .local/sandbox)."),
    "sandbox.option_interval": Message("Số giây giữa hai lần quét thư mục (mặc định: 1).",
                                       "Seconds between two scans of the folder (default: 1)."),
    "sandbox.started": Message(
        "Hệ thống đang chạy trên máy. Thư mục: {folder}\n"
        "  1. Đặt tệp xuất vào {folder}/incoming/{agency}/\n"
        "  2. Đọc báo cáo và bản kê trong {folder}/batches/{agency}/<mã lô>/\n"
        "  3. Ký bản kê: {cbccvc} sign {folder}/batches/{agency}/<mã lô>/manifest.json --p12 {p12} (mật khẩu: "
        "{password})\n"
        "  4. Đặt tệp .p7s vào {folder}/approvals/{agency}/<mã lô>/; kết quả đồng bộ và báo cáo ngày sẽ có "
        "trong batches/ và reports/.\n"
        "Bấm Ctrl+C để dừng. Khi dừng, các lô chỉ còn trong thư mục: lần chạy sau không còn nhận chúng, nên hãy "
        "đặt lại tệp xuất để tạo lại lô trước khi ký.",
        "The system is running on this machine. Folder: {folder}\n"
        "  1. Put an export in {folder}/incoming/{agency}/\n"
        "  2. Read the report and manifest in {folder}/batches/{agency}/<batch>/\n"
        "  3. Sign the manifest: {cbccvc} sign {folder}/batches/{agency}/<batch>/manifest.json --p12 {p12} "
        "(password: {password})\n"
        "  4. Put the .p7s file in {folder}/approvals/{agency}/<batch>/; the sync result and the daily report "
        "appear in batches/ and reports/.\n"
        "Press Ctrl+C to stop. Once stopped, batches live on only in the folder: the next run does not know "
        "them, so put the export in again to make the batch again before signing.",
    ),
    "sandbox.uploaded": Message("Đã nhận «{key}»: lô {batch}, {state}.", "Received '{key}': batch {batch}, {state}."),
    "sandbox.not_considered": Message(
        "  Tệp này không thay đổi gì ({reason}); lý do ghi trong thư mục rejections/ hoặc approval/ của lô.",
        "  This file changed nothing ({reason}); the reason is in rejections/ or in the batch's approval/ folder.",
    ),
    "sandbox.register_simulated": Message(
        "Đã thêm {count} người trong tệp vào sổ dân cư giả lập: đối chiếu dân cư với họ chỉ là giả lập.",
        "Added {count} people of the file to the simulated population register: matching them is only simulated.",
    ),
    "sandbox.synced": Message("Đã đồng bộ; báo cáo ngày đã được lập lại trong reports/.",
                              "Synced; the daily report was written again in reports/."),
    "sandbox.stopped": Message(
        "Đã dừng hệ thống trên máy. Các lô không được giữ lại: lần chạy sau, hãy đặt lại tệp xuất trước khi ký.",
        "The local system is stopped. Batches are not kept: next time, put the export in again before signing."),
    "state.validated": Message("đã kiểm tra", "validated"),
    "state.rejected": Message("bị từ chối", "rejected"),
    "state.approved": Message("đã phê duyệt", "approved"),
    "state.syncing": Message("đang đồng bộ", "syncing"),
    "state.synced": Message("đã đồng bộ", "synced"),
    "state.partial": Message("đồng bộ một phần", "partly synced"),
    "state.failed": Message("thất bại", "failed"),
    "pilot.passed": Message("đạt", "passed"),
    "pilot.failed": Message("không đạt", "failed"),
    # The cbccvc command.
    "cli.description": Message(
        "Công cụ đồng bộ dữ liệu cán bộ, công chức, viên chức vào Cơ sở dữ liệu quốc gia về CBCCVC.",
        "Tool that syncs records of cadres, civil servants and public employees into the national CBCCVC database.",
    ),
    "cli.commands_title": Message("các lệnh", "commands"),
    "cli.command_metavar": Message("<lệnh>", "<command>"),
    "cli.file_not_found": Message("Không tìm thấy tệp «{file}». Hãy kiểm tra đường dẫn.",
                                  "File '{file}' not found. Check the path."),
    "cli.file_write_failed": Message("Không ghi được tệp «{file}»: {reason}.", "Cannot write file '{file}': {reason}."),
    "cli.units_unreadable": Message(
        "Không đọc được danh sách đơn vị «{file}». Tệp cần các cột Mã đơn vị, Tên đơn vị (CSV hoặc XLSX).",
        "Cannot read the unit list '{file}'. It needs the columns Mã đơn vị and Tên đơn vị (CSV or XLSX).",
    ),
    "cli.table": Message("Tên bảng DynamoDB trạng thái (mặc định: biến môi trường TABLE_NAME).",
                         "DynamoDB state table name (default: the TABLE_NAME environment variable)."),
    "cli.table_missing": Message("Chưa có tên bảng trạng thái: dùng --table hoặc đặt biến môi trường TABLE_NAME.",
                                 "No state table given: use --table or set TABLE_NAME."),
    "cli.sign_help": Message("Ký bản kê (manifest) của một lô bằng chứng thư số trong tệp PKCS#12 (.p12, .pfx).",
                             "Sign a batch manifest with the certificate in a PKCS#12 file (.p12, .pfx)."),
    "cli.sign_manifest": Message("Tệp bản kê manifest.json tải về từ báo cáo của lô.",
                                 "The batch's manifest.json, downloaded with its report."),
    "cli.sign_p12": Message("Tệp PKCS#12 chứa khóa và chứng thư số của người phê duyệt.",
                            "PKCS#12 file with the approver's key and certificate."),
    "cli.sign_password_env": Message(
        "Tên biến môi trường chứa mật khẩu tệp PKCS#12 (nếu không có, lệnh sẽ hỏi mật khẩu).",
        "Name of the environment variable holding the PKCS#12 password (otherwise the command asks for it).",
    ),
    "cli.sign_output": Message("Tệp chữ ký cần ghi (mặc định: <bản kê>.p7s).",
                               "Signature file to write (default: <manifest>.p7s)."),
    "cli.sign_password_prompt": Message("Mật khẩu tệp PKCS#12: ", "PKCS#12 password: "),
    "cli.sign_not_manifest": Message(
        "Tệp «{file}» không phải bản kê JSON của lô. Hãy ký đúng tệp manifest.json của lô.",
        "File '{file}' is not a batch manifest (JSON). Sign the batch's manifest.json.",
    ),
    "cli.sign_key_unreadable": Message(
        "Không mở được tệp khóa «{file}»: sai mật khẩu hoặc tệp không phải PKCS#12.",
        "Cannot open key file '{file}': wrong password or not a PKCS#12 file.",
    ),
    "cli.sign_done": Message(
        "Đã ký. Hãy tải tệp chữ ký «{signature}» lên kho lưu trữ tại {destination}. Kết quả phê duyệt sẽ có ở "
        "tệp approval/ket-qua-phe-duyet.json của lô.",
        "Signed. Upload the signature '{signature}' to the bucket at {destination}. The decision will be in the "
        "batch's approval/ket-qua-phe-duyet.json.",
    ),
    "cli.sign_variable_unset": Message(
        "Biến môi trường «{variable}» chưa được đặt. Hãy đặt biến này (chứa mật khẩu hoặc mã PIN) rồi chạy lại.",
        "Environment variable '{variable}' is not set. Set it (to the password or PIN) and run again.",
    ),
    "cli.aws_unavailable": Message(
        "Không kết nối được dịch vụ AWS ({service}): {reason}. Hãy kiểm tra thông tin đăng nhập AWS, vùng và mạng.",
        "Cannot reach the AWS service ({service}): {reason}. Check the AWS credentials, region and network.",
    ),
    "cli.sign_password_missing": Message(
        "Không mở được «{file}» mà không có mật khẩu, và không có mật khẩu nào được nhập: lệnh không chạy trong "
        "cửa sổ lệnh để hỏi mật khẩu. Hãy chạy lệnh trong cửa sổ lệnh, hoặc đặt mật khẩu vào một biến môi trường "
        "và dùng --password-env.",
        "Cannot open '{file}' without a password, and none was entered: the command is not running in a terminal "
        "that can ask for it. Run it in a terminal, or put the password in an environment variable and use "
        "--password-env.",
    ),
    "cli.aws_failed": Message(
        "Lệnh không hoàn tất vì không dùng được AWS: {reason}.",
        "The command did not finish because AWS could not be used: {reason}.",
    ),
    "cli.exit_codes": Message(
        "Mã thoát: 0 thành công; 1 lỗi (thông báo ghi lý do); 2 sai cách dùng lệnh; 3 tệp có hồ sơ lỗi "
        "(lệnh validate).",
        "Exit codes: 0 success; 1 failure (the message says why); 2 wrong usage; 3 the file has invalid records "
        "(validate).",
    ),
    "cli.validate_help": Message("Kiểm tra một tệp xuất dữ liệu trên máy trước khi tải lên.",
                                 "Check an export on this computer before uploading it."),
    "cli.validate_description": Message(
        "Chạy đúng các bước kiểm tra của hệ thống trên một tệp (.xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, "
        ".json) và ghi báo cáo JSON, XLSX bên cạnh tệp. Không đối chiếu với Cơ sở dữ liệu quốc gia về dân cư.",
        "Runs the system's checks on a file (.xlsx, .xlsm, .xls, .ods, .csv, .tsv, .txt, .json) and writes JSON "
        "and XLSX reports beside it. Does not match people against the National Population Database.",
    ),
    "cli.validate_file": Message("Tệp cần kiểm tra.", "File to check."),
    "cli.validate_units": Message(
        "Danh sách đơn vị (CSV hoặc XLSX: Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Mã xã) để kiểm tra mã đơn vị.",
        "Unit list (CSV or XLSX: Mã đơn vị, Tên đơn vị, Mã đơn vị cấp trên, Mã xã) to check unit codes against.",
    ),
    "cli.validate_agency": Message("Mã cơ quan ghi trên báo cáo.", "Agency code shown on the report."),
    "cli.validate_output": Message("Thư mục ghi báo cáo (mặc định: thư mục của tệp).",
                                   "Folder for the reports (default: the file's folder)."),
    "cli.validate_mandatory": Message(
        "Danh sách đầy đủ các cột bắt buộc, thay cho danh sách mặc định ({default}); ghi theo tiêu đề trong tệp "
        "mẫu hoặc tên trường (full_name), cách nhau bằng dấu phẩy. Muốn thêm một cột, hãy ghi cả các cột mặc định.",
        "The full list of mandatory columns, replacing the default one ({default}); as headers of the template or "
        "field names (full_name), comma-separated. To add a column, list the default ones too."),
    "cli.mandatory_dropped": Message(
        "Lưu ý: danh sách --mandatory bỏ các cột bắt buộc mặc định {headers}; hồ sơ thiếu các cột này vẫn qua bước "
        "kiểm tra trên máy, nhưng hệ thống có thể từ chối khi tải lên (theo cấu hình MandatoryFields).",
        "Note: the --mandatory list leaves out the default mandatory columns {headers}; records without them pass "
        "this local check, but the system may reject them on upload (per its MandatoryFields setting)."),
    "cli.validate_summary": Message(
        "«{file}»: {rows} dòng, {valid} hồ sơ hợp lệ, {invalid} hồ sơ có lỗi ({errors} lỗi, {warnings} cảnh báo).",
        "'{file}': {rows} rows, {valid} valid records, {invalid} with errors ({errors} errors, {warnings} warnings).",
    ),
    "cli.validate_population_skipped": Message(
        "Lưu ý: kiểm tra trên máy không đối chiếu với Cơ sở dữ liệu quốc gia về dân cư; bước này chạy khi tải lên.",
        "Note: the local check does not match against the National Population Database; that runs on upload.",
    ),
    "cli.validate_reports": Message("Báo cáo: {xlsx} (và {json}).", "Reports: {xlsx} (and {json})."),
    "cli.agency_help": Message("Đăng ký cơ quan và cây tổ chức (dành cho bộ phận quản trị).",
                               "Register agencies and their organisation trees (operators)."),
    "cli.agency_register_help": Message("Đăng ký hoặc cập nhật một cơ quan.", "Register or update an agency."),
    "cli.agency_list_help": Message("Liệt kê các cơ quan đã đăng ký.", "List registered agencies."),
    "cli.agency_code": Message("Mã cơ quan (chữ in hoa và số, ví dụ H46).",
                               "Agency code (capitals and digits, for example H46)."),
    "cli.agency_name": Message("Tên cơ quan.", "Agency name."),
    "cli.agency_code_invalid": Message("Mã cơ quan «{code}» không hợp lệ: chỉ dùng chữ in hoa, số và dấu gạch ngang.",
                                       "Agency code '{code}' is invalid: use capitals, digits and hyphens only."),
    "cli.agency_registered": Message("Đã đăng ký cơ quan {code} với {units} đơn vị.",
                                     "Registered agency {code} with {units} units."),
    "cli.agency_updated": Message("Cơ quan {code} đã có; đã cập nhật {units} đơn vị.",
                                  "Agency {code} exists; {units} units updated."),
    "cli.agency_line": Message("{code}\t{name}\t{units} đơn vị", "{code}\t{name}\t{units} units"),
}

# argparse writes its own texts in English through gettext; these are its message ids
# (CPython 3.12, Lib/argparse.py) with the Vietnamese the tool shows instead.
ARGPARSE_TRANSLATIONS: dict[str, str] = {
    "usage: ": "cách dùng: ",
    "positional arguments": "đối số",
    "options": "tùy chọn",
    "show this help message and exit": "in hướng dẫn này rồi thoát",
    "the following arguments are required: %s": "thiếu các đối số bắt buộc: %s",
    "unrecognized arguments: %s": "đối số không nhận ra: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lựa chọn không hợp lệ: %(value)r (chọn một trong %(choices)s)",
    "expected one argument": "cần một giá trị",
    "argument %(argument_name)s: %(message)s": "đối số %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "invalid %(type)s value: %(value)r": "giá trị %(type)s không hợp lệ: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "one of the arguments %s is required": "cần một trong các đối số %s",
    "not allowed with argument %s": "không dùng cùng đối số %s",
    "expected at least one argument": "cần ít nhất một giá trị",
    "expected at most one argument": "cần nhiều nhất một giá trị",
    "ignored explicit argument %r": "giá trị %r bị bỏ qua vì tùy chọn này không nhận giá trị",
    "unknown parser %(parser_name)r (choices: %(choices)s)":
        "lệnh không có: %(parser_name)r (chọn một trong %(choices)s)",
}
