"""Messages of evidence bundles and their offline verification (``cbccvc verify-evidence``)."""

from cbccvc.messages.catalog import Message

EVIDENCE_MESSAGES: dict[str, Message] = {
    "evidence.help": Message(
        "Kiểm tra lại hồ sơ chứng cứ phê duyệt của một lô, không cần kết nối AWS.",
        "Check a batch's approval evidence bundle again, without AWS access.",
    ),
    "evidence.description": Message(
        "Kiểm tra chữ ký của người phê duyệt và dấu điện tử của cơ quan trên bản kê, chuỗi chứng thư đến chứng thư "
        "gốc tin cậy do bạn chỉ định và tình trạng thu hồi bằng dữ liệu CRL/OCSP lưu trong hồ sơ, tại thời điểm lô "
        "được xác minh; rồi so từng trường của verification.json với giá trị tính lại từ bản kê và các tệp chữ ký. "
        "Mã thoát 0: hồ sơ hợp lệ; 1: có vấn đề.",
        "Check the approver's signature and the agency seal over the manifest, the certificate chains to the trusted "
        "roots you name and the revocation status with the CRL/OCSP data kept in the bundle, at the time the batch "
        "was verified; then compare every field of verification.json with the value recomputed from the manifest "
        "and the signature files. Exit code 0: the bundle is valid; 1: something failed.",
    ),
    "evidence.bundle": Message(
        "Thư mục evidence/ của lô tải về từ S3, hoặc tệp evidence.zip.",
        "The batch's evidence/ folder downloaded from S3, or its evidence.zip file.",
    ),
    "evidence.trust_anchors": Message(
        "Tệp PEM chứng thư gốc tin cậy dùng để kiểm tra, lấy từ nguồn độc lập với hồ sơ (bắt buộc).",
        "PEM file of the trusted root certificates to check against, from a source independent of the bundle "
        "(required).",
    ),
    "evidence.trust_anchors_required": Message(
        "Hãy chỉ định chứng thư gốc tin cậy bằng --trust-anchors <tệp PEM>. Chứng thư gốc lưu trong hồ sơ không "
        "chứng minh được gì, vì người làm giả hồ sơ cũng tự đặt chứng thư gốc của mình vào đó.",
        "Name the trusted root certificates with --trust-anchors <PEM file>. The roots kept in the bundle prove "
        "nothing, because whoever forges a bundle puts their own root there too.",
    ),
    "evidence.unreadable": Message(
        "Không đọc được hồ sơ «{file}»: {reason}", "Cannot read bundle '{file}': {reason}"
    ),
    "evidence.error_folder": Message(
        "không đọc được các tệp trong thư mục {file}.", "the files in folder {file} cannot be read."
    ),
    "evidence.error_zip": Message(
        "{file} không phải thư mục, cũng không phải tệp zip đọc được.",
        "{file} is neither a folder nor a readable zip file.",
    ),
    "evidence.error_member_too_large": Message(
        "tệp {file} trong hồ sơ lớn hơn {limit_mib} MiB.", "file {file} of the bundle is larger than {limit_mib} MiB."
    ),
    "evidence.error_missing_file": Message(
        "hồ sơ thiếu tệp {file}.", "the bundle lacks the file {file}."
    ),
    "evidence.error_json": Message(
        "tệp {file} trong hồ sơ không có nội dung JSON đúng cấu trúc.",
        "the bundle's file {file} does not hold JSON of the expected structure.",
    ),
    "evidence.error_pem": Message(
        "tệp {file} trong hồ sơ không phải chứng thư PEM đọc được.",
        "the bundle's file {file} is not a readable PEM certificate file.",
    ),
    "evidence.revocation_unknown": Message(
        "Dữ liệu thu hồi (CRL/OCSP) lưu trong hồ sơ không xác định được tình trạng thu hồi của chứng thư tại thời "
        "điểm lô được xác minh (tổ chức cấp: {issuer}).",
        "The revocation data (CRL/OCSP) kept in the bundle does not establish the certificate's revocation status "
        "at the time the batch was verified (issuer: {issuer}).",
    ),
    "evidence.path_timeout": Message(
        "Việc kiểm tra chuỗi chứng thư số (tổ chức cấp: {issuer}) chưa xong trong thời gian cho phép.",
        "Checking the certificate chain (issuer: {issuer}) did not finish in the time allowed.",
    ),
    "evidence.manifest": Message(
        "Lô {batch_id} của cơ quan {agency}: {records} hồ sơ, SHA-256 dữ liệu {records_sha256}.",
        "Batch {batch_id} of agency {agency}: {records} records, data SHA-256 {records_sha256}.",
    ),
    "evidence.verified_at": Message(
        "Kiểm tra tại thời điểm lô được xác minh: {time}.", "Checked as of the time the batch was verified: {time}."
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
        "Chữ ký của người phê duyệt không hợp lệ (lý do ở trên).",
        "The approver's signature is invalid (the reason is above).",
    ),
    "EVIDENCE_FIELD_MISMATCH": Message(
        "Trường {field} của verification.json ghi {recorded}, nhưng tính lại từ bản kê và các tệp chữ ký được "
        "{expected}.",
        "Field {field} of verification.json records {recorded}, but the manifest and signature files give "
        "{expected}.",
    ),
    "EVIDENCE_FIELD_MISSING": Message(
        "verification.json thiếu trường {field}.", "verification.json lacks the field {field}."
    ),
    "EVIDENCE_FIELD_INVALID": Message(
        "Trường {field} của verification.json không hợp lệ hoặc không khớp với các tệp khác của hồ sơ.",
        "Field {field} of verification.json is invalid or does not agree with the bundle's other files.",
    ),
    "EVIDENCE_FIELD_UNEXPECTED": Message(
        "verification.json có trường lạ {field}, không do hệ thống ghi.",
        "verification.json has an unknown field {field}, which the system does not write.",
    ),
    "EVIDENCE_SEAL_MISSING": Message(
        "Hồ sơ không có dấu điện tử của cơ quan (seal.p7s).", "The bundle has no agency seal (seal.p7s)."
    ),
    "EVIDENCE_SEAL_INVALID": Message(
        "Dấu điện tử của cơ quan không hợp lệ (lý do ở trên).", "The agency seal is invalid (the reason is above)."
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
