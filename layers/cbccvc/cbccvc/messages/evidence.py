"""Messages of evidence bundles and their offline verification (``cbccvc verify-evidence``)."""

from cbccvc.messages.catalog import Message

EVIDENCE_MESSAGES: dict[str, Message] = {
    "evidence.help": Message(
        "Kiểm tra lại hồ sơ chứng cứ phê duyệt của một lô, không cần kết nối AWS.",
        "Check a batch's approval evidence bundle again, without AWS access.",
    ),
    "evidence.description": Message(
        "Kiểm tra chữ ký của người phê duyệt và dấu điện tử của cơ quan trên bản kê, chuỗi chứng thư đến chứng thư "
        "gốc tin cậy và tình trạng thu hồi bằng dữ liệu CRL/OCSP lưu trong hồ sơ, tại thời điểm lô được xác minh. "
        "Mã thoát 0: hồ sơ hợp lệ; 1: có vấn đề.",
        "Check the approver's signature and the agency seal over the manifest, the certificate chains to a trusted "
        "root and the revocation status with the CRL/OCSP data kept in the bundle, at the time the batch was "
        "verified. Exit code 0: the bundle is valid; 1: something failed.",
    ),
    "evidence.bundle": Message(
        "Thư mục evidence/ của lô tải về từ S3, hoặc tệp evidence.zip.",
        "The batch's evidence/ folder downloaded from S3, or its evidence.zip file.",
    ),
    "evidence.trust_anchors": Message(
        "Tệp PEM chứng thư gốc tin cậy dùng để kiểm tra (mặc định: chứng thư gốc lưu trong hồ sơ).",
        "PEM file of trusted root certificates to check against (default: the roots kept in the bundle).",
    ),
    "evidence.unreadable": Message(
        "Không đọc được hồ sơ «{file}»: {reason}.", "Cannot read bundle '{file}': {reason}."
    ),
    "evidence.manifest": Message(
        "Lô {batch_id} của cơ quan {agency}: {records} hồ sơ, SHA-256 dữ liệu {records_sha256}.",
        "Batch {batch_id} of agency {agency}: {records} records, data SHA-256 {records_sha256}.",
    ),
    "evidence.verified_at": Message(
        "Kiểm tra tại thời điểm lô được xác minh: {time}.", "Checked as of the time the batch was verified: {time}."
    ),
    "evidence.bundled_anchors": Message(
        "Lưu ý: đang dùng chứng thư gốc lưu trong hồ sơ; để kiểm tra độc lập, hãy chỉ định --trust-anchors.",
        "Note: the roots kept in the bundle are used; for an independent check, pass --trust-anchors.",
    ),
    "evidence.role_signature": Message("Chữ ký người phê duyệt", "Approver's signature"),
    "evidence.role_seal": Message("Dấu điện tử của cơ quan", "Agency seal"),
    "evidence.signature_valid": Message(
        "{role}: hợp lệ. Người ký: {subject}; thời điểm ký: {time}; thuật toán: {algorithm}.",
        "{role}: valid. Signer: {subject}; signing time: {time}; algorithm: {algorithm}.",
    ),
    "evidence.signature_invalid": Message("{role}: KHÔNG hợp lệ. {reason}", "{role}: NOT valid. {reason}"),
    "evidence.result_ok": Message(
        "Kết quả: hồ sơ chứng cứ hợp lệ.", "Result: the evidence bundle is valid."
    ),
    "evidence.result_failed": Message(
        "Kết quả: hồ sơ chứng cứ KHÔNG hợp lệ ({count} vấn đề).",
        "Result: the evidence bundle is NOT valid ({count} problems).",
    ),
    # --- Findings ---
    "EVIDENCE_MANIFEST_INVALID": Message(
        "Tệp manifest.json trong hồ sơ không phải bản kê hợp lệ.", "The bundle's manifest.json is not a valid manifest."
    ),
    "EVIDENCE_MANIFEST_CHANGED": Message(
        "Bản kê trong hồ sơ khác với bản kê đã được xác minh (giá trị băm SHA-256 không khớp).",
        "The bundle's manifest differs from the manifest that was verified (SHA-256 does not match).",
    ),
    "EVIDENCE_SIGNATURE_INVALID": Message(
        "Chữ ký của người phê duyệt không hợp lệ (mã lỗi {reason}).",
        "The approver's signature is invalid (code {reason}).",
    ),
    "EVIDENCE_RECORD_MISMATCH": Message(
        "Người ký trong {part} khác với người ký đã ghi trong verification.json.",
        "The signer in {part} differs from the signer recorded in verification.json.",
    ),
    "EVIDENCE_SEAL_MISSING": Message(
        "Hồ sơ không có dấu điện tử của cơ quan (seal.p7s).", "The bundle has no agency seal (seal.p7s)."
    ),
    "EVIDENCE_SEAL_INVALID": Message(
        "Dấu điện tử của cơ quan không hợp lệ (mã lỗi {reason}).", "The agency seal is invalid (code {reason})."
    ),
    "EVIDENCE_SEAL_WRONG_AGENCY": Message(
        "Dấu điện tử thuộc cơ quan «{seal_agency}», không phải cơ quan «{agency}» của bản kê.",
        "The seal belongs to agency '{seal_agency}', not to the manifest's agency '{agency}'.",
    ),
    "EVIDENCE_SEAL_SAME_SIGNER": Message(
        "Dấu điện tử được ký bằng chính chứng thư của người phê duyệt, không phải chứng thư con dấu của cơ quan.",
        "The seal was made with the approver's own certificate, not the agency's seal certificate.",
    ),
}
