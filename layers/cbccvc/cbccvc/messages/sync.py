"""Messages of the sync stage, shown in a batch's sync report."""

from cbccvc.messages.catalog import Message

SYNC_MESSAGES: dict[str, Message] = {
    "PILOT_FAILED": Message(
        "Đồng bộ thử {count} hồ sơ không thành công ({failed} hồ sơ bị từ chối, mã lỗi: {codes}). Chưa hồ sơ nào được "
        "gửi chính thức. Hãy sửa theo mã lỗi rồi tải lên lại.",
        "The test sync of {count} records failed ({failed} rejected, error codes: {codes}). Nothing was sent for "
        "real. Fix the errors and upload again.",
    ),
    "PILOT_UNAVAILABLE": Message(
        "Không gọi được dịch vụ đồng bộ thử ({error_code}). Lô sẽ được thử lại.",
        "The test-sync service could not be reached ({error_code}). The batch will be retried.",
    ),
    "ORG_UNITS_REJECTED": Message(
        "Cơ sở dữ liệu quốc gia từ chối {count} đơn vị trong cây tổ chức (mã: {codes}). Hồ sơ chưa được gửi. Hãy "
        "kiểm tra danh sách đơn vị.",
        "The national database rejected {count} units of the organisation tree (codes: {codes}). No record was "
        "sent. Check the unit list.",
    ),
    "RECORD_REJECTED": Message(
        "Cơ sở dữ liệu quốc gia từ chối hồ sơ ở dòng {row} (mã lỗi {error_code}). Hãy sửa hồ sơ rồi tải lên lại.",
        "The national database rejected the record on row {row} (error code {error_code}). Fix it and upload again.",
    ),
    "RECORD_SEND_FAILED": Message(
        "Không gửi được hồ sơ ở dòng {row}: dịch vụ trả lỗi {error_code}. Hãy báo bộ phận quản trị.",
        "The record on row {row} could not be sent: the service returned {error_code}. Tell the operators.",
    ),
    "PARTY_REJECTED": Message(
        "Cơ sở dữ liệu đảng viên từ chối thông tin đảng viên ở dòng {row} (mã lỗi {error_code}).",
        "The Party member database rejected the Party data on row {row} (error code {error_code}).",
    ),
}
