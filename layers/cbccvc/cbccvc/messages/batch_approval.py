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
        "Chưa quyết định được phê duyệt: {reason} Lô được giữ ở trạng thái chờ; hệ thống tự kiểm tra lại mỗi giờ và "
        "khi có danh sách thu hồi (CRL) mới, không cần ký lại.",
        "The approval cannot be decided yet: {reason} The batch waits; the system checks again every hour and when a "
        "new revocation list (CRL) arrives, with no need to sign again.",
    ),
    "APPROVAL_REJECTED_WHILE_PENDING": Message(
        "Tệp chữ ký này không được chấp nhận: {reason} Lô vẫn chờ quyết định với tệp chữ ký «{pending_key}» đã tải "
        "lên trước đó.",
        "This signature file is not accepted: {reason} The batch still waits for a decision on the signature file "
        "'{pending_key}' uploaded earlier.",
    ),
    "APPROVAL_REASON_UNKNOWN": Message(
        "Chữ ký không được chấp nhận vì một lỗi hệ thống chưa có mô tả. Hãy báo bộ phận quản trị.",
        "The signature is not accepted because of a system error without a description. Tell the operators.",
    ),
    "APPROVAL_KEY_INVALID": Message(
        "Tệp chữ ký «{key}» không được xét: tệp phải nằm ở approvals/<mã cơ quan>/<mã lô>/<tên tệp>, với tên tệp "
        "kết thúc bằng .p7s, .P7S, .p7m hoặc .P7M.",
        "Signature file '{key}' is not checked: it must be at approvals/<agency code>/<batch id>/<name>, with a name "
        "ending in .p7s, .P7S, .p7m or .P7M.",
    ),
    "APPROVAL_AGENCY_INVALID": Message(
        "Mã cơ quan «{agency}» trong đường dẫn tệp chữ ký có ký tự không phải chữ cái Latin không dấu hoặc chữ số "
        "(chữ có hình dạng giống chữ Latin, chữ toàn độ rộng hoặc ký tự ẩn). Hãy gõ lại mã cơ quan bằng bàn phím "
        "tiếng Anh rồi tải tệp lên lại.",
        "The agency code '{agency}' in the signature file's path has characters other than unaccented Latin letters "
        "and digits (a lookalike letter, a fullwidth letter or a hidden character). Type the agency code again on an "
        "English keyboard and upload the file again.",
    ),
    "BATCH_NOT_FOUND": Message(
        "Không có lô «{batch_id}» của cơ quan «{agency}». Hãy kiểm tra mã lô trong đường dẫn tải chữ ký.",
        "Batch '{batch_id}' of agency '{agency}' does not exist. Check the batch id in the signature's path.",
    ),
    "BATCH_NOT_APPROVABLE": Message(
        "Lô «{batch_id}» đang ở trạng thái «{state}», nên tệp chữ ký này không được xét và lô không thay đổi. Chỉ lô "
        "đã kiểm tra xong và chưa được phê duyệt mới được ký duyệt.",
        "Batch '{batch_id}' is in state '{state}', so this signature file is not checked and the batch is unchanged. "
        "Only validated batches that are not yet approved can be signed.",
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
        "Người ký «{signer}» ký lúc {signing_time}, ngoài thời gian được phê duyệt từ {valid_from} đến {valid_until}.",
        "Signer '{signer}' signed at {signing_time}, outside their approval period from {valid_from} to "
        "{valid_until}.",
    ),
    "SIGNING_TIME_BEFORE_MANIFEST": Message(
        "Chữ ký ghi thời điểm ký {signing_time}, trước khi bản kê được tạo ({created_at}). Hãy kiểm tra đồng hồ "
        "máy tính rồi ký lại.",
        "The signature states signing time {signing_time}, before the manifest was created ({created_at}). Check "
        "the computer's clock and sign again.",
    ),
    "TRUST_NOT_CONFIGURED": Message(
        "Chưa cấu hình chứng thư gốc tin cậy nên chưa kiểm tra được chữ ký; hãy báo bộ phận quản trị.",
        "No trusted root certificate is configured, so the signature cannot be checked; tell the operators.",
    ),
    # --- The agency seal: the approval waits until the operators fix the cause ---
    "SEAL_NOT_CONFIGURED": Message(
        "Chữ ký của người phê duyệt hợp lệ, nhưng chưa đóng được dấu điện tử của cơ quan «{agency}»: chưa có chứng thư "
        "con dấu hợp lệ tại {key} (chứng thư phải cấp cho khóa KMS của con dấu và ghi mã cơ quan); hãy báo bộ phận "
        "quản trị.",
        "The approver's signature is valid, but the seal of agency '{agency}' cannot be applied: there is no valid "
        "seal certificate at {key} (it must certify the seal's KMS key and name the agency code); tell the "
        "operators.",
    ),
    "SEAL_FAILED": Message(
        "Chữ ký của người phê duyệt hợp lệ, nhưng dịch vụ khóa (AWS KMS) tạm thời chưa đóng được dấu điện tử của cơ "
        "quan «{agency}».",
        "The approver's signature is valid, but the key service (AWS KMS) could not apply the seal of agency "
        "'{agency}' for now.",
    ),
    "SEAL_INVALID": Message(
        "Chữ ký của người phê duyệt hợp lệ, nhưng dấu điện tử của cơ quan «{agency}» không kiểm tra được, ví dụ "
        "chứng thư con dấu hết hạn hoặc bị thu hồi; hãy báo bộ phận quản trị.",
        "The approver's signature is valid, but the seal of agency '{agency}' does not verify, for example because "
        "the seal certificate expired or was revoked; tell the operators.",
    ),
    "state.approval_pending": Message("chờ phê duyệt", "approval pending"),
    "state.received": Message("đã nhận, đang kiểm tra", "received, being validated"),
}
