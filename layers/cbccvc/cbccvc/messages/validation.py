"""Messages of the validate stage: file-level rejections and row findings, keyed by finding code."""

from cbccvc.messages.catalog import Message

VALIDATION_MESSAGES: dict[str, Message] = {
    # --- File-level findings (the whole file is rejected) ---
    "FILE_DAMAGED": Message(
        "Không mở được tệp «{file}»: tệp bị hỏng, có mật khẩu hoặc không phải bảng tính. Hãy xuất lại tệp dưới "
        "dạng .xlsx (không đặt mật khẩu) rồi tải lên lại.",
        "Cannot open file '{file}': it is damaged, password-protected or not a spreadsheet. Export it again as "
        ".xlsx (without a password) and upload it again.",
    ),
    "FILE_ENCODING_UNKNOWN": Message(
        "Không nhận ra bảng mã ký tự của tệp «{file}». Hãy lưu tệp dạng CSV UTF-8 rồi tải lên lại.",
        "Cannot tell the character encoding of file '{file}'. Save it as CSV UTF-8 and upload it again.",
    ),
    "FILE_JSON_INVALID": Message(
        "Tệp «{file}» không phải JSON hợp lệ. Hãy xuất lại tệp.",
        "File '{file}' is not valid JSON. Export it again.",
    ),
    "FILE_JSON_NOT_RECORDS": Message(
        "Tệp JSON «{file}» phải là một mảng các bản ghi, mỗi bản ghi là một đối tượng có các trường theo tiêu đề cột.",
        "JSON file '{file}' must be an array of records, each an object keyed by column headers.",
    ),
    "FILE_FORMAT_UNSUPPORTED": Message(
        "Tệp «{file}» có định dạng «{extension}» không được hỗ trợ. Hãy dùng .xlsx, .xls, .csv hoặc .json.",
        "File '{file}' has the unsupported format '{extension}'. Use .xlsx, .xls, .csv or .json.",
    ),
    "FILE_EMPTY": Message(
        "Tệp «{file}» không có dòng dữ liệu nào dưới dòng tiêu đề.",
        "File '{file}' has no data rows below the header row.",
    ),
    "FILE_TOO_LARGE": Message(
        "Tệp «{file}» có {rows} dòng, vượt giới hạn {limit} dòng mỗi tệp. Hãy tách thành nhiều tệp.",
        "File '{file}' has {rows} rows, over the limit of {limit} rows per file. Split it into several files.",
    ),
    "HEADER_NOT_FOUND": Message(
        "Không tìm thấy dòng tiêu đề trong tệp «{file}». Các tiêu đề tìm thấy: {found}. "
        "Các tiêu đề cần có: {expected}.",
        "No header row found in file '{file}'. Headers found: {found}. Headers expected: {expected}.",
    ),
    "HEADER_MISSING_REQUIRED": Message(
        "Tệp «{file}» thiếu cột bắt buộc: {missing}. Hãy thêm các cột này (xem tệp mẫu) rồi tải lên lại.",
        "File '{file}' lacks required columns: {missing}. Add them (see the template) and upload again.",
    ),
    "NO_VALID_RECORDS": Message(
        "Tệp «{file}» không có hồ sơ nào hợp lệ để đồng bộ ({invalid}/{rows} dòng có lỗi). Hãy sửa các lỗi trong "
        "báo cáo rồi tải lên lại.",
        "File '{file}' has no valid record to sync ({invalid} of {rows} rows have errors). Fix the errors in the "
        "report and upload again.",
    ),
    "AGENCY_UNKNOWN": Message(
        "Mã cơ quan «{agency}» trong đường dẫn «{key}» chưa được đăng ký. Hãy liên hệ bộ phận quản trị để đăng ký.",
        "Agency code '{agency}' in key '{key}' is not registered. Ask the operators to register it.",
    ),
    "KEY_INVALID": Message(
        "Đường dẫn «{key}» không đúng dạng incoming/<mã cơ quan>/<tên tệp>.",
        "Key '{key}' is not of the form incoming/<agency code>/<file name>.",
    ),
    # --- Row findings ---
    "REQUIRED_MISSING": Message(
        "Thiếu «{header}». Đây là trường bắt buộc; hãy nhập giá trị.",
        "'{header}' is missing. It is required; enter a value.",
    ),
    "NAME_INVALID": Message(
        "Họ và tên «{value}» không hợp lệ: {reason}. Hãy ghi đúng họ, chữ đệm và tên như trên thẻ căn cước.",
        "Full name '{value}' is invalid: {reason}. Write the name as on the identity card.",
    ),
    "DATE_INVALID": Message(
        "«{value}» không phải ngày hợp lệ. Hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/09/1985.",
        "'{value}' is not a valid date. Write it as day/month/year, for example 05/09/1985.",
    ),
    "DATE_IN_FUTURE": Message(
        "Ngày {value} ở tương lai. Hãy kiểm tra lại.",
        "Date {value} is in the future. Check it.",
    ),
    "AGE_OUT_OF_RANGE": Message(
        "Ngày sinh {value} cho tuổi {age}, ngoài khoảng {minimum}–{maximum} tuổi của người đang công tác.",
        "Date of birth {value} gives age {age}, outside the working age range {minimum}–{maximum}.",
    ),
    "GENDER_INVALID": Message(
        "Giới tính «{value}» không hợp lệ. Hãy ghi «Nam» hoặc «Nữ».",
        "Gender '{value}' is invalid. Write 'Nam' or 'Nữ'.",
    ),
    "PID_FORMAT": Message(
        "Số định danh cá nhân «{value}» phải gồm đúng 12 chữ số. Hãy nhập đúng số trên thẻ căn cước "
        "(định dạng ô là Văn bản để giữ số 0 ở đầu).",
        "Personal ID '{value}' must be exactly 12 digits. Enter the number on the identity card "
        "(format the cell as Text to keep leading zeros).",
    ),
    "PID_LEADING_ZERO_RESTORED": Message(
        "Số định danh «{value}» bị mất số 0 ở đầu (ô định dạng Số); đã khôi phục thành «{restored}». "
        "Hãy định dạng cột là Văn bản.",
        "Personal ID '{value}' lost its leading zero (cell formatted as Number); restored as '{restored}'. "
        "Format the column as Text.",
    ),
    "PID_SCIENTIFIC": Message(
        "Số định danh «{value}» bị Excel đổi sang dạng số mũ nên đã mất chữ số. Hãy định dạng cột là Văn bản "
        "và nhập lại số.",
        "Personal ID '{value}' was turned into scientific notation by Excel and lost digits. Format the column "
        "as Text and enter the number again.",
    ),
    "PID_PREFIX_UNKNOWN": Message(
        "Ba số đầu «{prefix}» của số định danh không phải mã tỉnh nơi đăng ký khai sinh (có thể đăng ký ở nước "
        "ngoài). Hãy kiểm tra lại.",
        "The first three digits '{prefix}' of the personal ID are not a birth-registration province code "
        "(perhaps registered abroad). Check it.",
    ),
    "PID_CENTURY_INVALID": Message(
        "Chữ số thứ tư «{digit}» của số định danh chỉ thế kỷ sinh {century}, không thể là người đang công tác.",
        "The fourth digit '{digit}' of the personal ID gives birth century {century}, impossible for staff.",
    ),
    "PID_GENDER_MISMATCH": Message(
        "Số định danh mã hóa giới tính «{id_gender}» nhưng cột giới tính ghi «{gender}». Hãy kiểm tra lại số "
        "định danh hoặc giới tính.",
        "The personal ID encodes gender '{id_gender}' but the gender column says '{gender}'. Check either value.",
    ),
    "PID_YEAR_MISMATCH": Message(
        "Số định danh mã hóa năm sinh {id_year} nhưng ngày sinh ghi năm {birth_year}. Hãy kiểm tra lại số "
        "định danh hoặc ngày sinh.",
        "The personal ID encodes birth year {id_year} but the date of birth says {birth_year}. Check either value.",
    ),
    "PID_DUPLICATE": Message(
        "Số định danh này xuất hiện {count} lần trong tệp với thông tin khác nhau (các dòng {rows}). Mỗi người "
        "chỉ có một dòng; hãy giữ lại dòng đúng.",
        "This personal ID appears {count} times in the file with different data (rows {rows}). Each person "
        "has one row; keep the correct one.",
    ),
    "ROW_DUPLICATE": Message(
        "Dòng này lặp lại y hệt dòng {first_row}; chỉ dòng {first_row} được đồng bộ. Hãy xóa dòng lặp.",
        "This row repeats row {first_row} exactly; only row {first_row} is synced. Delete the repeat.",
    ),
    "PERSON_DUPLICATE_SUSPECTED": Message(
        "Cùng họ tên và ngày sinh với dòng {rows} nhưng khác số định danh. Hãy kiểm tra có phải một người "
        "được nhập hai lần không.",
        "Same full name and date of birth as row(s) {rows} under another personal ID. Check whether one person "
        "was entered twice.",
    ),
    "OLD_ID_FORMAT": Message(
        "Số CMND cũ «{value}» phải gồm 9 hoặc 12 chữ số.",
        "Old ID number '{value}' must be 9 or 12 digits.",
    ),
    "ETHNICITY_UNKNOWN": Message(
        "Dân tộc «{value}» không có trong danh mục 54 dân tộc Việt Nam. Hãy ghi đúng tên dân tộc, ví dụ «Kinh», "
        "«Tày», «Khơ Me».",
        "Ethnic group '{value}' is not in the catalog of Vietnam's 54 ethnic groups. Write its name, "
        "for example 'Kinh', 'Tày', 'Khơ Me'.",
    ),
    "RELIGION_UNKNOWN": Message(
        "Tôn giáo «{value}» không có trong danh mục. Ghi tên tôn giáo, hoặc «Không» nếu không theo tôn giáo "
        "(không để trống).",
        "Religion '{value}' is not in the catalog. Write its name, or 'Không' for none (do not leave it blank).",
    ),
    "COMMUNE_UNKNOWN": Message(
        "Mã xã «{value}» không có trong danh mục xã, phường, đặc khu hiện hành (Quyết định 19/2025/QĐ-TTg) "
        "cũng như danh mục trước ngày 01/7/2025. Hãy ghi đúng mã xã gồm 5 chữ số.",
        "Commune code '{value}' is in neither the current list of communes (Decision 19/2025/QĐ-TTg) nor the "
        "list before 1 July 2025. Write the 5-digit commune code.",
    ),
    "COMMUNE_LEGACY_MAPPED": Message(
        "Mã xã «{value}» là mã cũ (trước 01/7/2025); đã chuyển thành mã xã mới «{new_code}» ({new_name}). "
        "Hãy cập nhật mã mới trong phần mềm nguồn.",
        "Commune code '{value}' is a pre-1 July 2025 code; converted to the new code '{new_code}' ({new_name}). "
        "Update the source software to the new code.",
    ),
    "COMMUNE_LEGACY_AMBIGUOUS": Message(
        "Mã xã cũ «{value}» đã được chia vào nhiều xã mới ({candidates}). Hãy xác định xã mới và ghi mã mới.",
        "Old commune code '{value}' was split between several new communes ({candidates}). Decide which one "
        "and write its code.",
    ),
    "UNIT_UNKNOWN": Message(
        "Mã đơn vị «{value}» chưa có trong cây tổ chức của cơ quan. Hãy dùng mã đơn vị đã đăng ký hoặc đề nghị "
        "bổ sung đơn vị.",
        "Unit code '{value}' is not in the agency's organisation tree. Use a registered unit code or ask for "
        "the unit to be added.",
    ),
    "UNITS_NOT_CONFIGURED": Message(
        "Cơ quan chưa đăng ký cây tổ chức nên chưa kiểm tra được mã đơn vị. Hãy đề nghị bộ phận quản trị nhập danh "
        "sách đơn vị.",
        "The agency has no organisation tree registered, so unit codes were not checked. Ask the operators to "
        "import the unit list.",
    ),
    "POSITION_MISSING": Message(
        "Chưa ghi chức vụ hoặc vị trí việc làm.",
        "No position or job position given.",
    ),
    "RANK_UNKNOWN": Message(
        "Mã ngạch/chức danh nghề nghiệp «{value}» không có trong danh mục. Mã ngạch có dạng 01.003, "
        "mã chức danh có dạng V.07.04.32.",
        "Rank or title code '{value}' is not in the catalog. Rank codes look like 01.003, title codes like "
        "V.07.04.32.",
    ),
    "SALARY_STEP_INVALID": Message(
        "Bậc lương «{value}» không hợp lệ: nhóm {group} có bậc từ 1 đến {max_step}.",
        "Salary step '{value}' is invalid: group {group} has steps 1 to {max_step}.",
    ),
    "SALARY_COEFFICIENT_INVALID": Message(
        "Hệ số lương «{value}» không khớp bậc {step} của nhóm {group} (đúng là {expected}).",
        "Salary coefficient '{value}' does not match step {step} of group {group} (expected {expected}).",
    ),
    "NUMBER_INVALID": Message(
        "«{value}» không phải số hợp lệ.",
        "'{value}' is not a valid number.",
    ),
    "PARTY_DATES_ORDER": Message(
        "Ngày chính thức {official} trước ngày vào Đảng {joined}. Hãy kiểm tra lại.",
        "Full-membership date {official} is before the admission date {joined}. Check both.",
    ),
    "PARTY_JOIN_UNDERAGE": Message(
        "Ngày vào Đảng {joined} khi chưa đủ 18 tuổi (sinh ngày {birth}). Hãy kiểm tra lại.",
        "Party admission date {joined} is before the 18th birthday (born {birth}). Check it.",
    ),
    "PARTY_OFFICIAL_WITHOUT_JOIN": Message(
        "Có ngày chính thức nhưng thiếu ngày vào Đảng.",
        "A full-membership date is given without an admission date.",
    ),
    "PARTY_CARD_FORMAT": Message(
        "Số thẻ đảng viên «{value}» thường gồm 8 chữ số. Hãy kiểm tra lại.",
        "Party card number '{value}' usually has 8 digits. Check it.",
    ),
    "RECRUITMENT_UNDERAGE": Message(
        "Ngày tuyển dụng {recruited} khi chưa đủ 18 tuổi (sinh ngày {birth}). Hãy kiểm tra lại.",
        "Recruitment date {recruited} is before the 18th birthday (born {birth}). Check it.",
    ),
    "SERVICE_DATES_ORDER": Message(
        "Ngày xuất ngũ {discharged} trước ngày nhập ngũ {enlisted}.",
        "Discharge date {discharged} is before the enlistment date {enlisted}.",
    ),
    "VALUE_NOT_IN_LIST": Message(
        "«{value}» không có trong danh sách giá trị của cột này: {allowed}.",
        "'{value}' is not one of this column's values: {allowed}.",
    ),
    "POPULATION_NOT_FOUND": Message(
        "Không tìm thấy số định danh này trong Cơ sở dữ liệu quốc gia về dân cư. Hãy kiểm tra lại số định danh.",
        "This personal ID is not in the National Population Database. Check the number.",
    ),
    "POPULATION_MISMATCH": Message(
        "Thông tin khác với Cơ sở dữ liệu quốc gia về dân cư ở: {fields}. Hãy sửa theo thẻ căn cước của người này.",
        "Data differ from the National Population Database in: {fields}. Correct them from the identity card.",
    ),
    "POPULATION_UNAVAILABLE": Message(
        "Chưa đối chiếu được với Cơ sở dữ liệu quốc gia về dân cư (dịch vụ không phản hồi). Hồ sơ sẽ được kiểm "
        "tra lại khi tải lên lần sau.",
        "Could not match against the National Population Database (service unavailable). Upload again later.",
    ),
}
