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
        "Tệp JSON «{file}» không đúng dạng: phải là một mảng các bản ghi, mỗi bản ghi là một đối tượng có các "
        "trường theo tiêu đề cột. Hãy xuất lại tệp theo dạng này.",
        "JSON file '{file}' has the wrong shape: it must be an array of records, each an object keyed by column "
        "headers. Export it again in that shape.",
    ),
    "FILE_FORMAT_UNSUPPORTED": Message(
        "Tệp «{file}» có định dạng «{extension}» không được hỗ trợ. Hãy dùng một trong các định dạng .xlsx, .xlsm, "
        ".xls, .ods, .csv, .tsv, .txt hoặc .json.",
        "File '{file}' has the unsupported format '{extension}'. Use one of .xlsx, .xlsm, .xls, .ods, .csv, .tsv, "
        ".txt or .json.",
    ),
    "FILE_EMPTY": Message(
        "Tệp «{file}» không có dòng dữ liệu nào dưới dòng tiêu đề. Hãy kiểm tra đã xuất đúng danh sách có dữ liệu "
        "rồi tải lên lại.",
        "File '{file}' has no data rows below the header row. Check that the export holds the list with its data "
        "and upload it again.",
    ),
    "FILE_TOO_LARGE": Message(
        "Tệp «{file}» có {rows} dòng, vượt giới hạn {limit} dòng mỗi tệp. Hãy tách thành nhiều tệp.",
        "File '{file}' has {rows} rows, over the limit of {limit} rows per file. Split it into several files.",
    ),
    "HEADER_NOT_FOUND": Message(
        "Không tìm thấy dòng tiêu đề trong tệp «{file}». Các tiêu đề tìm thấy: {found}. "
        "Các cột bắt buộc: {expected}; các cột khác trong tệp mẫu là tùy chọn. Hãy đặt dòng tiêu đề trong 30 dòng "
        "đầu, ghi tiêu đề như tệp mẫu (lệnh «cbccvc template»).",
        "No header row found in file '{file}'. Headers found: {found}. Required columns: {expected}; the other "
        "columns of the template are optional. Put the header row within the first 30 rows, with the headers of "
        "the template ('cbccvc template').",
    ),
    "HEADER_MISSING_REQUIRED": Message(
        "Tệp «{file}» thiếu cột bắt buộc: {missing}. Hãy thêm các cột này (xem tệp mẫu) rồi tải lên lại.",
        "File '{file}' lacks required columns: {missing}. Add them (see the template) and upload again.",
    ),
    "HEADER_MISSING_REQUIRED_SHEET": Message(
        "Trang «{sheet}» của tệp «{file}» thiếu cột bắt buộc: {missing}. Hãy thêm các cột này vào trang (xem tệp "
        "mẫu), hoặc xóa trang nếu nó không phải danh sách cần đồng bộ, rồi tải lên lại.",
        "Sheet '{sheet}' of file '{file}' lacks required columns: {missing}. Add them to the sheet (see the "
        "template), or delete the sheet if it is not a list to sync, and upload again.",
    ),
    "NO_VALID_RECORDS": Message(
        "Tệp «{file}» không có hồ sơ nào hợp lệ để đồng bộ ({invalid}/{rows} dòng có lỗi). Hãy sửa các lỗi trong "
        "báo cáo rồi tải lên lại.",
        "File '{file}' has no valid record to sync ({invalid} of {rows} rows have errors). Fix the errors in the "
        "report and upload again.",
    ),
    "POPULATION_SERVICE_DOWN": Message(
        "Chưa đối chiếu được tệp «{file}» với Cơ sở dữ liệu quốc gia về dân cư vì dịch vụ đang gián đoạn; lỗi không "
        "do cơ quan. Hãy tải lại đúng tệp này sau ít phút, hệ thống sẽ kiểm tra lại.",
        "File '{file}' could not be matched against the National Population Database because the service is "
        "down; this is not the agency's fault. Upload the same file again in a few minutes to check it again.",
    ),
    "AGENCY_UNKNOWN": Message(
        "Mã cơ quan «{agency}» trong đường dẫn «{key}» chưa được đăng ký. Hãy liên hệ bộ phận quản trị để đăng ký.",
        "Agency code '{agency}' in key '{key}' is not registered. Ask the operators to register it.",
    ),
    "KEY_INVALID": Message(
        "Đường dẫn «{key}» không đúng dạng incoming/<mã cơ quan>/<tên tệp>. Hãy tải tệp vào thư mục của cơ quan.",
        "Key '{key}' is not of the form incoming/<agency code>/<file name>. Upload the file into the agency's "
        "folder.",
    ),
    # --- Row findings ---
    "REQUIRED_MISSING": Message(
        "Thiếu «{header}». Đây là trường bắt buộc: hãy nhập giá trị vào ô này trong phần mềm nguồn rồi xuất lại tệp.",
        "'{header}' is missing. It is required: enter a value in this cell in the source software and export again.",
    ),
    "NAME_INVALID": Message(
        "Họ và tên «{value}» không hợp lệ: {reason}. Hãy ghi đủ họ, chữ đệm và tên như trên thẻ căn cước, chỉ "
        "gồm chữ cái (không có chữ số hay ký hiệu).",
        "Full name '{value}' is invalid: {reason}. Write the family name, middle name and given name as on the "
        "identity card, in letters only (no digits or symbols).",
    ),
    "NAME_CHARACTERS_REPLACED": Message(
        "Họ và tên có ký tự không nhìn thấy (như khoảng trắng độ rộng 0 hoặc dấu BOM khi dán từ trang web) hoặc "
        "ký tự đặc biệt (như chữ ghép «ﬁ», chữ toàn khổ); đã bỏ hoặc thay bằng chữ thường, đọc thành «{read}». "
        "Hãy kiểm tra và gõ lại họ và tên trong phần mềm nguồn.",
        "The full name holds invisible characters (such as a zero-width space or a byte order mark pasted from a "
        "web page) or special characters (such as the 'ﬁ' ligature or full-width letters); they were removed or "
        "replaced by plain letters, giving '{read}'. Check the name and type it again in the source software.",
    ),
    "DATE_INVALID": Message(
        "«{value}» không phải ngày hợp lệ. Hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/09/1985, và kiểm tra ngày có "
        "trong tháng (không có 31/02, 31/04…).",
        "'{value}' is not a valid date. Write it as day/month/year, for example 05/09/1985, and check that the "
        "day exists in that month (no 31/02, 31/04…).",
    ),
    "DATE_IN_FUTURE": Message(
        "Ngày {value} ở sau ngày kiểm tra. Hãy sửa thành ngày đã xảy ra (thường là gõ nhầm năm).",
        "Date {value} is after the day of the check. Correct it to the date it happened (often a mistyped year).",
    ),
    "DATE_BEFORE_BIRTH": Message(
        "«{header}» {value} ở trước ngày sinh {birth}. Hãy sửa ngày này hoặc ngày sinh cho đúng hồ sơ gốc.",
        "'{header}' {value} is before the date of birth {birth}. Correct this date or the date of birth from "
        "the paper dossier.",
    ),
    "AGE_OUT_OF_RANGE": Message(
        "Ngày sinh {value} cho tuổi {age}, ngoài khoảng {minimum}–{maximum} tuổi của người đang công tác. Hãy đối "
        "chiếu ngày sinh với thẻ căn cước (thường là gõ nhầm năm).",
        "Date of birth {value} gives age {age}, outside the working age range {minimum}–{maximum}. Compare it "
        "with the identity card (often a mistyped year).",
    ),
    "GENDER_INVALID": Message(
        "Giới tính «{value}» không hợp lệ. Hãy ghi «Nam» hoặc «Nữ».",
        "Gender '{value}' is invalid. Write 'Nam' (male) or 'Nữ' (female).",
    ),
    "PID_FORMAT": Message(
        "Số định danh cá nhân «{value}» phải gồm đúng 12 chữ số từ 0 đến 9. Hãy nhập đúng số trên thẻ căn cước "
        "(định dạng ô là Văn bản để giữ số 0 ở đầu).",
        "Personal ID '{value}' must be exactly 12 digits from 0 to 9. Enter the number on the identity card "
        "(format the cell as Text to keep leading zeros).",
    ),
    "PID_DIGITS_CONVERTED": Message(
        "Số định danh «{value}» được gõ bằng chữ số toàn khổ (bộ gõ tiếng Trung, Nhật hoặc Hàn); đã đọc thành "
        "«{read}». Hãy tắt chế độ gõ toàn khổ và nhập lại số trong phần mềm nguồn.",
        "Personal ID '{value}' was typed with full-width digits (a Chinese, Japanese or Korean input method); it "
        "was read as '{read}'. Turn off full-width input and enter the number again in the source software.",
    ),
    "PID_LEADING_ZERO_RESTORED": Message(
        "Số định danh «{value}» bị mất số 0 ở đầu (ô định dạng Số, hoặc tệp CSV đã được mở rồi lưu lại bằng "
        "Excel); đã khôi phục thành «{restored}». Hãy định dạng cột là Văn bản và nhập lại số có số 0 ở đầu, hoặc "
        "xuất lại tệp CSV từ phần mềm nguồn mà không mở bằng Excel.",
        "Personal ID '{value}' lost its leading zero (a cell formatted as Number, or a CSV file opened and saved "
        "again in Excel); restored as '{restored}'. Format the column as Text and enter the number with its "
        "leading zero, or export the CSV again from the source software without opening it in Excel.",
    ),
    "PID_SCIENTIFIC": Message(
        "Số định danh «{value}» bị Excel đổi sang dạng số mũ nên đã mất chữ số. Hãy định dạng cột là Văn bản "
        "và nhập lại số từ thẻ căn cước.",
        "Personal ID '{value}' was turned into scientific notation by Excel and lost digits. Format the column "
        "as Text and enter the number again from the identity card.",
    ),
    "PID_PREFIX_UNKNOWN": Message(
        "Ba số đầu «{prefix}» của số định danh không phải mã tỉnh nơi đăng ký khai sinh. Nếu người này đăng ký khai "
        "sinh ở nước ngoài thì giữ nguyên; nếu không, hãy đối chiếu lại số với thẻ căn cước.",
        "The first three digits '{prefix}' of the personal ID are not a birth-registration province code. If the "
        "birth was registered abroad, leave it; otherwise compare the number with the identity card.",
    ),
    "PID_CENTURY_INVALID": Message(
        "Chữ số thứ tư «{digit}» của số định danh chỉ người sinh trong các năm {century}, không thể là người đang "
        "công tác. Hãy đối chiếu lại số với thẻ căn cước.",
        "The fourth digit '{digit}' of the personal ID means a birth in {century}, impossible for staff. Compare "
        "the number with the identity card.",
    ),
    "PID_GENDER_MISMATCH": Message(
        "Số định danh mã hóa giới tính «{id_gender}» nhưng cột giới tính ghi «{gender}». Hãy đối chiếu với thẻ "
        "căn cước rồi sửa số định danh hoặc giới tính.",
        "The personal ID encodes gender '{id_gender}' but the gender column says '{gender}'. Compare with the "
        "identity card and correct either value.",
    ),
    "PID_YEAR_MISMATCH": Message(
        "Số định danh mã hóa năm sinh {id_year} nhưng ngày sinh ghi năm {birth_year}. Hãy đối chiếu với thẻ căn "
        "cước rồi sửa số định danh hoặc ngày sinh.",
        "The personal ID encodes birth year {id_year} but the date of birth says {birth_year}. Compare with the "
        "identity card and correct either value.",
    ),
    "PID_DUPLICATE": Message(
        "Số định danh này xuất hiện {count} lần trong tệp với thông tin khác nhau (dòng {rows}). Mỗi người "
        "chỉ có một dòng: hãy giữ lại dòng đúng, xóa các dòng còn lại hoặc sửa số định danh bị nhập nhầm.",
        "This personal ID appears {count} times in the file with different data (rows {rows}). Each person "
        "has one row: keep the correct one, delete the others or correct the mistyped ID.",
    ),
    "ROW_DUPLICATE": Message(
        "Dòng này lặp lại y hệt dòng {first_row}; chỉ dòng {first_row} được đồng bộ. Hãy xóa dòng lặp.",
        "This row repeats row {first_row} exactly; only row {first_row} is synced. Delete the repeat.",
    ),
    "PERSON_DUPLICATE_SUSPECTED": Message(
        "Cùng họ tên và ngày sinh với dòng {rows} nhưng khác số định danh. Nếu là một người được nhập hai lần, "
        "hãy xóa dòng sai; nếu là hai người khác nhau thì giữ nguyên.",
        "Same full name and date of birth as row(s) {rows} under another personal ID. If one person was entered "
        "twice, delete the wrong row; if they are two people, leave both.",
    ),
    "OLD_ID_FORMAT": Message(
        "Số CMND cũ «{value}» phải gồm 9 hoặc 12 chữ số. Hãy ghi đúng số trên chứng minh nhân dân cũ (định dạng ô "
        "là Văn bản), hoặc để trống nếu không có.",
        "Old ID number '{value}' must be 9 or 12 digits. Write the number of the old identity card (cell "
        "formatted as Text), or leave it blank if there is none.",
    ),
    "SOCIAL_INSURANCE_FORMAT": Message(
        "Số sổ BHXH «{value}» thường gồm {digits} chữ số. Hãy đối chiếu với sổ bảo hiểm xã hội (định dạng ô là "
        "Văn bản để giữ số 0 ở đầu).",
        "Social insurance number '{value}' usually has {digits} digits. Compare it with the social insurance "
        "book (format the cell as Text to keep leading zeros).",
    ),
    "ETHNICITY_UNKNOWN": Message(
        "Dân tộc «{value}» không có trong danh mục 54 dân tộc Việt Nam. Hãy ghi đúng tên dân tộc, ví dụ «Kinh», "
        "«Tày», «Khơ Me».",
        "Ethnic group '{value}' is not in the catalog of Vietnam's 54 ethnic groups. Write its name, "
        "for example 'Kinh', 'Tày', 'Khơ Me'.",
    ),
    "ETHNICITY_CODE_GIVEN": Message(
        "Cột dân tộc ghi mã «{value}»; đã hiểu là dân tộc {name} (mã này giống nhau ở cả hai danh mục 1979 và "
        "2008). Hãy ghi tên dân tộc thay cho mã.",
        "The ethnicity column holds code '{value}'; read as {name} (the code means the same in the 1979 and 2008 "
        "lists). Write the name instead of the code.",
    ),
    "ETHNICITY_CODE_AMBIGUOUS": Message(
        "Cột dân tộc ghi mã «{value}»: theo danh mục năm 2008 là {name_2008}, theo danh mục năm 1979 là "
        "{name_1979}, nên không xác định được. Hãy ghi tên dân tộc thay cho mã.",
        "The ethnicity column holds code '{value}': {name_2008} in the 2008 list but {name_1979} in the 1979 "
        "list, so it cannot be read. Write the name of the ethnic group instead of the code.",
    ),
    "RELIGION_UNKNOWN": Message(
        "Tôn giáo «{value}» không có trong danh mục. Ghi tên tôn giáo, ví dụ «Phật giáo», «Công giáo», hoặc «Không» "
        "nếu không theo tôn giáo (không để trống).",
        "Religion '{value}' is not in the catalog. Write its name, for example 'Phật giáo', 'Công giáo', or "
        "'Không' for none (do not leave it blank).",
    ),
    "COMMUNE_UNKNOWN": Message(
        "Mã xã «{value}» không có trong danh mục xã, phường, đặc khu hiện hành (Quyết định 19/2025/QĐ-TTg) "
        "cũng như danh mục trước ngày 01/7/2025. Hãy ghi đúng mã xã gồm 5 chữ số (xem trang «Danh mục» của tệp mẫu).",
        "Commune code '{value}' is in neither the current list of communes (Decision 19/2025/QĐ-TTg) nor the "
        "list before 1 July 2025. Write the 5-digit commune code (see the template's 'Danh mục' sheet).",
    ),
    "COMMUNE_LEGACY_MAPPED": Message(
        "Mã xã «{value}» là mã cũ (trước 01/7/2025); đã chuyển thành mã xã mới «{new_code}» ({new_name}). "
        "Hãy cập nhật mã mới trong phần mềm nguồn.",
        "Commune code '{value}' is a pre-1 July 2025 code; converted to the new code '{new_code}' ({new_name}). "
        "Update the source software to the new code.",
    ),
    "COMMUNE_LEGACY_AMBIGUOUS": Message(
        "Mã xã cũ «{value}» đã được chia vào nhiều xã mới ({candidates}). Hãy xác định nơi ở thuộc xã mới nào "
        "và ghi mã xã mới.",
        "Old commune code '{value}' was split between several new communes ({candidates}). Find out which new "
        "commune the address is in and write its code.",
    ),
    "UNIT_UNKNOWN": Message(
        "Mã đơn vị «{value}» chưa có trong cây tổ chức của cơ quan. Hãy dùng mã đơn vị đã đăng ký hoặc đề nghị "
        "bổ sung đơn vị.",
        "Unit code '{value}' is not in the agency's organisation tree. Use a registered unit code or ask for "
        "the unit to be added.",
    ),
    "UNITS_NOT_GIVEN": Message(
        "Chưa có danh sách đơn vị nên chưa kiểm tra được mã đơn vị. Hãy chạy lại lệnh với --units <tệp danh sách "
        "đơn vị> (CSV hoặc XLSX có cột Mã đơn vị, Tên đơn vị).",
        "No unit list was given, so unit codes were not checked. Run the command again with --units <unit list "
        "file> (CSV or XLSX with the columns Mã đơn vị, Tên đơn vị).",
    ),
    "UNITS_NOT_CONFIGURED": Message(
        "Cơ quan chưa đăng ký cây tổ chức nên chưa kiểm tra được mã đơn vị. Hãy đề nghị bộ phận quản trị nhập danh "
        "sách đơn vị.",
        "The agency has no organisation tree registered, so unit codes were not checked. Ask the operators to "
        "import the unit list.",
    ),
    "POSITION_MISSING": Message(
        "Chưa ghi chức vụ hoặc vị trí việc làm. Hãy ghi ít nhất một trong hai (ví dụ «Chuyên viên», "
        "«Giáo viên»).",
        "No position or job position given. Write at least one of them (for example 'Chuyên viên', 'Giáo viên').",
    ),
    "RANK_FORMAT": Message(
        "«{value}» không phải mã ngạch hay mã chức danh nghề nghiệp. Mã ngạch có dạng 01.003, mã chức danh có "
        "dạng V.07.04.32; hãy ghi mã (không ghi tên ngạch).",
        "'{value}' is not a rank or title code. Rank codes look like 01.003 and title codes like V.07.04.32; "
        "write the code, not the name.",
    ),
    "RANK_UNKNOWN": Message(
        "Mã ngạch/chức danh nghề nghiệp «{value}» không có trong danh mục. Hãy đối chiếu với quyết định bổ nhiệm "
        "ngạch hoặc chức danh (mã ngạch có dạng 01.003, mã chức danh có dạng V.07.04.32).",
        "Rank or title code '{value}' is not in the catalog. Compare it with the appointment decision (rank "
        "codes look like 01.003, title codes like V.07.04.32).",
    ),
    "SALARY_STEP_INVALID": Message(
        "Bậc lương «{value}» không hợp lệ: nhóm {group} chỉ có bậc từ 1 đến {max_step}. Hãy đối chiếu với quyết "
        "định nâng bậc lương gần nhất.",
        "Salary step '{value}' is invalid: group {group} has steps 1 to {max_step} only. Compare it with the "
        "latest step decision.",
    ),
    "SALARY_COEFFICIENT_INVALID": Message(
        "Hệ số lương «{value}» không khớp bậc {step} của nhóm {group} (đúng là {expected}). Hãy sửa hệ số, hoặc "
        "sửa bậc hay mã ngạch nếu đó mới là chỗ sai.",
        "Salary coefficient '{value}' does not match step {step} of group {group} (expected {expected}). Correct "
        "the coefficient, or the step or rank code if that is what is wrong.",
    ),
    "NUMBER_INVALID": Message(
        "«{value}» không phải số hợp lệ. Hãy ghi số, dùng dấu phẩy hoặc dấu chấm thập phân, ví dụ 2,34.",
        "'{value}' is not a valid number. Write a number with a decimal comma or point, for example 2,34.",
    ),
    "PARTY_DATES_ORDER": Message(
        "Ngày chính thức {official} trước ngày vào Đảng {joined}. Hãy đối chiếu với lý lịch đảng viên và sửa ngày "
        "bị nhầm.",
        "Full-membership date {official} is before the admission date {joined}. Compare both with the Party "
        "resume and correct the wrong one.",
    ),
    "PARTY_PROBATION_SHORT": Message(
        "Ngày chính thức {official} chưa đủ {months} tháng dự bị kể từ ngày vào Đảng {joined}. Hãy đối chiếu với "
        "quyết định công nhận đảng viên chính thức.",
        "Full-membership date {official} is less than {months} months of probation after the admission date "
        "{joined}. Compare it with the decision recognising full membership.",
    ),
    "PARTY_JOIN_UNDERAGE": Message(
        "Ngày vào Đảng {joined} khi chưa đủ 18 tuổi (sinh ngày {birth}). Hãy đối chiếu ngày vào Đảng và ngày sinh "
        "với lý lịch đảng viên.",
        "Party admission date {joined} is before the 18th birthday (born {birth}). Compare both dates with the "
        "Party resume.",
    ),
    "PARTY_OFFICIAL_WITHOUT_JOIN": Message(
        "Có ngày chính thức nhưng thiếu ngày vào Đảng. Hãy ghi ngày vào Đảng (ngày kết nạp).",
        "A full-membership date is given without an admission date. Write the admission date.",
    ),
    "PARTY_CARD_FORMAT": Message(
        "Số thẻ đảng viên «{value}» thường gồm 8 chữ số. Hãy đối chiếu với thẻ đảng viên (định dạng ô là Văn bản).",
        "Party card number '{value}' usually has 8 digits. Compare it with the Party card (cell formatted as Text).",
    ),
    "RECRUITMENT_UNDERAGE": Message(
        "Ngày tuyển dụng {recruited} khi chưa đủ 18 tuổi (sinh ngày {birth}). Hãy đối chiếu với quyết định tuyển "
        "dụng.",
        "Recruitment date {recruited} is before the 18th birthday (born {birth}). Compare it with the recruitment "
        "decision.",
    ),
    "SERVICE_DATES_ORDER": Message(
        "Ngày xuất ngũ {discharged} trước ngày nhập ngũ {enlisted}. Hãy đối chiếu với quyết định xuất ngũ và sửa "
        "ngày bị nhầm.",
        "Discharge date {discharged} is before the enlistment date {enlisted}. Compare them with the discharge "
        "decision and correct the wrong one.",
    ),
    "VALUE_NOT_IN_LIST": Message(
        "«{value}» không có trong danh sách giá trị của cột «{header}». Hãy chọn một trong: {allowed}.",
        "'{value}' is not one of the values of column '{header}'. Choose one of: {allowed}.",
    ),
    "POPULATION_NOT_FOUND": Message(
        "Không tìm thấy số định danh này trong Cơ sở dữ liệu quốc gia về dân cư. Hãy đối chiếu số định danh với "
        "thẻ căn cước của người này.",
        "This personal ID is not in the National Population Database. Compare the number with the person's "
        "identity card.",
    ),
    "POPULATION_MISMATCH": Message(
        "Thông tin khác với Cơ sở dữ liệu quốc gia về dân cư ở: {fields}. Hãy sửa theo thẻ căn cước của người này.",
        "Data differ from the National Population Database in: {fields}. Correct them from the identity card.",
    ),
    "POPULATION_QUERY_INVALID": Message(
        "Không đối chiếu được hồ sơ với Cơ sở dữ liệu quốc gia về dân cư vì thiếu hoặc sai: {fields}. Việc đối "
        "chiếu cần đủ số định danh cá nhân, họ và tên, và ngày sinh hợp lệ; hãy bổ sung các cột này vào tệp.",
        "The record could not be matched against the National Population Database because of missing or invalid "
        "{fields}. Matching needs a valid personal ID, full name and date of birth; add these columns to the file.",
    ),
    "POPULATION_UNAVAILABLE": Message(
        "Chưa đối chiếu được với Cơ sở dữ liệu quốc gia về dân cư (dịch vụ không phản hồi). Hãy tải lại tệp lên "
        "sau; hồ sơ sẽ được đối chiếu lại.",
        "Could not match against the National Population Database (service unavailable). Upload the file again "
        "later; the records will be matched again.",
    ),
}
