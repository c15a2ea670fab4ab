"""Messages of the validation report outputs, the annotated workbook and the Excel template command."""

from cbccvc.messages.catalog import Message

REPORT_MESSAGES: dict[str, Message] = {
    # --- cbccvc validate: the annotated copy and progress on large files (stderr) ---
    "report.annotated_written": Message(
        "Bản đánh dấu lỗi (ô lỗi tô đỏ, cảnh báo tô vàng, rê chuột để đọc cách sửa): {path}",
        "Marked-up copy (errors in red, warnings in yellow, hover to read how to fix): {path}",
    ),
    "report.annotated_skipped": Message(
        "Không tạo được bản đánh dấu lỗi vì không đọc được tệp gốc.",
        "No marked-up copy: the original file cannot be read.",
    ),
    "report.validate_summary": Message(
        "«{file}»: {rows} dòng, {valid} hồ sơ hợp lệ, {invalid} hồ sơ có lỗi, {dropped} dòng trùng lặp bỏ qua "
        "({errors} lỗi, {warnings} cảnh báo).",
        "'{file}': {rows} rows, {valid} valid records, {invalid} with errors, {dropped} repeated rows left out "
        "({errors} errors, {warnings} warnings).",
    ),
    "report.path_is_folder": Message(
        "«{file}» là một thư mục, không phải tệp. Hãy ghi đường dẫn đến tệp cần kiểm tra.",
        "'{file}' is a folder, not a file. Give the path of the file to check.",
    ),
    "report.output_not_folder": Message(
        "«{path}» đã có và không phải thư mục, nên không ghi báo cáo vào đó được. Hãy chọn một thư mục cho --output.",
        "'{path}' exists and is not a folder, so the reports cannot be written into it. Choose a folder for --output.",
    ),
    "report.mandatory_unknown": Message(
        "Không có cột nào tên {names} (--mandatory). Hãy ghi tiêu đề như tệp mẫu, cách nhau bằng dấu phẩy: {known}.",
        "No column is named {names} (--mandatory). Write headers as in the template, comma-separated: {known}.",
    ),
    "progress.read": Message(
        "[1/3] Đã đọc {rows} dòng ở {tables} trang tính.",
        "[1/3] Read {rows} rows in {tables} sheet(s).",
    ),
    "progress.column_check": Message(
        "[2/3] Kiểm tra {step}/{steps}{sheet}: {headers}",
        "[2/3] Check {step}/{steps}{sheet}: {headers}",
    ),
    "progress.file_check": Message(
        "[2/3] Kiểm tra trùng lặp trong cả tệp ({tables} trang tính).",
        "[2/3] Checking for duplicates across the file ({tables} sheet(s)).",
    ),
    "progress.writing": Message(
        "[3/3] Đang ghi báo cáo và bản đánh dấu lỗi…",
        "[3/3] Writing the reports and the marked-up copy…",
    ),
    "progress.written": Message(
        "[3/3] Đã ghi báo cáo.",
        "[3/3] Reports written.",
    ),
    # --- cbccvc template ---
    "template.help": Message(
        "Tạo tệp Excel mẫu để nhập dữ liệu CBCCVC, có danh sách chọn cho các cột danh mục.",
        "Write an Excel template for CBCCVC data, with dropdown lists for the catalog columns.",
    ),
    "template.description": Message(
        "Tạo tệp Excel mẫu: tiêu đề cột đúng như hệ thống đọc, hướng dẫn cách ghi từng cột, định dạng Văn bản cho "
        "số định danh và các mã, và danh sách chọn (tỉnh, xã, dân tộc, tôn giáo, ngạch, trình độ, giới tính).",
        "Write an Excel template: the column headers the system reads, how to write each column, Text format for "
        "IDs and codes, and dropdown lists (provinces, communes, ethnic groups, religions, ranks, levels, gender).",
    ),
    "template.output": Message(
        "Tệp sẽ ghi (mặc định: «Mau du lieu CBCCVC.xlsx» ở thư mục hiện tại).",
        "File to write (default: 'Mau du lieu CBCCVC.xlsx' in the current folder).",
    ),
    "template.province": Message(
        "Chỉ đưa vào danh sách chọn các xã, phường, đặc khu của tỉnh có mã này (2 chữ số, ví dụ 46).",
        "Only list the communes of the province with this code (2 digits, for example 46).",
    ),
    "template.province_unknown": Message(
        "Mã tỉnh «{code}» không có trong danh mục 34 tỉnh, thành phố từ 01/7/2025. Hãy ghi mã 2 chữ số, ví dụ 01 "
        "(Hà Nội), 46 (Huế), 79 (TP Hồ Chí Minh).",
        "Province code '{code}' is not one of the 34 provinces from 1 July 2025. Write the 2-digit code, for "
        "example 01 (Hà Nội), 46 (Huế), 79 (Hồ Chí Minh City).",
    ),
    "template.written": Message(
        "Đã ghi tệp mẫu: {path} ({fields} cột, {communes} xã trong danh sách chọn).",
        "Template written: {path} ({fields} columns, {communes} communes in the dropdown).",
    ),
    "template.write_failed": Message(
        "Không ghi được tệp «{path}». Hãy kiểm tra thư mục có tồn tại và tệp không đang mở trong Excel.",
        "Cannot write '{path}'. Check that the folder exists and the file is not open in Excel.",
    ),
    "template.error_title": Message("Giá trị không có trong danh mục", "Value not in the catalog"),
    "template.error_message": Message(
        "Giá trị này không có trong danh mục ở trang «Danh mục». Chọn «Yes» để giữ nếu chắc chắn đúng.",
        "This value is not in the catalog on the 'Danh mục' sheet. Choose 'Yes' to keep it if you are sure.",
    ),
    "template.length_error": Message(
        "Cột này cần đúng {digits} chữ số.",
        "This column needs exactly {digits} digits.",
    ),
    # How to write each column (the header comment and the instructions sheet).
    "template.hint.code": Message(
        "Ô định dạng Văn bản: gõ đúng mã, giữ số 0 ở đầu.",
        "Text cell: type the code exactly, keeping leading zeros.",
    ),
    "template.hint.date": Message(
        "Ghi ngày/tháng/năm, ví dụ 05/09/1985.",
        "Write day/month/year, for example 05/09/1985.",
    ),
    "template.hint.integer": Message("Ghi số nguyên, ví dụ 3.", "Write a whole number, for example 3."),
    "template.hint.decimal": Message("Ghi số có hai chữ số thập phân, ví dụ 2,67.",
                                     "Write a number with two decimals, for example 2,67."),
    "template.hint.text": Message("Ghi chữ.", "Write text."),
    "template.hint.list": Message("Chọn trong danh sách (trang «Danh mục»).",
                                  "Pick from the list ('Danh mục' sheet)."),
    "template.hint.full_name": Message(
        "Họ, chữ đệm và tên như trên thẻ căn cước.",
        "Family, middle and given names as on the identity card.",
    ),
    "template.hint.personal_id": Message(
        "12 chữ số trên thẻ căn cước (định dạng Văn bản, giữ số 0 ở đầu).",
        "The 12 digits on the identity card (Text cell, keep the leading zero).",
    ),
    "template.hint.old_id_number": Message(
        "Số chứng minh nhân dân cũ, 9 hoặc 12 chữ số; để trống nếu không có.",
        "Old identity card number, 9 or 12 digits; leave blank if none.",
    ),
    "template.hint.commune_current": Message(
        "Mã xã, phường, đặc khu hiện hành (5 chữ số); chọn trong danh sách.",
        "Current commune code (5 digits); pick from the list.",
    ),
    "template.hint.commune_legacy": Message(
        "Mã xã (5 chữ số); được ghi mã xã trước 01/7/2025 nếu địa danh đã thay đổi.",
        "Commune code (5 digits); a pre-1 July 2025 code is accepted where the place has changed.",
    ),
    "template.hint.unit_code": Message(
        "Mã đơn vị trong cây tổ chức đã đăng ký của cơ quan.",
        "Unit code from the agency's registered organisation tree.",
    ),
    "template.hint.rank_code": Message(
        "Mã ngạch (01.003) hoặc mã chức danh nghề nghiệp (V.07.04.32); chọn trong danh sách.",
        "Rank code (01.003) or title code (V.07.04.32); pick from the list.",
    ),
    "template.hint.religion": Message(
        "Chọn trong danh sách; ghi «Không» nếu không theo tôn giáo (không để trống).",
        "Pick from the list; write 'Không' for none (do not leave it blank).",
    ),
    "template.hint.social_insurance_number": Message(
        "Số sổ bảo hiểm xã hội, 10 chữ số (định dạng Văn bản).",
        "Social insurance book number, 10 digits (Text cell).",
    ),
    "template.hint.party_card_number": Message(
        "Số thẻ đảng viên, 8 chữ số (định dạng Văn bản).",
        "Party card number, 8 digits (Text cell).",
    ),
}
