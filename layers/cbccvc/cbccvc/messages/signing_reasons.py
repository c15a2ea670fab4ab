"""Why a manifest could not be signed, or an AWS call failed: the {reason} of the CLI's messages.

The signing modules raise errors in English for the logs. Each error carries one of these
codes, so the CLI shows the reason in the user's language.
"""

from __future__ import annotations

from cbccvc.messages.catalog import Message

SIGNING_REASONS: dict[str, Message] = {
    # --- keys and certificates ---
    "reason.key_not_certified": Message(
        "khóa bí mật không thuộc chứng thư số đã chọn",
        "the private key does not belong to the chosen certificate",
    ),
    "reason.digest_unsupported": Message(
        "thuật toán băm «{digest}» không được dùng để ký (dùng SHA-256, SHA-384 hoặc SHA-512)",
        "the digest '{digest}' is not used for signing (use SHA-256, SHA-384 or SHA-512)",
    ),
    "reason.rsa_with_ecdsa": Message(
        "khóa RSA không ký được theo ECDSA",
        "an RSA key cannot sign with ECDSA",
    ),
    "reason.key_type_unsupported": Message(
        "loại khóa «{kind}» không được hỗ trợ; hãy dùng khóa RSA hoặc EC",
        "key type '{kind}' is not supported; use an RSA or EC key",
    ),
    "reason.curve_unsupported": Message(
        "đường cong EC «{curve}» không được hỗ trợ (dùng P-256 hoặc P-384)",
        "EC curve '{curve}' is not supported (use P-256 or P-384)",
    ),
    "reason.signature_not_verified": Message(
        "chữ ký tạo ra không khớp với chứng thư số: khóa hoặc chứng thư số không đúng",
        "the signature made does not verify with the certificate: wrong key or certificate",
    ),
    # --- KMS ---
    "reason.kms_not_signing_key": Message(
        "khóa KMS «{key}» không phải khóa ký (KeyUsage {usage})",
        "KMS key '{key}' is not a signing key (KeyUsage {usage})",
    ),
    "reason.kms_key_not_certified": Message(
        "chứng thư số không chứng nhận khóa KMS «{key}»",
        "the certificate does not certify KMS key '{key}'",
    ),
    "reason.kms_algorithm_missing": Message(
        "khóa KMS «{key}» không có thuật toán {algorithm}",
        "KMS key '{key}' does not offer {algorithm}",
    ),
    "reason.kms_key_spec": Message(
        "loại khóa KMS «{spec}» không ký duyệt được; hãy dùng ECC_NIST_P256 hoặc RSA",
        "KMS key spec '{spec}' cannot make approval signatures; use ECC_NIST_P256 or RSA",
    ),
    "reason.kms_too_large": Message(
        "dữ liệu cần ký dài {size} byte, quá giới hạn {limit} byte của KMS",
        "the {size} bytes to sign exceed KMS's limit of {limit} bytes",
    ),
    "reason.kms_bad_signature": Message(
        "chữ ký KMS trả về không khớp với khóa công khai của khóa «{key}»",
        "the signature KMS returned does not verify with the public key of '{key}'",
    ),
    # --- PKCS#11 tokens ---
    "reason.token_module": Message(
        "không nạp được thư viện PKCS#11 (kiểm tra đường dẫn --pkcs11-module và phần mềm của token)",
        "the PKCS#11 module cannot be loaded (check the --pkcs11-module path and the token's software)",
    ),
    "reason.token_not_found": Message(
        "không thấy token có nhãn này (kiểm tra token đã cắm và nhãn --token-label)",
        "no token has this label (check that the token is plugged in, and --token-label)",
    ),
    "reason.token_pin": Message(
        "mã PIN bị từ chối (sai, hoặc token đã khóa sau nhiều lần nhập sai)",
        "the PIN is refused (wrong, or the token is locked after too many wrong tries)",
    ),
    "reason.token_open": Message(
        "không mở được phiên làm việc với token ({error})",
        "cannot open a session with the token ({error})",
    ),
    "reason.token_key": Message(
        "không tìm được đúng một khóa bí mật trên token (dùng --key-label hoặc --key-id)",
        "no single private key found on the token (use --key-label or --key-id)",
    ),
    "reason.token_certificates": Message(
        "có {count} chứng thư số trên token khớp với khóa; hãy chỉ rõ tệp chứng thư bằng --cert",
        "{count} certificates on the token match the key; name the certificate file with --cert",
    ),
    "reason.token_refused": Message(
        "token từ chối ký ({error})",
        "the token refused to sign ({error})",
    ),
    # --- AWS ---
    "reason.aws_no_region": Message(
        "chưa đặt vùng AWS (biến môi trường AWS_DEFAULT_REGION, ví dụ ap-southeast-1, hoặc lệnh «aws configure»)",
        "no AWS region is set (environment variable AWS_DEFAULT_REGION, for example ap-southeast-1, or "
        "'aws configure')",
    ),
    "reason.aws_no_credentials": Message(
        "chưa có thông tin đăng nhập AWS (lệnh «aws configure», hoặc biến AWS_ACCESS_KEY_ID và "
        "AWS_SECRET_ACCESS_KEY)",
        "no AWS credentials (run 'aws configure', or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
    ),
    "reason.aws_unreachable": Message(
        "không kết nối được {endpoint} (kiểm tra mạng, vùng và biến AWS_ENDPOINT_URL nếu có)",
        "cannot connect to {endpoint} (check the network, the region and AWS_ENDPOINT_URL if set)",
    ),
    "reason.aws_refused": Message(
        "AWS từ chối yêu cầu với mã {code} (kiểm tra quyền IAM, tên bảng hoặc mã khóa)",
        "AWS refused the request with code {code} (check the IAM permissions, the table name or the key id)",
    ),
    "reason.aws_other": Message(
        "lỗi khi gọi AWS ({error})",
        "an AWS call failed ({error})",
    ),
}
