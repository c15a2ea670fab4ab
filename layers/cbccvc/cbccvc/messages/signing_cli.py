"""Messages of the signing, approver-registry and evidence commands."""

from cbccvc.messages.catalog import Message

SIGNING_CLI_MESSAGES: dict[str, Message] = {
    # --- cbccvc sign ---
    "sign.help": Message(
        "Ký bản kê (manifest) của một lô bằng tệp PKCS#12, USB token (PKCS#11) hoặc khóa AWS KMS.",
        "Sign a batch manifest with a PKCS#12 file, a USB token (PKCS#11) or an AWS KMS key.",
    ),
    "sign.description": Message(
        "Tạo chữ ký số tách rời (.p7s) trên đúng các byte của bản kê. Chọn một nguồn khóa: --p12, --pkcs11-module "
        "hoặc --kms-key-id. Mật khẩu và mã PIN đọc từ biến môi trường, được hỏi khi chạy trong cửa sổ lệnh, hoặc "
        "đọc từ dòng đầu của đầu vào chuẩn; không bao giờ ghi trên dòng lệnh.",
        "Make a detached digital signature (.p7s) over the manifest's exact bytes. Choose one key source: --p12, "
        "--pkcs11-module or --kms-key-id. Passwords and PINs come from an environment variable, a prompt in a "
        "terminal, or the first line of standard input; never from the command line.",
    ),
    "sign.pkcs11_module": Message(
        "Thư viện PKCS#11 của USB token (tệp .so hoặc .dll do nhà cung cấp token cài đặt).",
        "PKCS#11 library of the USB token (the .so or .dll file the token vendor installs).",
    ),
    "sign.token_label": Message("Nhãn (label) của token cần dùng.", "Label of the token to use."),
    "sign.key_label": Message(
        "Nhãn của khóa ký trên token (bỏ qua nếu token chỉ có một khóa).",
        "Label of the signing key on the token (omit when the token holds one key).",
    ),
    "sign.pin_env": Message(
        "Tên biến môi trường chứa mã PIN của token (nếu không có, mã PIN được hỏi khi chạy).",
        "Environment variable holding the token PIN (without it, the PIN is asked for).",
    ),
    "sign.pin_prompt": Message("Mã PIN của token: ", "Token PIN: "),
    "sign.cert": Message(
        "Tệp PEM: chứng thư số của người ký, tiếp theo là các chứng thư CA trung gian. Bắt buộc với --kms-key-id; "
        "với token thì mặc định dùng chứng thư lưu trên token.",
        "PEM file: the signer's certificate followed by intermediate CA certificates. Required with --kms-key-id; "
        "with a token the certificate stored on the token is used by default.",
    ),
    "sign.kms_key_id": Message(
        "Mã hoặc ARN của khóa AWS KMS bất đối xứng dùng để ký (KeyUsage SIGN_VERIFY).",
        "Id or ARN of the asymmetric AWS KMS key to sign with (KeyUsage SIGN_VERIFY).",
    ),
    "sign.token_label_missing": Message(
        "Hãy cho biết token cần dùng bằng --token-label.", "Name the token to use with --token-label."
    ),
    "sign.pin_missing": Message(
        "Chưa có mã PIN của token: dùng --pin-env hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập mã PIN.",
        "No token PIN: use --pin-env or run the command in a terminal to type the PIN.",
    ),
    "sign.cert_unreadable": Message(
        "Không đọc được chứng thư số trong tệp «{file}». Tệp phải ở dạng PEM.",
        "Cannot read a certificate from '{file}'. The file must be PEM.",
    ),
    "sign.kms_cert_missing": Message(
        "Ký bằng khóa KMS cần tệp chứng thư số của khóa đó: dùng --cert.",
        "Signing with a KMS key needs the key's certificate file: use --cert.",
    ),
    "sign.token_failed": Message(
        "Không ký được bằng token «{token}»: {reason}. Hãy kiểm tra token đã cắm, nhãn, mã PIN và chứng thư số.",
        "Cannot sign with token '{token}': {reason}. Check that the token is plugged in, and the label, PIN and "
        "certificate.",
    ),
    "sign.kms_failed": Message(
        "Không ký được bằng khóa KMS «{key}»: {reason}.",
        "Cannot sign with KMS key '{key}': {reason}.",
    ),
    # --- cbccvc approvers ---
    "approvers.help": Message(
        "Quản lý danh sách người được phê duyệt lô của một cơ quan; mọi thay đổi đều được ghi lại.",
        "Manage who may approve an agency's batches; every change is recorded.",
    ),
    "approvers.add_help": Message(
        "Đăng ký chứng thư số của một người phê duyệt.", "Register an approver's certificate."
    ),
    "approvers.list_help": Message("Liệt kê người phê duyệt đã đăng ký.", "List the registered approvers."),
    "approvers.remove_help": Message(
        "Thu hồi quyền phê duyệt của một chứng thư số.", "Withdraw a certificate's right to approve."
    ),
    "approvers.history_help": Message(
        "Xem lịch sử thay đổi danh sách người phê duyệt.", "Show the history of changes to the approvers."
    ),
    "approvers.certificate": Message(
        "Tệp chứng thư số của người phê duyệt: PEM (có thể kèm các chứng thư của tổ chức cấp) hoặc DER.",
        "File of the approver's certificate: PEM (which may also hold the issuers' certificates) or DER.",
    ),
    "approvers.valid_from": Message(
        "Bắt đầu được phê duyệt (YYYY-MM-DD theo giờ Việt Nam, hoặc ngày giờ ISO 8601); mặc định: ngày chứng thư bắt "
        "đầu hiệu lực.",
        "Start of the approval right (YYYY-MM-DD in Vietnam time, or an ISO 8601 date-time); default: the "
        "certificate's start of validity.",
    ),
    "approvers.valid_until": Message(
        "Hết quyền phê duyệt (hết ngày YYYY-MM-DD theo giờ Việt Nam, hoặc ngày giờ ISO 8601); mặc định: ngày chứng "
        "thư hết hạn.",
        "End of the approval right (the end of day YYYY-MM-DD in Vietnam time, or an ISO 8601 date-time); default: "
        "the certificate's expiry.",
    ),
    "approvers.fingerprint": Message(
        "Dấu vân tay SHA-256 của chứng thư (như lệnh list hiển thị).",
        "SHA-256 fingerprint of the certificate (as the list command shows it).",
    ),
    "approvers.actor": Message(
        "Người thực hiện thay đổi, ghi vào lịch sử (mặc định: tên người dùng trên máy).",
        "Who makes the change, recorded in the history (default: the user name on this computer).",
    ),
    "approvers.added": Message(
        "Đã đăng ký {subject} phê duyệt cho cơ quan {agency} từ {valid_from} đến {valid_until} (dấu vân tay "
        "{fingerprint}).",
        "Registered {subject} as an approver of agency {agency} from {valid_from} to {valid_until} (fingerprint "
        "{fingerprint}).",
    ),
    "approvers.removed": Message(
        "Đã thu hồi quyền phê duyệt của chứng thư {fingerprint} đối với cơ quan {agency}.",
        "Withdrew certificate {fingerprint} from approving for agency {agency}.",
    ),
    "approvers.not_found": Message(
        "Chứng thư {fingerprint} không có trong danh sách người phê duyệt của cơ quan {agency}.",
        "Certificate {fingerprint} is not a registered approver of agency {agency}.",
    ),
    "approvers.none": Message(
        "Cơ quan {agency} chưa có người phê duyệt nào.", "Agency {agency} has no registered approver."
    ),
    "approvers.line": Message(
        "{fingerprint}\t{subject}\tsố hiệu {serial}\ttừ {valid_from} đến {valid_until}",
        "{fingerprint}\t{subject}\tserial {serial}\tfrom {valid_from} to {valid_until}",
    ),
    "approvers.history_empty": Message(
        "Chưa có thay đổi nào với người phê duyệt của cơ quan {agency}.",
        "No change to agency {agency}'s approvers yet.",
    ),
    "approvers.history_line": Message(
        "{at}\t{action}\tbởi {actor}\t{subject}\t{fingerprint}",
        "{at}\t{action}\tby {actor}\t{subject}\t{fingerprint}",
    ),
    "approvers.approver_added": Message("thêm hoặc cập nhật", "added or updated"),
    "approvers.approver_removed": Message("thu hồi", "removed"),
    "approvers.date_invalid": Message(
        "Ngày «{value}» không hợp lệ; hãy viết YYYY-MM-DD hoặc ngày giờ ISO 8601.",
        "Date '{value}' is invalid; write YYYY-MM-DD or an ISO 8601 date-time.",
    ),
    "approvers.window_invalid": Message(
        "Thời điểm hết quyền phê duyệt phải sau thời điểm bắt đầu.",
        "The end of the approval right must come after its start.",
    ),
    "approvers.not_signing_certificate": Message(
        "Chứng thư trong «{file}» không dùng để phê duyệt được: {reason}",
        "The certificate in '{file}' cannot be used to approve: {reason}",
    ),
    "approvers.cert_unreadable": Message(
        "Không đọc được chứng thư số trong tệp «{file}». Tệp phải ở dạng PEM hoặc DER.",
        "Cannot read a certificate from '{file}'. The file must be PEM or DER.",
    ),
    "approvers.no_single_end_entity": Message(
        "Tệp «{file}» có {count} chứng thư nhưng không xác định được đúng một chứng thư của người phê duyệt (chứng thư "
        "không phải của tổ chức cấp). Hãy dùng tệp chỉ chứa chứng thư của người phê duyệt.",
        "File '{file}' holds {count} certificates, but not exactly one approver's certificate (one that is not a "
        "certification authority's). Use a file with the approver's certificate only.",
    ),
    "approvers.agency_unknown": Message(
        "Cơ quan «{agency}» chưa được đăng ký trong hệ thống. Hãy kiểm tra mã cơ quan, hoặc đăng ký cơ quan trước.",
        "Agency '{agency}' is not registered. Check the agency code, or register the agency first.",
    ),
    "approvers.registered_elsewhere": Message(
        "Lưu ý: chứng thư này cũng đang được phép phê duyệt cho cơ quan {agencies}. Nếu không đúng, hãy thu hồi ở cơ "
        "quan đó bằng lệnh approvers remove.",
        "Note: this certificate may also approve for agency {agencies}. If that is wrong, withdraw it there with "
        "approvers remove.",
    ),
    "approvers.window_beyond_certificate": Message(
        "Lưu ý: chứng thư hết hạn lúc {not_after}; sau thời điểm đó người này không phê duyệt được bằng chứng thư "
        "này nữa, dù quyền phê duyệt kéo dài hơn.",
        "Note: the certificate expires at {not_after}; after that this person cannot approve with it, even though "
        "the approval right lasts longer.",
    ),
    "approvers.reason_expired": Message(
        "chứng thư đã hết hạn lúc {not_after}.", "the certificate expired at {not_after}."
    ),
    "approvers.reason_self_signed": Message(
        "chứng thư tự ký, không do tổ chức cung cấp dịch vụ chứng thực chữ ký số nào cấp.",
        "the certificate is self-signed, not issued by a certification authority.",
    ),
    "approvers.reason_key_usage": Message(
        "chứng thư không được phép dùng để ký số (thiếu mục đích digitalSignature hoặc nonRepudiation).",
        "the certificate may not be used for digital signatures (it lacks digitalSignature and nonRepudiation).",
    ),
    "approvers.reason_extended_key_usage": Message(
        "chứng thư chỉ được cấp cho mục đích khác (ví dụ máy chủ web hoặc ký mã chương trình), không dùng để ký văn "
        "bản.",
        "the certificate was issued for another purpose (a web server or code signing, say), not for signing "
        "documents.",
    ),
    "approvers.reason_ca": Message(
        "đây là chứng thư của một tổ chức cấp chứng thư (CA), không phải của người phê duyệt.",
        "this is a certification authority's (CA) certificate, not an approver's.",
    ),
    "approvers.reason_key": Message(
        "khóa {key} không đạt yêu cầu (RSA từ 2048 bit với số mũ công khai từ 65537, hoặc ECDSA trên đường cong "
        "P-256, P-384 hay P-521).",
        "the key {key} does not meet the requirements (RSA of 2048 bits or more with a public exponent of 65537 or "
        "more, or ECDSA on the curve P-256, P-384 or P-521).",
    ),
}
