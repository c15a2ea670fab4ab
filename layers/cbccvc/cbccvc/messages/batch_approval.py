"""Messages of the approve stage about the batch and the approver (signature checks are in ``approval``)."""

from cbccvc.messages.catalog import Message

BATCH_APPROVAL_MESSAGES: dict[str, Message] = {
    "APPROVAL_ACCEPTED": Message(
        "Lô {batch_id} đã được phê duyệt: chữ ký của «{signer}» hợp lệ. Dữ liệu đang được đồng bộ; kết quả ở "
        "tệp ket-qua-dong-bo.xlsx của lô.",
        "Batch {batch_id} is approved: the signature of '{signer}' is valid. The data is being synced; the result "
        "will be in the batch's ket-qua-dong-bo.xlsx.",
    ),
    "APPROVAL_WAITING": Message(
        "Chưa quyết định được phê duyệt: {reason} Hệ thống tự kiểm tra lại mỗi giờ; không cần ký lại.",
        "The approval cannot be decided yet: {reason} The system checks again every hour; no need to sign again.",
    ),
    "APPROVAL_KEY_INVALID": Message(
        "Tệp chữ ký «{key}» phải nằm ở approvals/<mã cơ quan>/<mã lô>/<tên tệp>.p7s.",
        "Signature file '{key}' must be at approvals/<agency code>/<batch id>/<name>.p7s.",
    ),
    "BATCH_NOT_FOUND": Message(
        "Không có lô «{batch_id}» của cơ quan «{agency}». Hãy kiểm tra mã lô trong đường dẫn tải chữ ký.",
        "Batch '{batch_id}' of agency '{agency}' does not exist. Check the batch id in the signature's path.",
    ),
    "BATCH_NOT_APPROVABLE": Message(
        "Lô «{batch_id}» đang ở trạng thái «{state}», không thể phê duyệt. Chỉ lô đã kiểm tra xong mới được ký duyệt.",
        "Batch '{batch_id}' is in state '{state}' and cannot be approved. Only validated batches can be signed.",
    ),
    "MANIFEST_TAMPERED": Message(
        "Bản kê (manifest) của lô đã bị thay đổi sau khi tạo. Không phê duyệt; hãy báo bộ phận quản trị.",
        "The batch manifest was changed after it was created. Not approved; tell the operators.",
    ),
    "MANIFEST_MISMATCH": Message(
        "Bản kê được ký thuộc lô «{signed_batch}» của cơ quan «{signed_agency}», không phải lô này. Hãy ký đúng bản "
        "kê của lô.",
        "The signed manifest belongs to batch '{signed_batch}' of agency '{signed_agency}', not this batch. Sign "
        "this batch's manifest.",
    ),
    "MANIFEST_EXPIRED": Message(
        "Bản kê đã hết hạn phê duyệt lúc {expires_at}. Hãy tải tệp lên lại để tạo bản kê mới rồi ký.",
        "The manifest expired at {expires_at}. Upload the file again to get a new manifest, then sign it.",
    ),
    "MANIFEST_REPLAYED": Message(
        "Chữ ký này đã được dùng để phê duyệt một lô khác. Mỗi chữ ký chỉ phê duyệt một lô một lần.",
        "This signature was already used to approve another batch. A signature approves one batch once.",
    ),
    "RECORDS_CHANGED": Message(
        "Dữ liệu hồ sơ của lô đã thay đổi sau khi bản kê được tạo. Không phê duyệt; hãy báo bộ phận quản trị.",
        "The batch's staged records changed after the manifest was created. Not approved; tell the operators.",
    ),
    "REPORT_CHANGED": Message(
        "Báo cáo kiểm tra của lô đã thay đổi sau khi bản kê được tạo. Không phê duyệt; hãy báo bộ phận quản trị.",
        "The batch's validation report changed after the manifest was created. Not approved; tell the operators.",
    ),
    "SIGNER_NOT_AUTHORISED": Message(
        "Người ký «{signer}» (số hiệu chứng thư {serial}) chưa được đăng ký là người phê duyệt của cơ quan «{agency}». "
        "Hãy đề nghị bộ phận quản trị đăng ký, hoặc để người có thẩm quyền ký.",
        "Signer '{signer}' (certificate serial {serial}) is not registered as an approver of agency '{agency}'. Ask "
        "the operators to register them, or have an authorised person sign.",
    ),
    "SIGNER_AUTHORISATION_EXPIRED": Message(
        "Quyền phê duyệt của người ký «{signer}» chỉ có hiệu lực từ {valid_from} đến {valid_until}.",
        "Signer '{signer}' may approve only from {valid_from} to {valid_until}.",
    ),
    "SIGNING_TIME_BEFORE_MANIFEST": Message(
        "Chữ ký ghi thời điểm ký {signing_time}, trước khi bản kê được tạo ({created_at}). Hãy kiểm tra đồng hồ "
        "máy tính rồi ký lại.",
        "The signature states signing time {signing_time}, before the manifest was created ({created_at}). Check "
        "the computer's clock and sign again.",
    ),
    "TRUST_NOT_CONFIGURED": Message(
        "Chưa cấu hình chứng thư gốc tin cậy nên chưa kiểm tra được chữ ký. Lô được giữ ở trạng thái chờ; hãy báo bộ "
        "phận quản trị.",
        "No trusted root certificate is configured, so the signature cannot be checked. The batch waits; tell the "
        "operators.",
    ),
    # --- The agency seal: the approval waits until the operators fix the cause ---
    "SEAL_NOT_CONFIGURED": Message(
        "Chữ ký của người phê duyệt hợp lệ, nhưng chưa đóng được dấu điện tử của cơ quan «{agency}»: chưa có chứng thư "
        "con dấu hợp lệ tại {key} (chứng thư phải cấp cho khóa KMS của con dấu và ghi mã cơ quan). Lô được giữ ở "
        "trạng thái chờ; hãy báo bộ phận quản trị.",
        "The approver's signature is valid, but the seal of agency '{agency}' cannot be applied: there is no valid "
        "seal certificate at {key} (it must certify the seal's KMS key and name the agency code). The batch waits; "
        "tell the operators.",
    ),
    "SEAL_FAILED": Message(
        "Chữ ký của người phê duyệt hợp lệ, nhưng dịch vụ khóa (AWS KMS) chưa đóng được dấu điện tử của cơ quan "
        "«{agency}» (lỗi {detail}). Lô được giữ ở trạng thái chờ và sẽ được thử lại.",
        "The approver's signature is valid, but the key service (AWS KMS) could not apply the seal of agency "
        "'{agency}' (error {detail}). The batch waits and is tried again.",
    ),
    "SEAL_INVALID": Message(
        "Chữ ký của người phê duyệt hợp lệ, nhưng dấu điện tử của cơ quan «{agency}» không kiểm tra được (mã lỗi "
        "{reason}), ví dụ chứng thư con dấu hết hạn hoặc bị thu hồi. Lô được giữ ở trạng thái chờ; hãy báo bộ phận "
        "quản trị.",
        "The approver's signature is valid, but the seal of agency '{agency}' does not verify (code {reason}), for "
        "example because the seal certificate expired or was revoked. The batch waits; tell the operators.",
    ),
    "state.approval_pending": Message("chờ phê duyệt", "approval pending"),
}
