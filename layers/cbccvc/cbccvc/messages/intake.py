"""Messages of reading agency exports: encodings, headers, sheets and Excel damage."""

from cbccvc.messages.catalog import Message

INTAKE_MESSAGES: dict[str, Message] = {
    # --- File-level findings ---
    "FILE_PASSWORD_PROTECTED": Message(
        "Tệp «{file}» có đặt mật khẩu nên không mở được. Hãy gỡ mật khẩu (trong Excel: Tệp › Thông tin › Bảo vệ "
        "sổ làm việc › Mã hóa bằng mật khẩu, xóa mật khẩu rồi lưu) và tải lên lại.",
        "File '{file}' is password-protected and cannot be opened. Remove the password (in Excel: File › Info › "
        "Protect Workbook › Encrypt with Password, clear it and save) and upload it again.",
    ),
    "FILE_TOO_MANY_CELLS": Message(
        "Tệp «{file}» có hơn {limit} ô có dữ liệu trong một trang tính, quá nhiều để là một danh sách hồ sơ. Hãy "
        "chỉ giữ bảng danh sách trong trang tính (xóa các vùng dữ liệu khác, hoặc chia thành nhiều tệp) rồi tải lên "
        "lại.",
        "File '{file}' has more than {limit} filled cells in one sheet, too many for a list of records. Keep only "
        "the list in the sheet (delete other data, or split it into several files) and upload it again.",
    ),
    "FILE_LEGACY_ENCODING": Message(
        "Tệp «{file}» được lưu bằng bảng mã cũ {encoding} (phông {fonts}); hệ thống đã chuyển sang Unicode. Hãy "
        "soát lại chữ có dấu trong báo cáo, và lần sau lưu tệp dạng CSV UTF-8 với phông Unicode.",
        "File '{file}' is saved in the legacy encoding {encoding} ({fonts} fonts); it was converted to Unicode. "
        "Check the accented letters in the report, and next time save as CSV UTF-8 with a Unicode font.",
    ),
    "SHEETS_ONLY_HIDDEN": Message(
        "Tệp «{file}» chỉ có danh sách ở trang tính đang bị ẩn ({sheets}, {rows} dòng dữ liệu). Hệ thống không "
        "đọc trang ẩn. Hãy bỏ ẩn trang (nhấp chuột phải vào tên trang › Bỏ ẩn), lưu rồi tải lên lại.",
        "File '{file}' has its list only on hidden sheets ({sheets}, {rows} data rows). Hidden sheets are not "
        "read. Unhide the sheet (right-click the sheet tab › Unhide), save and upload again.",
    ),
    "SHEET_HIDDEN_SKIPPED": Message(
        "Trang «{sheet}» đang bị ẩn và có {rows} dòng dữ liệu; hệ thống không đọc trang ẩn nên các dòng này không "
        "được kiểm tra và đồng bộ. Nếu cần đồng bộ, hãy bỏ ẩn trang (nhấp chuột phải vào tên trang › Bỏ ẩn) rồi "
        "tải lên lại.",
        "Sheet '{sheet}' is hidden and holds {rows} data rows; hidden sheets are not read, so these rows are neither "
        "checked nor synced. To sync them, unhide the sheet (right-click the sheet tab › Unhide) and upload again.",
    ),
    "COLUMNS_DROPPED": Message(
        "Tệp «{file}» có {count} khóa không khớp trường dữ liệu nào ngoài {limit} cột đầu tiên; các khóa này không "
        "được đọc và không được đồng bộ. Hãy chỉ xuất các trường của tệp mẫu (lệnh «cbccvc template»).",
        "File '{file}' has {count} keys matching no record field beyond its first {limit} columns; they are neither "
        "read nor synced. Export only the fields of the template ('cbccvc template').",
    ),
    # --- Column findings ---
    "COLUMN_NOT_RECOGNISED": Message(
        "Cột {letter} «{header}» không khớp với trường dữ liệu nào nên dữ liệu trong cột này không được đồng bộ. "
        "Nếu cột chứa dữ liệu cần đồng bộ, hãy đổi tiêu đề cột theo tệp mẫu (lệnh «cbccvc template»), ví dụ "
        "«Hệ số lương», «Ngày vào Đảng»; nếu không, có thể bỏ qua cảnh báo này.",
        "Column {letter} '{header}' matches no record field, so its data is not synced. If it holds data to sync, "
        "rename its header as in the template ('cbccvc template'), for example 'Hệ số lương' or 'Ngày vào Đảng'; "
        "otherwise this warning can be ignored.",
    ),
    "COLUMNS_NOT_RECOGNISED_MORE": Message(
        "Ngoài các cột đã nêu, còn {count} cột khác không khớp với trường dữ liệu nào nên không được đồng bộ (ví "
        "dụ {headers}). Nếu trong đó có dữ liệu cần đồng bộ, hãy đổi tiêu đề theo tệp mẫu (lệnh «cbccvc template»).",
        "Besides the columns listed, {count} more columns match no record field, so they are not synced (for "
        "example {headers}). If some hold data to sync, rename their headers as in the template ('cbccvc template').",
    ),
    "COLUMN_DUPLICATE_FIELD": Message(
        "Cột {letter} «{header}» trùng trường dữ liệu với cột {first} ở trước nên không được đọc; chỉ cột {first} "
        "được kiểm tra và đồng bộ. Nếu hai cột chứa hai loại thông tin khác nhau, hãy đổi tiêu đề cột {letter} theo "
        "tệp mẫu (lệnh «cbccvc template»); nếu là cột lặp lại, hãy xóa một cột.",
        "Column {letter} '{header}' names the same field as column {first} before it, so it is not read; only "
        "column {first} is checked and synced. If the two columns hold different data, rename column {letter} as "
        "in the template ('cbccvc template'); if it is a repeated column, delete one of them.",
    ),
    "CELL_LEGACY_FONT": Message(
        "Cột «{header}» được gõ bằng phông chữ bảng mã cũ {encoding}; {cells} ô đã được chuyển sang Unicode. Hãy "
        "soát lại chữ có dấu và chuyển cột sang phông Unicode (ví dụ bằng công cụ chuyển mã của Unikey).",
        "Column '{header}' was typed with a legacy {encoding} font; {cells} cells were converted to Unicode. Check "
        "the accented letters and convert the column to a Unicode font (for example with Unikey's converter).",
    ),
    # --- Row findings ---
    "CELL_TOO_LONG": Message(
        "Ô có {length} ký tự, quá giới hạn {limit} ký tự của một trường; chỉ {limit} ký tự đầu được đọc. Hãy "
        "kiểm tra ô có bị dán nhầm nội dung không.",
        "The cell holds {length} characters, over the limit of {limit} for a field; only the first {limit} were "
        "read. Check whether something was pasted into it by mistake.",
    ),
    "CELL_FORMULA_ERROR": Message(
        "Ô chứa kết quả lỗi của công thức ({value}) nên không đọc được giá trị. Hãy sửa công thức, hoặc sao chép "
        "cột rồi dán lại dạng giá trị (Dán đặc biệt › Giá trị), rồi tải lên lại.",
        "The cell holds a formula error ({value}), so it has no value to read. Fix the formula, or copy the column "
        "and paste it back as values (Paste Special › Values), and upload again.",
    ),
    "CELL_FORMULA_ERROR_IGNORED": Message(
        "Ô chứa kết quả lỗi của công thức ({value}) nên không đọc được giá trị; «{header}» không phải trường bắt "
        "buộc nên hồ sơ vẫn được đồng bộ, nhưng không có giá trị này. Hãy sửa công thức, hoặc sao chép cột rồi dán "
        "lại dạng giá trị (Dán đặc biệt › Giá trị).",
        "The cell holds a formula error ({value}), so it has no value to read; '{header}' is optional, so the "
        "record is still synced, without this value. Fix the formula, or copy the column and paste it back as "
        "values (Paste Special › Values).",
    ),
    "CSV_QUOTE_UNCLOSED": Message(
        "Ô bắt đầu bằng dấu ngoặc kép (\") nhưng không có dấu đóng, nên các dòng sau bị đọc lẫn vào ô này. Dòng này "
        "đã được đọc lại, coi dấu ngoặc kép là ký tự thường, và các dòng sau được kiểm tra bình thường. Hãy xóa "
        "dấu ngoặc kép thừa hoặc thêm dấu đóng, rồi xuất lại tệp.",
        "The cell starts with a double quote (\") that is never closed, so the following lines were read into it. "
        "This row was read again with the quote as a plain character, and the following rows were checked as "
        "usual. Remove the stray quote or close it, and export the file again.",
    ),
    "ROW_DATE_UNREADABLE": Message(
        "Dòng có ô định dạng ngày hoặc giờ chứa một số quá lớn (ví dụ số định danh trong cột định dạng giờ), nên "
        "ô đó không đọc được. Hãy đổi định dạng ô sang Văn bản hoặc Số, hoặc nhập lại ngày, rồi tải lên lại.",
        "The row has a date- or time-formatted cell containing a number that is too large (for example a personal "
        "ID in a time-formatted column), so that cell cannot be read. Format the cell as Text or Number, or enter "
        "the date again, and upload again.",
    ),
    "ROW_TOO_MANY_CELLS": Message(
        "Dòng có {cells} ô, nhiều hơn {expected} cột của dòng tiêu đề: có thể một giá trị chứa dấu phân cách mà "
        "không nằm trong ngoặc kép, làm lệch các cột sau. Hãy sửa dòng này hoặc xuất lại tệp từ Excel.",
        "The row has {cells} cells, more than the {expected} columns of the header row: a value may contain the "
        "delimiter without quotes, shifting the columns after it. Fix the row or export the file again from Excel.",
    ),
    "ROW_TOO_FEW_CELLS": Message(
        "Dòng chỉ có {cells} ô, ít hơn {expected} cột của dòng tiêu đề; các ô thiếu được coi là để trống. Hãy "
        "kiểm tra dòng có bị cắt mất phần cuối không.",
        "The row has only {cells} cells, fewer than the {expected} columns of the header row; the missing cells "
        "are read as empty. Check whether the end of the row was cut off.",
    ),
    "ROWS_NOT_RECORDS": Message(
        "Các dòng {rows} ở cuối bảng không có số định danh và ngày sinh nên được coi là phần ký tên hoặc ghi chú, "
        "không phải hồ sơ. Nếu đó là hồ sơ, hãy nhập đủ số định danh và ngày sinh.",
        "Rows {rows} at the end of the table have no personal ID and no date of birth, so they are read as the "
        "signature block or notes, not as records. If they are records, fill in the personal ID and date of birth.",
    ),
    "DATE_MONTH_FIRST": Message(
        "Ngày «{value}» không hợp lệ theo dạng ngày/tháng/năm; có vẻ được ghi theo dạng tháng/ngày/năm (tức ngày "
        "{alternative}). Hãy ghi lại theo ngày/tháng/năm và soát các ngày khác trong cột.",
        "Date '{value}' is invalid as day/month/year; it seems written as month/day/year (that is {alternative}). "
        "Write it as day/month/year and check the other dates of the column.",
    ),
    "DATE_ORDER_AMBIGUOUS": Message(
        "Ngày «{value}» được đọc là {read} (ngày/tháng/năm), nhưng cột này có ngày ghi theo tháng/ngày/năm nên "
        "cũng có thể là {alternative}. Hãy kiểm tra lại.",
        "Date '{value}' was read as {read} (day/month/year), but this column has dates written month first, so "
        "it may be {alternative}. Check it.",
    ),
    "DATE_SERIAL_TEXT": Message(
        "Ô ngày chứa số «{value}», được hiểu là số ngày kiểu Excel và đọc thành {read}. Hãy kiểm tra lại và ghi "
        "ngày theo dạng ngày/tháng/năm, ví dụ 05/09/1985.",
        "The date cell holds the number '{value}', taken as an Excel day number and read as {read}. Check it and "
        "write the date as day/month/year, for example 05/09/1985.",
    ),
    "DATE_TWO_DIGIT_YEAR": Message(
        "Ngày «{value}» ghi năm bằng hai chữ số; đã đọc là {read}. Hãy ghi năm đủ bốn chữ số.",
        "Date '{value}' has a two-digit year; it was read as {read}. Write the year with four digits.",
    ),
}
