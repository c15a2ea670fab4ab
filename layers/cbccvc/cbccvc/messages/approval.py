"""Messages about an approval signature: one per reason code and warning code of ``cbccvc.signing``.

Templates name only fields that ``VerificationResult.params`` carries for that code.
"""

from cbccvc.messages.catalog import Message

APPROVAL_MESSAGES: dict[str, Message] = {
    # --- Rejections: the signature does not approve the batch ---
    "SIG_TOO_LARGE": Message(
        "Tệp chữ ký dài {size_kib} KiB, vượt giới hạn {max_kib} KiB của một chữ ký số tách rời. Hãy ký lại bản kê "
        "bằng phần mềm ký số, chọn kiểu chữ ký tách rời (.p7s) chỉ kèm chứng thư của người ký và các tổ chức cấp, "
        "rồi tải lên lại.",
        "The signature file is {size_kib} KiB, over the {max_kib} KiB limit for a detached signature. Sign the "
        "manifest again with signing software, choose a detached signature (.p7s) that carries only the signer's "
        "and the issuers' certificates, and upload it again.",
    ),
    "SIG_MALFORMED": Message(
        "Tệp chữ ký không phải chữ ký số CMS/PKCS#7 hợp lệ (tệp hỏng, sai định dạng hoặc không phải tệp "
        ".p7s). Hãy ký lại bản kê bằng phần mềm ký số, chọn kiểu chữ ký tách rời (.p7s), rồi tải lên lại.",
        "The signature file is not a valid CMS/PKCS#7 signature (damaged, wrong format or not a .p7s file). "
        "Sign the manifest again with signing software, choose a detached signature (.p7s) and upload it "
        "again.",
    ),
    "SIG_MULTIPLE_SIGNERS": Message(
        "Tệp chữ ký có {signer_count} chữ ký, nhưng mỗi lô chỉ được phê duyệt bằng đúng một chữ ký. Hãy nộp tệp "
        "chữ ký chỉ gồm chữ ký của người phê duyệt.",
        "The signature file holds {signer_count} signatures, but a batch is approved by exactly one signature. "
        "Upload a signature file with the approver's signature only.",
    ),
    "SIG_TOO_MANY_CERTIFICATES": Message(
        "Tệp chữ ký kèm {certificate_count} chứng thư số, nhiều hơn mức tối đa {max_count}. Hãy ký lại và chỉ đính "
        "kèm chứng thư của người ký cùng các chứng thư của tổ chức cấp.",
        "The signature file carries {certificate_count} certificates, more than the maximum of {max_count}. Sign "
        "again and include only the signer's certificate and the issuers' certificates.",
    ),
    "SIG_NO_SIGNED_ATTRS": Message(
        "Chữ ký thiếu các thuộc tính ký bắt buộc (loại nội dung và giá trị băm của bản kê). Hãy ký lại bằng "
        "phần mềm ký số tạo chữ ký CMS chuẩn (CAdES hoặc PKCS#7 có thuộc tính ký).",
        "The signature lacks the required signed attributes (content type and message digest). Sign again "
        "with software that makes standard CMS signatures (CAdES, or PKCS#7 with signed attributes).",
    ),
    "SIG_WEAK_DIGEST": Message(
        "Chữ ký dùng hàm băm {digest_algorithm}, không được chấp nhận; chỉ chấp nhận SHA-256 trở lên (Thông "
        "tư 15/2025/TT-BKHCN). Hãy chọn SHA-256 trong phần mềm ký số và ký lại.",
        "The signature uses the hash {digest_algorithm}, which is not accepted; only SHA-256 or stronger is "
        "(Circular 15/2025/TT-BKHCN). Choose SHA-256 in the signing software and sign again.",
    ),
    "SIG_CONTENT_MISMATCH": Message(
        "Chữ ký không khớp với bản kê của lô: bản kê đã bị sửa sau khi ký, hoặc chữ ký được tạo cho tệp "
        "khác. Hãy tải bản kê hiện tại của lô, ký đúng tệp đó (không mở và lưu lại) rồi tải chữ ký lên lại.",
        "The signature does not match the batch manifest: the manifest changed after signing, or the "
        "signature was made for another file. Download the batch's current manifest, sign that exact file "
        "(do not open and save it) and upload the signature again.",
    ),
    "SIG_SIGNER_CERT_MISSING": Message(
        "Tệp chữ ký không kèm chứng thư số của người ký. Hãy ký lại và chọn tùy chọn đính kèm chứng thư số vào chữ ký.",
        "The signature file does not include the signer's certificate. Sign again and choose the option to "
        "include the certificate in the signature.",
    ),
    "SIG_ALGORITHM_UNSUPPORTED": Message(
        "Chữ ký dùng thuật toán không được hỗ trợ. Chỉ chấp nhận RSA (RSASSA-PSS hoặc PKCS#1 v1.5) và ECDSA "
        "với SHA-256 trở lên. Hãy ký lại bằng chứng thư số và phần mềm ký số đúng chuẩn.",
        "The signature uses an unsupported algorithm. Only RSA (RSASSA-PSS or PKCS#1 v1.5) and ECDSA with "
        "SHA-256 or stronger are accepted. Sign again with a compliant certificate and signing software.",
    ),
    "SIG_INVALID": Message(
        "Chữ ký số không hợp lệ: kiểm tra chữ ký bằng khóa công khai của người ký không thành công, tệp chữ "
        "ký có thể đã bị hỏng hoặc bị sửa. Hãy ký lại bản kê và tải chữ ký mới lên.",
        "The digital signature is invalid: it does not verify with the signer's public key, so the signature "
        "file may be damaged or altered. Sign the manifest again and upload the new signature.",
    ),
    "SIG_LEGACY_PADDING_REJECTED": Message(
        "Chữ ký dùng chuẩn RSA PKCS#1 v1.5 cũ, không được chấp nhận ở hệ thống này. Hãy ký lại với "
        "RSASSA-PSS (Thông tư 15/2025/TT-BKHCN) hoặc dùng chứng thư số ECDSA.",
        "The signature uses the legacy RSA PKCS#1 v1.5 padding, which this system does not accept. Sign "
        "again with RSASSA-PSS (Circular 15/2025/TT-BKHCN) or use an ECDSA certificate.",
    ),
    "SIG_WEAK_KEY": Message(
        "Khóa ký {key_type} dài {key_bits} bit, ngắn hơn mức tối thiểu {min_bits} bit. Hãy xin cấp chứng thư "
        "số mới có khóa đủ dài (RSA từ 2048 bit hoặc ECDSA từ 256 bit) rồi ký lại.",
        "The {key_type} signing key has {key_bits} bits, fewer than the minimum of {min_bits}. Get a new "
        "certificate with a long enough key (RSA 2048 bits or more, or ECDSA 256 bits or more) and sign "
        "again.",
    ),
    "SIG_KEY_UNSUPPORTED": Message(
        "Khóa ký {key_type} có tham số {key_parameter} không được chấp nhận: chỉ chấp nhận ECDSA trên đường cong "
        "P-256, P-384 hoặc P-521 và RSA có số mũ công khai từ 65537. Hãy xin cấp chứng thư số mới rồi ký lại.",
        "The {key_type} signing key has parameter {key_parameter}, which is not accepted: only ECDSA on the curves "
        "P-256, P-384 or P-521 and RSA with a public exponent of 65537 or more are. Get a new certificate and sign "
        "again.",
    ),
    "SIG_TIME_INVALID": Message(
        "Thời điểm ký ghi trong chữ ký ({signing_time}) ở tương lai. Hãy chỉnh đồng hồ máy tính dùng để ký "
        "cho đúng rồi ký lại.",
        "The signing time in the signature ({signing_time}) is in the future. Correct the clock of the "
        "computer used for signing and sign again.",
    ),
    "SIG_TIME_TOO_EARLY": Message(
        "Thời điểm ký ghi trong chữ ký ({signing_time}) sớm hơn thời điểm sớm nhất được chấp nhận ({earliest}). "
        "Hãy chỉnh đồng hồ máy tính dùng để ký cho đúng rồi ký lại.",
        "The signing time in the signature ({signing_time}) is before the earliest accepted time ({earliest}). "
        "Correct the clock of the computer used for signing and sign again.",
    ),
    "CERT_UNTRUSTED": Message(
        "Chứng thư số của người ký không chuỗi về chứng thư gốc tin cậy nào (tổ chức cấp: {issuer}). Hãy ký "
        "bằng chứng thư số do tổ chức cung cấp dịch vụ chứng thực chữ ký số được công nhận cấp.",
        "The signer's certificate does not chain to a trusted root certificate (issuer: {issuer}). Sign with "
        "a certificate from a recognised certification authority.",
    ),
    "CERT_EXPIRED": Message(
        "Chứng thư số đã hết hạn lúc {not_after}, trong khi chứng thư phải còn hiệu lực vào lúc lô được quyết định "
        "phê duyệt. Hãy ký lại bằng chứng thư còn hiệu lực.",
        "The certificate expired at {not_after}, but it must be valid when the batch is decided. Sign again with a "
        "certificate that is still valid.",
    ),
    "CERT_NOT_YET_VALID": Message(
        "Chứng thư số chỉ có hiệu lực từ {not_before}. Hãy ký lại khi chứng thư đã có hiệu lực, hoặc kiểm "
        "tra đồng hồ máy tính dùng để ký.",
        "The certificate is valid only from {not_before}. Sign again once it is valid, or check the clock of "
        "the computer used for signing.",
    ),
    "CERT_REVOKED": Message(
        "Chứng thư số đã bị thu hồi từ {revocation_date}, trong khi chứng thư phải chưa bị thu hồi vào lúc lô được "
        "quyết định phê duyệt. Hãy liên hệ tổ chức cấp chứng thư, rồi ký lại bằng chứng thư số còn hiệu lực.",
        "The certificate was revoked at {revocation_date}, but it must be unrevoked when the batch is decided. "
        "Contact the certification authority, then sign again with a valid certificate.",
    ),
    "CERT_REVOCATION_UNKNOWN": Message(
        "Chưa xác định được tình trạng thu hồi của chứng thư số (tổ chức cấp: {issuer}) vì không có danh sách "
        "thu hồi (CRL) hoặc phản hồi OCSP còn hiệu lực; nếu tình trạng này kéo dài, hãy báo bộ phận quản trị.",
        "The certificate's revocation status could not be established (issuer: {issuer}) because no current "
        "revocation list (CRL) or OCSP response is available; if this lasts, tell the operators.",
    ),
    "CERT_WEAK_ALGORITHM": Message(
        "Chứng thư số (hoặc chứng thư của tổ chức cấp) được ký bằng thuật toán yếu như SHA-1 hoặc SHA-224, hoặc "
        "dùng khóa không đạt yêu cầu. Hãy xin cấp chứng thư số mới dùng SHA-256 trở lên rồi ký lại.",
        "The certificate (or one of its issuers) is signed with a weak algorithm such as SHA-1 or SHA-224, or has "
        "a key that does not meet the requirements. Get a new certificate that uses SHA-256 or stronger and sign "
        "again.",
    ),
    "CERT_KEY_USAGE": Message(
        "Chứng thư số không được phép dùng để ký số (thiếu mục đích sử dụng digitalSignature hoặc "
        "nonRepudiation). Hãy ký bằng chứng thư số dành cho ký số.",
        "The certificate may not be used for digital signatures (its key usage lacks digitalSignature and "
        "nonRepudiation). Sign with a certificate meant for signing.",
    ),
    "CERT_EXTENDED_KEY_USAGE": Message(
        "Chứng thư số chỉ được cấp cho mục đích khác (ví dụ máy chủ web hoặc ký mã chương trình), không dùng để "
        "ký văn bản. Hãy ký bằng chứng thư số dành cho ký số văn bản.",
        "The certificate was issued for another purpose (a web server or code signing, say), not for signing "
        "documents. Sign with a certificate meant for signing documents.",
    ),
    "CERT_IS_CA": Message(
        "Chữ ký được tạo bằng chứng thư của một tổ chức cấp chứng thư (CA), không phải chứng thư của người "
        "phê duyệt. Hãy ký bằng chứng thư số cá nhân của người có thẩm quyền.",
        "The signature was made with a certification authority (CA) certificate, not an approver's "
        "certificate. Sign with the personal certificate of the authorised person.",
    ),
    "CERT_PATH_AMBIGUOUS": Message(
        "Tệp chữ ký kèm hai chứng thư số khác nhau mang cùng một tên, nên không xác định được chuỗi chứng thư. Hãy "
        "ký lại và chỉ đính kèm chứng thư của người ký cùng các chứng thư của tổ chức cấp.",
        "The signature file carries two different certificates with the same name, so the certificate chain is "
        "ambiguous. Sign again and include only the signer's certificate and the issuers' certificates.",
    ),
    "CERT_PATH_INVALID": Message(
        "Không xác thực được chuỗi chứng thư số của người ký (tổ chức cấp: {issuer}). Hãy báo bộ phận quản "
        "trị, hoặc ký lại bằng chứng thư số khác.",
        "The signer's certificate chain could not be validated (issuer: {issuer}). Tell the operators, or "
        "sign again with another certificate.",
    ),
    "CERT_PATH_TIMEOUT": Message(
        "Việc kiểm tra chuỗi chứng thư số của người ký (tổ chức cấp: {issuer}) chưa xong trong thời gian cho phép; "
        "nếu tình trạng này lặp lại, hãy báo bộ phận quản trị.",
        "Checking the signer's certificate chain (issuer: {issuer}) did not finish in the time allowed; if this "
        "happens again, tell the operators.",
    ),
    # --- Warnings: the signature is accepted, with a note ---
    "SIG_LEGACY_PADDING": Message(
        "Chữ ký dùng chuẩn RSA PKCS#1 v1.5 cũ; vẫn được chấp nhận, nhưng lần sau hãy ký với RSASSA-PSS "
        "(Thông tư 15/2025/TT-BKHCN).",
        "The signature uses the legacy RSA PKCS#1 v1.5 padding; it is accepted, but sign with RSASSA-PSS "
        "next time (Circular 15/2025/TT-BKHCN).",
    ),
    "SIG_NO_SIGNING_TIME": Message(
        "Chữ ký không ghi thời điểm ký; chứng thư số được kiểm tra tại thời điểm xác minh.",
        "The signature states no signing time; the certificate was checked at verification time.",
    ),
    "SIG_CONTENT_ATTACHED": Message(
        "Tệp chữ ký có kèm cả nội dung bản kê; nội dung này trùng với bản kê của lô nên vẫn được chấp nhận.",
        "The signature file also contains the manifest; it equals the batch manifest, so it is accepted.",
    ),
    "REVOCATION_NOT_CHECKED": Message(
        "Chưa kiểm tra tình trạng thu hồi chứng thư số vì chưa cấu hình danh sách thu hồi (CRL).",
        "The certificate's revocation status was not checked because no revocation list (CRL) is configured.",
    ),
    "CRL_UNREADABLE": Message(
        "Có {crl_count} danh sách thu hồi (CRL) không đọc được và đã bị bỏ qua. Hãy báo bộ phận quản trị.",
        "{crl_count} revocation lists (CRLs) could not be read and were skipped. Tell the operators.",
    ),
    "REVOCATION_STALE": Message(
        "Có {stale_count} dữ liệu thu hồi (CRL/OCSP) đã quá cũ hoặc hết hạn nên không được dùng. Hãy báo bộ phận "
        "quản trị cập nhật CRL.",
        "{stale_count} pieces of revocation data (CRL/OCSP) were too old or expired and were not used. Ask the "
        "operators to update the CRLs.",
    ),
    "REVOCATION_FETCH_FAILED": Message(
        "Không tải được dữ liệu thu hồi từ {failed_count} địa chỉ do chứng thư số chỉ ra; tình trạng thu hồi được "
        "xác định bằng dữ liệu còn lại.",
        "Revocation data could not be fetched from {failed_count} addresses the certificates name; the "
        "revocation status was judged on the remaining data.",
    ),
}
