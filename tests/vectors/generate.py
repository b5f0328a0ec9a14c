#!/usr/bin/env python3
"""Generate the shared zignsec test vectors (stdlib only, deterministic).

This is an *independent oracle*: every expected value below is computed here,
in Python, straight from the rules in docs/CONTRACT.md and the two ZignSec
v5 gateway documents, never by calling the Rust core. Every language's test
suite runs the JSON files this script writes; if a suite and a vector
disagree, one of them is wrong and the rule decides which.

    python3 tests/vectors/generate.py      # rewrites tests/vectors/*.json
"""

import hashlib
import hmac
import json
import os
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))


def write(name, doc):
    names = [c["name"] for key in ("cases", "requests", "responses", "sign_cases",
                                   "language_cases", "valid_cases", "option_cases",
                                   "template_cases", "flows")
             for c in doc.get(key, []) if "name" in c]
    dupes = sorted({n for n in names if names.count(n) > 1})
    assert not dupes, f"{name}: duplicate case names {dupes}"
    with open(os.path.join(HERE, name), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(doc, indent=1, ensure_ascii=False))
        f.write("\n")


# ---------------------------------------------------------------------------
# 1. SMS parts (GSM 03.38 / UCS-2)
# ---------------------------------------------------------------------------

# GSM 03.38 default alphabet, in code order 0x00..0x7F; 0x1B (ESC) is not a
# character of its own and is left out.
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞ" "ÆæßÉ"          # 0x10..0x1F without 0x1B
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
assert len(GSM_BASIC) == 127 and len(set(GSM_BASIC)) == 127
# Extension table (ESC + char): form feed, ^ { } \ [ ~ ] | €
GSM_EXT = "\f^{}\\[~]|€"
assert len(GSM_EXT) == 10


def utf16_units(ch):
    return 2 if ord(ch) > 0xFFFF else 1


def sms_parts(message):
    if all(c in GSM_BASIC or c in GSM_EXT for c in message):
        encoding, single, multi = "gsm7", 160, 153
        sizes = [1 if c in GSM_BASIC else 2 for c in message]
    else:
        encoding, single, multi = "ucs2", 70, 67
        sizes = [utf16_units(c) for c in message]
    units = sum(sizes)
    if units == 0:
        return dict(encoding=encoding, parts=0, units=0, units_per_part=single)
    if units <= single:
        return dict(encoding=encoding, parts=1, units=units, units_per_part=single)
    # Greedy packing: a group (2-septet escape pair, surrogate pair) that would
    # straddle a part boundary moves whole into the next part.
    parts, room = 1, multi
    for s in sizes:
        if s > room:
            parts += 1
            room = multi
        room -= s
    return dict(encoding=encoding, parts=parts, units=units, units_per_part=multi)


def gen_sms_parts():
    a = lambda n: "a" * n  # noqa: E731
    zh = lambda n: "ж" * n  # noqa: E731
    msgs = [
        ("empty", ""),
        ("seed_message", "ZignSec Testing"),
        ("code_message", "Your code is 12345"),
        ("single_space", " "),
        ("gsm7_159", a(159)),
        ("gsm7_160", a(160)),
        ("gsm7_161", a(161)),
    ]
    for k in (2, 3, 4):
        msgs.append((f"gsm7_153x{k}", a(153 * k)))
        msgs.append((f"gsm7_153x{k}_plus_1", a(153 * k + 1)))
    msgs += [
        ("gsm7_1530_ten_parts", a(1530)),
        ("gsm7_1531_eleven_parts", a(1531)),
        ("gsm7_digits_160", ("0123456789" * 16)),
        ("gsm7_158_plus_euro_fits_single", a(158) + "€"),
        ("gsm7_159_plus_euro_splits", a(159) + "€"),
        ("gsm7_151_euro_ends_part_exactly", a(151) + "€" + a(10)),
        ("gsm7_152_euro_moves_to_part2", a(152) + "€" + a(10)),
        ("gsm7_152_euro_152_needs_3_parts", a(152) + "€" + a(152)),
        ("gsm7_153_brace", a(153) + "{"),
        ("gsm7_153_brace_then_more", a(153) + "{" + a(10)),
        ("gsm7_305_then_euro", a(305) + "€"),
        ("gsm7_ext_only_80", "€" * 80),
        ("gsm7_ext_only_81", "{" * 81),
        ("gsm7_ext_only_153", "}" * 153),
        ("gsm7_ext_only_765_is_1530_units_11_parts", "€" * 765),
        ("gsm7_ext_only_760_ten_parts", "|" * 760),
        ("gsm7_ext_alternating_across_boundary", ("a[" * 60)),
        ("gsm7_all_basic_chars", GSM_BASIC),
        ("gsm7_all_extension_chars", GSM_EXT),
        ("gsm7_all_basic_and_extension", GSM_BASIC + GSM_EXT),
        ("gsm7_newline_cr", "Line one\nLine two\r\nLine three\r"),
        ("gsm7_greek_capitals", "ΔΦΓΛΩΠΨΣΘΞ"),
        ("gsm7_nordic", "Hej Åsa, ÄÖÜ äöü øØ æÆ ß é É"),
        ("gsm7_upper_c_cedilla", "Ç"),
        ("gsm7_currency", "£5 $5 ¥5 ¤5 €5"),
        ("gsm7_punctuation_inverted", "¡Hola! ¿Qué tal? §1"),
        ("gsm7_at_and_underscore", "user_name@example.com"),
    ]
    for i, ch in enumerate(GSM_EXT):
        names = ["form_feed", "caret", "lbrace", "rbrace", "backslash",
                 "lbracket", "tilde", "rbracket", "pipe", "euro"]
        msgs.append((f"gsm7_ext_alone_{names[i]}", ch))
    msgs += [
        ("ucs2_lower_c_cedilla", "ç"),
        ("ucs2_francais", "Français: ça va"),
        ("ucs2_tab_is_not_gsm", "code\t12345"),
        ("ucs2_backtick_is_not_gsm", "`code`"),
        ("ucs2_nbsp", "code\u00a012345"),
        ("ucs2_lower_greek", "αβγ"),
        ("ucs2_a_circumflex", "â"),
        ("ucs2_69_gsm_plus_c_cedilla", a(69) + "ç"),
        ("ucs2_70_gsm_plus_c_cedilla", a(70) + "ç"),
        ("ucs2_cyrillic_short", "Ваш код: 12345"),
        ("ucs2_70", zh(70)),
        ("ucs2_71", zh(71)),
    ]
    for k in (2, 3, 4):
        msgs.append((f"ucs2_67x{k}", zh(67 * k)))
        msgs.append((f"ucs2_67x{k}_plus_1", zh(67 * k + 1)))
    msgs += [
        ("ucs2_670_ten_parts", zh(670)),
        ("ucs2_671_eleven_parts", zh(671)),
        ("ucs2_cjk", "您的验证码是 12345。请勿告诉他人。"),
        ("ucs2_cjk_70", "码" * 70),
        ("ucs2_japanese", "認証コードは12345です"),
        ("ucs2_arabic", "رمز التحقق الخاص بك هو 12345"),
        ("ucs2_hebrew", "הקוד שלך הוא 12345"),
        ("ucs2_combining_acute", "e\u0301"),
        ("ucs2_combining_many", "Z\u0351\u0352\u0353a\u0300\u0301lgo"),
        ("ucs2_emoji_single", "😀"),
        ("ucs2_emoji_35", "😀" * 35),
        ("ucs2_emoji_36", "😀" * 36),
        ("ucs2_emoji_after_69_bmp_single", zh(68) + "😀"),
        ("ucs2_emoji_after_69_bmp_overflows", zh(69) + "😀"),
        ("ucs2_66_then_emoji_fits_single", zh(66) + "😀"),
        ("ucs2_66_emoji_then_more", zh(66) + "😀" + zh(3)),
        ("ucs2_65_emoji_ends_part_exactly", zh(65) + "😀" + zh(5)),
        ("ucs2_66_emoji_66_needs_3_parts", zh(66) + "😀" + zh(66)),
        ("ucs2_gsm_text_then_emoji_at_boundary", a(66) + "😀" + a(10)),
        ("ucs2_emoji_330_ten_parts", "😀" * 330),
        ("ucs2_emoji_331_eleven_parts", "😀" * 331),
        ("ucs2_emoji_335_is_670_units_11_parts", "😀" * 335),
        ("ucs2_zwj_family", "👨\u200d👩\u200d👧\u200d👦"),
        ("ucs2_zwj_family_x7", "👨\u200d👩\u200d👧\u200d👦" * 7),
        ("ucs2_flag_sweden", "🇸🇪"),
        ("ucs2_skin_tone", "👍🏽"),
        ("ucs2_variation_selector_heart", "❤\ufe0f"),
        ("ucs2_code_with_emoji", "Your code is 12345 😀"),
        ("ucs2_euro_plus_non_gsm", "€5 ça"),
        ("ucs2_math_bold_astral", "𝐀𝐁𝐂"),
        ("ucs2_bom", "\ufeffhello"),
    ]
    cases = []
    for name, m in msgs:
        cases.append(dict(name=name, message=m, **sms_parts(m)))
    assert len(cases) >= 60, len(cases)
    return {
        "description": (
            "sms_parts(message) -> {encoding, parts, units, units_per_part}. GSM 03.38 "
            "basic alphabet = 1 septet, extension table (\\f ^ { } \\ [ ~ ] | €) = 2 "
            "septets; any other character makes the message ucs2, counted in UTF-16 "
            "units. One part up to 160 septets / 70 units (units_per_part 160/70), "
            "else parts of 153 / 67 packed greedily, never splitting an escape pair or "
            "a surrogate pair (units_per_part 153/67). Empty: gsm7, 0 parts, 0 units, 160."
        ),
        "cases": cases,
    }


# ---------------------------------------------------------------------------
# 2. Webhooks
# ---------------------------------------------------------------------------

SECRET = "whsec_zignsec_test_7f3a9c"
T0 = 1_700_000_000
TOL = 300
SMS_ID = "26f5cc23-dbbb-45bb-a210-2818e70637bd"
PHONE_ID = "b653e2c9-0138-434e-99c9-c9333cfb1129"
INTEGRATION_ID = "0c6f2b8e-5d41-4a7e-9f13-8b2d7c4e1a60"


def sig(body, secret=SECRET, t=T0):
    mac = hmac.new(secret.encode("utf-8"), f"{t}.".encode("utf-8") + body.encode("utf-8"),
                   hashlib.sha256)
    return mac.hexdigest()


def header(body, secret=SECRET, t=T0):
    return f"t={t},v1={sig(body, secret, t)}"


def oracle_event(body):
    """parse_webhook per the contract, or None when it is a decode error."""
    try:
        raw = json.loads(body)
    except ValueError:
        return None
    if not isinstance(raw, dict):
        return None

    def s(v):
        return v if isinstance(v, str) else None

    result = raw.get("result") if isinstance(raw.get("result"), dict) else {}
    ident = s(raw.get("id"))
    if ident is None:
        ident = s(raw.get("session_id"))
    status = s(raw.get("status"))
    if status is None:
        status = s(result.get("status"))
    if ident is None or status is None:
        return None
    nparts = raw.get("number_of_message_parts", result.get("number_of_message_parts"))
    if not (isinstance(nparts, int) and not isinstance(nparts, bool)):
        nparts = None
    return {
        "event": s(raw.get("event")) if s(raw.get("event")) is not None else "",
        "id": ident,
        "integration_id": s(raw.get("integration_id")),
        "relay_state": s(raw.get("relay_state")),
        "status": status,
        "number_of_message_parts": nparts,
    }


def compact(obj):
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def gen_webhooks():
    sms_body = compact({
        "event": "status_changed", "id": SMS_ID, "integration_id": INTEGRATION_ID,
        "relay_state": "my-internal-user-id", "status": "delivered",
        "number_of_message_parts": 1,
    })
    phone_body = compact({
        "event": "status_changed", "session_id": PHONE_ID, "integration_id": INTEGRATION_ID,
        "relay_state": "Tulasi_V5_SMS", "result": {"status": "finished"},
    })
    sms_result_body = compact({
        "event": "status_changed", "id": SMS_ID,
        "result": {"status": "failed", "number_of_message_parts": 2},
    })
    minimal_body = '{"id":"' + SMS_ID + '","status":"pending"}'
    pretty_body = json.dumps({"event": "status_changed", "id": PHONE_ID,
                              "status": "cancelled"}, indent=2) + "\n"
    unicode_body = compact({
        "event": "status_changed", "id": SMS_ID, "relay_state": "användare-ø-😀-用户",
        "status": "dispatched",
    })
    escaped_unicode_body = json.dumps({"event": "status_changed", "id": SMS_ID,
                                       "relay_state": "användare 😀", "status": "pending"},
                                      ensure_ascii=True)
    unknown_status_body = compact({"event": "status_changed", "id": SMS_ID,
                                   "status": "queued", "extra": {"nested": [1, 2, 3]}})
    other_sig = "0" * 64
    good = sig(sms_body)

    cases = []

    def add(name, body, hdr, now=T0, tol=TOL, expect=None):
        if expect is None:
            expect = "ok" if oracle_event(body) else "decode"
        c = dict(name=name, body=body, header=hdr, now=now, tolerance_s=tol, expect=expect)
        if expect == "ok":
            ev = oracle_event(body)
            assert ev is not None
            c["event"] = ev
        cases.append(c)

    add("valid_sms_event", sms_body, header(sms_body))
    # The two shapes real v5 gateways send: flat SMS events, and the generic shape
    # with the status under `result` (event names vary in case; kept as sent).
    v5_sms_body = compact({
        "event": "session_finished", "id": SMS_ID, "integration_id": "Zignsec.v5.SMS",
        "number_of_message_parts": 1, "relay_state": "my-internal-user-id",
        "status": "delivered", "workflow_session_id": SMS_ID,
    })
    v5_generic_body = compact({
        "event": "Session_Updated", "id": PHONE_ID, "integration_id": "Zignsec.v5.Phone",
        "relay_state": None,
        "result": {"status": "failed", "errors": [{"code": "E_TOO_MANY_ATTEMPTS",
                                                    "description": "three wrong codes"}]},
        "workflow_session_id": PHONE_ID,
    })
    v5_email_created = compact({
        "event": "SESSION_CREATED", "id": PHONE_ID, "integration_id": "Zignsec.v5.Email",
        "relay_state": "signup-42", "status": "pending", "workflow_session_id": PHONE_ID,
    })
    add("v5_flat_sms_session_finished", v5_sms_body, header(v5_sms_body))
    add("v5_generic_result_status_and_errors", v5_generic_body, header(v5_generic_body))
    add("v5_email_event_name_in_upper_case", v5_email_created, header(v5_email_created))
    add("valid_phone_event_session_id_and_result_status", phone_body, header(phone_body))
    add("valid_status_in_result_with_parts", sms_result_body, header(sms_result_body))
    add("valid_minimal_body", minimal_body, header(minimal_body))
    add("valid_pretty_printed_body_with_trailing_newline", pretty_body, header(pretty_body))
    add("valid_unicode_body", unicode_body, header(unicode_body))
    add("valid_ascii_escaped_unicode_body", escaped_unicode_body, header(escaped_unicode_body))
    add("valid_unknown_status_kept_verbatim", unknown_status_body, header(unknown_status_body))
    add("valid_now_after_t", sms_body, header(sms_body), now=T0 + 120)
    add("valid_now_before_t", sms_body, header(sms_body), now=T0 - 120)
    add("valid_two_v1_matching_first", sms_body, f"t={T0},v1={good},v1={other_sig}")
    add("valid_two_v1_matching_second", sms_body, f"t={T0},v1={other_sig},v1={good}")
    add("valid_three_v1_matching_last", sms_body,
        f"t={T0},v1={other_sig},v1={'1' * 64},v1={good}")
    add("valid_with_extra_v0", sms_body, f"t={T0},v0={other_sig},v1={good}")
    add("valid_with_unknown_v2_and_key", sms_body, f"t={T0},v1={good},v2=zzz,foo=bar")
    add("valid_v1_before_t", sms_body, f"v1={good},t={T0}")
    add("valid_spaces_around_items", sms_body, f"  t={T0} ,  v1={good}  ")
    add("valid_uppercase_hex", sms_body, f"t={T0},v1={good.upper()}")
    add("valid_non_hex_v1_beside_good_one", sms_body, f"t={T0},v1=not-hex!,v1={good}")
    add("valid_exactly_at_tolerance_past", sms_body, header(sms_body), now=T0 + TOL)
    add("valid_exactly_at_tolerance_future", sms_body, header(sms_body), now=T0 - TOL)
    add("valid_zero_tolerance_same_second", sms_body, header(sms_body), tol=0)
    add("valid_large_tolerance", sms_body, header(sms_body), now=T0 + 86_400, tol=86_400)

    W = "webhook_signature"
    add("wrong_secret", sms_body, header(sms_body, secret="whsec_other"), expect=W)
    add("secret_case_differs", sms_body, header(sms_body, secret=SECRET.upper()), expect=W)
    altered = sms_body.replace('"delivered"', '"delivereD"')
    assert len(altered) == len(sms_body)
    add("body_altered_one_byte", altered, header(sms_body), expect=W)
    add("body_extra_trailing_newline", sms_body + "\n", header(sms_body), expect=W)
    add("body_whitespace_reformatted", json.dumps(json.loads(sms_body)), header(sms_body),
        expect=W)
    add("signed_with_other_timestamp", sms_body,
        f"t={T0},v1={sig(sms_body, t=T0 + 1)}", expect=W)
    add("stale_tolerance_plus_1", sms_body, header(sms_body), now=T0 + TOL + 1, expect=W)
    add("future_tolerance_plus_1", sms_body, header(sms_body), now=T0 - TOL - 1, expect=W)
    add("stale_one_day", sms_body, header(sms_body), now=T0 + 86_400, expect=W)
    add("zero_tolerance_one_second_late", sms_body, header(sms_body), now=T0 + 1, tol=0,
        expect=W)
    add("stale_and_body_not_json", "not json", header("not json"), now=T0 + TOL + 1,
        expect=W)
    add("missing_header_empty", sms_body, "", expect=W)
    add("header_only_spaces", sms_body, "   ", expect=W)
    add("garbage_header", sms_body, "garbage", expect=W)
    add("t_not_integer", sms_body, f"t=abc,v1={good}", expect=W)
    add("t_float", sms_body, f"t={T0}.0,v1={good}", expect=W)
    add("t_empty", sms_body, f"t=,v1={good}", expect=W)
    add("no_t", sms_body, f"v1={good}", expect=W)
    add("no_v1", sms_body, f"t={T0}", expect=W)
    add("no_v1_only_v0", sms_body, f"t={T0},v0={good}", expect=W)
    add("two_t_same_value", sms_body, f"t={T0},t={T0},v1={good}", expect=W)
    add("two_t_different", sms_body, f"t={T0},v1={good},t={T0 + 1}", expect=W)
    add("item_without_equals", sms_body, f"t={T0},v1={good},junk", expect=W)
    # Empty items (a trailing or doubled comma) are skipped, as Stripe-style parsers do.
    add("trailing_comma", sms_body, f"t={T0},v1={good},")
    add("doubled_comma", sms_body, f"t={T0},,v1={good}")
    # `t` is the signed text itself: only its canonical form (no sign, no leading
    # zero) is accepted, so the integer and the text signed are the same thing.
    add("t_with_plus_sign", sms_body, f"t=+{T0},v1={good}", expect=W)
    add("t_with_leading_zero", sms_body, f"t=0{T0},v1={good}", expect=W)
    add("semicolon_separated", sms_body, f"t={T0};v1={good}", expect=W)
    add("non_hex_v1_only", sms_body, f"t={T0},v1=zz{good[2:]}", expect=W)
    add("odd_length_hex_v1_only", sms_body, f"t={T0},v1={good[:-1]}", expect=W)
    add("empty_v1_only", sms_body, f"t={T0},v1=", expect=W)
    add("truncated_v1", sms_body, f"t={T0},v1={good[:32]}", expect=W)
    add("v1_with_sha256_prefix", sms_body, f"t={T0},v1=sha256={good}", expect=W)
    add("bare_hex_without_keys", sms_body, good, expect=W)
    add("key_case_differs", sms_body, f"T={T0},V1={good}", expect=W)
    add("wrong_signature_unicode_body", unicode_body, header(sms_body), expect=W)

    D = "decode"
    for name, body in [
        ("signed_body_not_json", "hello, not json"),
        ("signed_body_empty", ""),
        ("signed_body_json_array", '[{"id":"x","status":"delivered"}]'),
        ("signed_body_json_string", '"delivered"'),
        ("signed_body_json_null", "null"),
        ("signed_body_no_status", compact({"event": "status_changed", "id": SMS_ID})),
        ("signed_body_no_id", compact({"event": "status_changed", "status": "delivered"})),
        ("signed_body_result_without_status",
         compact({"event": "status_changed", "id": SMS_ID, "result": {"code": "x"}})),
        ("signed_body_truncated_json", sms_body[:-1]),
        ("signed_body_unicode_not_json", "åäö 😀 not json"),
    ]:
        assert oracle_event(body) is None
        add(name, body, header(body), expect=D)

    sign_cases = []
    for i, (body, secret, ts) in enumerate([
        (sms_body, SECRET, T0),
        (phone_body, SECRET, T0 + 1),
        ("", SECRET, T0),
        (unicode_body, SECRET, 1),
        (minimal_body, "s", 0),
        (sms_body, "hemlighet-ö-🔑", 2_000_000_000),
        (pretty_body, "x" * 100, 1_234_567_890),
        ("not json at all", SECRET, 9_999_999_999),
    ]):
        sign_cases.append(dict(name=f"sign_{i}", body=body, secret=secret, timestamp=ts,
                               header=header(body, secret, ts)))
    return {
        "description": (
            "verify_webhook(body, header, secret, tolerance) at a fixed clock `now` (unix "
            "s). Header `t=<ts>,v1=<hex HMAC-SHA256(secret, \"<ts>.<body>\")>`: items split "
            "on ',', each trimmed key=value; exactly one integer t; any v1 may match; "
            "other keys ignored. Signature is checked before the timestamp "
            "(|now - t| <= tolerance_s passes); the body is parsed last. expect: ok "
            "(compare `event`), webhook_signature, or decode. Bodies are UTF-8 strings, "
            "signed and verified as their UTF-8 bytes. sign_cases: sign_webhook(body, "
            "secret, timestamp) must return `header` exactly."
        ),
        "secret": SECRET,
        "cases": cases,
        "sign_cases": sign_cases,
    }


# ---------------------------------------------------------------------------
# 3. Gateway error bodies
# ---------------------------------------------------------------------------

def kind_for_status(status):
    return {400: "bad_request", 401: "authentication", 403: "permission_denied",
            404: "not_found", 429: "rate_limited"}.get(
        status, "server" if 500 <= status <= 599 else "http_status")


def oracle_gateway_error(body):
    try:
        obj = json.loads(body)
    except ValueError:
        obj = None
    if isinstance(obj, dict):
        errs = obj.get("errors")
        if isinstance(errs, list) and errs:
            first = errs[0] if isinstance(errs[0], dict) else {}
            code = first.get("code")
            descs = [e["description"] for e in errs
                     if isinstance(e, dict) and isinstance(e.get("description"), str)]
            if isinstance(code, str) or descs:
                return (code if isinstance(code, str) else None,
                        "; ".join(descs) if descs else None)
        err = obj.get("error")
        if isinstance(err, dict) and (isinstance(err.get("type"), str)
                                      or isinstance(err.get("message"), str)):
            return (err.get("type"), err.get("message"))
        if isinstance(err, str):
            return (None, err)
        if isinstance(obj.get("message"), str):
            return (None, obj["message"])
    text = body.strip(" \t\r\n")
    if not text:
        return (None, None)
    return (None, text if len(text) <= 200 else text[:200] + "…")


def gen_gateway_errors():
    long_html = (
        "<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n"
        "<center><h1>502 Bad Gateway</h1></center>\n"
        + "<!-- a padding to disable MSIE and Chrome friendly error page -->\n" * 6
        + "<hr><center>nginx</center>\n</body>\n</html>\n"
    )
    assert len(long_html.strip()) > 200
    raw = [
        ("errors_single_400", 400,
         compact({"errors": [{"code": "invalid_phone_number",
                              "description": "metadata.to must be in international format"}]})),
        ("errors_three_joined_400", 400,
         compact({"errors": [
             {"code": "invalid_to", "description": "metadata.to is invalid"},
             {"code": "invalid_from", "description": "metadata.from is required"},
             {"code": "invalid_message", "description": "metadata.message is empty"}]})),
        ("errors_two_joined_404", 404,
         compact({"errors": [{"code": "not_found", "description": "Session not found"},
                             {"code": "not_found", "description": "Check the session id"}]})),
        ("errors_second_without_description", 400,
         compact({"errors": [{"code": "A1", "description": "first"}, {"code": "B2"}]})),
        ("errors_code_only", 400, compact({"errors": [{"code": "validation_failed"}]})),
        ("errors_description_only", 400,
         compact({"errors": [{"description": "max_message_parts must be <= 10"}]})),
        ("errors_with_extra_fields", 400,
         compact({"errors": [{"code": "E100", "description": "Bad webhook", "field":
                              "webhook", "trace": "abc"}], "request_id": "req_1"})),
        ("errors_unicode_description", 400,
         compact({"errors": [{"code": "ogiltig", "description": "Ogiltigt nummer: å ä ö 😀"}]})),
        ("errors_empty_list_falls_back_to_raw", 400, '{"errors":[]}'),
        ("errors_pretty_printed_409", 409,
         json.dumps({"errors": [{"code": "conflict", "description": "Session already exists"}]},
                    indent=2)),
        ("error_object_401", 401,
         compact({"error": {"type": "unauthorized", "message": "Invalid API key"}})),
        ("error_object_403", 403,
         compact({"error": {"type": "forbidden", "message": "Product not enabled"}})),
        ("error_object_429", 429,
         compact({"error": {"type": "rate_limit_exceeded",
                            "message": "Too many requests, retry later"}})),
        ("error_object_500", 500,
         compact({"error": {"type": "internal_error", "message": "Something went wrong"}})),
        ("error_object_type_only", 400, compact({"error": {"type": "invalid_request"}})),
        ("error_object_message_only", 400, compact({"error": {"message": "Bad JSON"}})),
        ("error_object_extra_fields", 418,
         compact({"error": {"type": "teapot", "message": "I'm a teapot", "status": 418}})),
        ("error_string_401", 401, '{"error":"Unauthorized"}'),
        ("message_only_503", 503, '{"message":"Service Unavailable"}'),
        ("message_only_aws_style_504", 504, '{"message": "Endpoint request timed out"}'),
        ("json_with_surrounding_whitespace", 400,
         '  \n{"error":{"type":"bad","message":"padded"}}\n  '),
        ("html_502_long_cut_at_200", 502, long_html),
        ("html_503_short", 503,
         "<html><body><h1>503 Service Unavailable</h1></body></html>"),
        ("plain_text_500", 500, "Internal Server Error"),
        ("plain_text_padded_429", 429, "\n  Too Many Requests  \n"),
        ("empty_body_500", 500, ""),
        ("whitespace_body_502", 502, " \n\t \r\n"),
        ("empty_body_404", 404, ""),
        ("unknown_json_shape_400", 400, '{"detail":"Not valid"}'),
        ("unknown_json_shape_padded_409", 409, '  {"status":409,"title":"Conflict"}  '),
        ("json_array_400", 400, '[{"code":"x","description":"y"}]'),
        ("json_string_400", 400, '"just a string"'),
        ("json_number_500", 500, "42"),
        ("json_null_500", 500, "null"),
        ("truncated_json_400", 400, '{"errors":[{"code":"x","descr'),
        ("text_exactly_200_chars", 500, "x" * 200),
        ("text_201_chars_cut", 500, "y" * 201),
        ("text_non_ascii_250_chars_cut", 500, "ö" * 250),
        ("status_408_plain", 408, "Request Timeout"),
        ("status_422_errors", 422,
         compact({"errors": [{"code": "unprocessable", "description": "Cannot process"}]})),
        ("status_501_plain", 501, "Not Implemented"),
        ("status_599_plain", 599, "network connect timeout"),
        ("status_302_plain", 302, "Found"),
    ]
    cases = []
    for name, status, body in raw:
        code, desc = oracle_gateway_error(body)
        cases.append(dict(name=name, status=status, body=body, kind=kind_for_status(status),
                          code=code, description=desc))
    statuses = {c["status"] for c in cases}
    for s in (400, 401, 403, 404, 409, 418, 429, 500, 502, 503, 504):
        assert s in statuses, s
    return {
        "description": (
            "Error bodies from the gateway. `kind` is ErrorKind::from_status(status) as its "
            "snake_case name; `code`/`description` are parse_gateway_error(body): "
            "{\"errors\":[{code,description}..]} -> first code, all descriptions joined "
            "with \"; \"; {\"error\":{type,message}} -> type, message; {\"error\":\"text\"} "
            "and {\"message\":\"text\"} -> description; anything else -> code null, the "
            "trimmed raw text cut to 200 characters (code points) plus \"…\" when cut, or "
            "null when empty."
        ),
        "cases": cases,
    }


# ---------------------------------------------------------------------------
# 4. Seeds: requests on the wire, responses parsed
# ---------------------------------------------------------------------------

# Finality is judged case-insensitively (`Finished` is final); the text is kept as sent.
SMS_FINAL = {"delivered", "failed"}
PHONE_FINAL = {"finished", "accepted", "failed", "cancelled"}


URL_FIELDS = ("webhook", "redirect_success", "redirect_failure")


def sent_url(url):
    """A callback URL as the SDK sends it: the form its URL parser normalized (for
    these vectors that means only an empty path becoming `/`)."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path or "/"))


def wire_send_sms(args):
    body = {"metadata": {"from": args["from"], "to": args["to"], "message": args["message"],
                         "max_message_parts": args.get("max_message_parts", 1)}}
    for k in ("relay_state", "webhook"):
        if args.get(k) is not None:
            body[k] = sent_url(args[k]) if k in URL_FIELDS else args[k]
    return body


def wire_start_phone(args):
    body = {}
    if args.get("locale") is not None:
        body["locale"] = args["locale"]
    body["metadata"] = {"phone_number": args["phone_number"]}
    for k in ("redirect_failure", "redirect_success", "relay_state", "webhook"):
        if args.get(k) is not None:
            body[k] = sent_url(args[k]) if k in URL_FIELDS else args[k]
    return body


def expect_for(op, data):
    if op == "send_sms":
        return {"id": data["id"], "status": data["status"],
                "is_final": data["status"].lower() in SMS_FINAL}
    if op == "start_phone_verification":
        return {"id": data["id"], "redirect_url": data["redirect_url"],
                "status": data["status"], "is_final": data["status"].lower() in PHONE_FINAL}
    rd = data.get("request_data", {})
    md = rd.get("metadata", {})
    if op == "get_sms_session":
        return {"id": data["id"], "status": data["status"],
                "number_of_message_parts": data.get("number_of_message_parts"),
                "request": {"from": md["from"], "to": md["to"], "message": md["message"],
                            "max_message_parts": md["max_message_parts"],
                            "relay_state": rd.get("relay_state"),
                            "webhook": rd.get("webhook")},
                "is_final": data["status"].lower() in SMS_FINAL}
    assert op == "get_phone_session"
    return {"id": data["id"], "status": data["status"], "phone_number": data["phone_number"],
            "request": {"phone_number": md["phone_number"], "locale": rd.get("locale"),
                        "redirect_success": rd.get("redirect_success"),
                        "redirect_failure": rd.get("redirect_failure"),
                        "relay_state": rd.get("relay_state"), "webhook": rd.get("webhook")},
            "is_final": data["status"].lower() in PHONE_FINAL}


def gen_seeds():
    seed_sms_args = {"to": "+46701234567", "from": "+123456789", "message": "ZignSec Testing",
                     "max_message_parts": 1, "relay_state": "my-internal-user-id",
                     "webhook": "https://webhook.site/"}
    seed_phone_args = {"phone_number": "+46703339954", "locale": "En",
                       "redirect_success": "https://my_success_url.com",
                       "redirect_failure": "https://my_failure_url.com",
                       "relay_state": "Tulasi_V5_SMS", "webhook": "https://webhook.site/zignsec"}
    csrf = "XAoXAwglHykhAEkcUGp0T0A_BAgnUgMvoSUgkouQSjzof3Y87HcYu8lb"
    requests = []

    def req(name, op, args, csrf_token=None, wire=None):
        r = {"name": name, "op": op, "args": args}
        if csrf_token is not None:
            r["csrf_token"] = csrf_token
        r["wire_body"] = wire if wire is not None else (
            wire_send_sms(args) if op == "send_sms" else wire_start_phone(args))
        requests.append(r)

    # The seed's example body, verbatim.
    seed_sms_wire = json.loads("""{ "metadata": { "from": "+123456789", "max_message_parts": 1,
        "message": "ZignSec Testing", "to": "+46701234567" }, "relay_state":
        "my-internal-user-id", "webhook": "https://webhook.site/" }""")
    assert wire_send_sms(seed_sms_args) == seed_sms_wire
    req("seed_send_sms", "send_sms", seed_sms_args, wire=seed_sms_wire)
    req("send_sms_minimal_default_max_parts", "send_sms",
        {"to": "+46701234567", "from": "ZignSec", "message": "Your code is 12345"})
    req("send_sms_explicit_max_parts_3", "send_sms",
        {"to": "+46701234567", "from": "ZignSec", "message": "a" * 400, "max_message_parts": 3})
    req("send_sms_relay_state_only", "send_sms",
        {"to": "+46701234567", "from": "ZignSec", "message": "Hej!", "relay_state": "r-1"})
    req("send_sms_webhook_only", "send_sms",
        {"to": "+46701234567", "from": "ZignSec", "message": "Hej!",
         "webhook": "https://example.com/hooks/zignsec?x=1"})
    req("send_sms_unicode_message", "send_sms",
        {"to": "+46701234567", "from": "ZignSec", "message": "Din kod: 12345 😀 ça",
         "max_message_parts": 1})
    seed_phone_wire = json.loads(
        '{ "locale": "En", "metadata": { "phone_number": "+46703339954" }, "redirect_failure": '
        '"https://my_failure_url.com", "redirect_success": "https://my_success_url.com", '
        '"relay_state": "Tulasi_V5_SMS", "webhook": "https://webhook.site/zignsec" }')
    # On the wire the seed's redirects carry the `/` of an empty path: what was
    # checked (the parsed URL) is what is sent.
    for k in URL_FIELDS:
        seed_phone_wire[k] = sent_url(seed_phone_wire[k])
    assert wire_start_phone(seed_phone_args) == seed_phone_wire
    req("seed_start_phone_verification", "start_phone_verification",
        dict(seed_phone_args, csrf_token=csrf), csrf_token=csrf, wire=seed_phone_wire)
    req("start_phone_verification_minimal", "start_phone_verification",
        {"phone_number": "+46703339954"})
    req("start_phone_verification_redirects_only", "start_phone_verification",
        {"phone_number": "+46703339954", "redirect_success": "https://example.com/ok",
         "redirect_failure": "https://example.com/fail"})
    req("start_phone_verification_loopback_webhook", "start_phone_verification",
        {"phone_number": "+46703339954", "locale": "sv-SE",
         "webhook": "http://127.0.0.1:8080/hook"})

    responses = []

    def resp(name, op, body):
        responses.append({"name": name, "op": op, "body": body,
                          "expect": expect_for(op, body["data"])})

    resp("seed_send_sms_response", "send_sms",
         {"data": {"id": "26f5cc23-dbbb-45bb-a210-2818e70637bd", "status": "pending"}})
    resp("seed_get_sms_session_response", "get_sms_session", json.loads("""{ "data": {
        "request_data": { "metadata": { "from": "+123456789", "max_message_parts": 1,
        "message": "ZignSec Testing", "to": "+46701234567" }, "relay_state": "Tulasi_V5_SMS",
        "webhook": "https://webhook.site/zignsec" }, "id": "26f5cc23-dbbb-45bb-a210-2818e70637bd",
        "number_of_message_parts": 1, "status": "delivered" } }"""))
    resp("seed_start_phone_response", "start_phone_verification", json.loads("""{ "data": {
        "id": "b653e2c9-0138-434e-99c9-c9333cfb1129",
        "redirect_url": "https://test-gateway.zignsec.com/2fa-ui/2fa/phone/b653e2c9-0138-434e-99c9-c9333cfb1129",
        "status": "pending" } }"""))
    resp("seed_get_phone_session_response", "get_phone_session", json.loads("""{ "data": {
        "request_data": { "locale": "En", "metadata": { "phone_number": "+46703339954" },
        "redirect_failure": "https://my_failure_url.com",
        "redirect_success": "https://my_success_url.com", "relay_state": "Tulasi_V5_SMS",
        "webhook": "https://webhook.site/zignsec" }, "id": "55c20771-9d75-4241-8e0f-94d3a37671ca",
        "phone_number": "+46703339954", "status": "accepted" } }"""))

    sms_rd = {"metadata": {"from": "ZignSec", "max_message_parts": 2,
                           "message": "Your code is 12345", "to": "+46701234567"}}
    for st in ("pending", "dispatched", "delivered", "failed", "queued", "expired",
               "cancelled", "DELIVERED"):
        resp(f"get_sms_status_{st}", "get_sms_session",
             {"data": {"id": SMS_ID, "status": st, "request_data": sms_rd}})
    resp("get_sms_no_optionals", "get_sms_session",
         {"data": {"id": SMS_ID, "status": "pending", "request_data": sms_rd}})
    resp("get_sms_extra_unknown_fields", "get_sms_session", {
        "data": {"id": SMS_ID, "status": "dispatched", "number_of_message_parts": 2,
                 "created_at": "2024-05-01T12:00:00Z", "integration_id": INTEGRATION_ID,
                 "cost": {"amount": 0.05, "currency": "EUR"}, "tags": ["a", "b"],
                 "request_data": {**sms_rd, "relay_state": "ref-42",
                                  "webhook": "https://example.com/h", "unknown": True,
                                  "metadata": {**sms_rd["metadata"], "priority": "high"}}},
        "meta": {"version": 5}})
    resp("get_sms_unicode_message", "get_sms_session", {
        "data": {"id": SMS_ID, "status": "delivered", "number_of_message_parts": 1,
                 "request_data": {"metadata": {"from": "+123456789", "max_message_parts": 1,
                                               "message": "Kod: 12345 😀", "to": "+46701234567"},
                                  "relay_state": "användare"}}})
    phone_rd = {"metadata": {"phone_number": "+46703339954"}}
    for st in ("created", "pending", "finished", "accepted", "failed", "cancelled", "queued",
               "expired", "delivered"):
        resp(f"get_phone_status_{st}", "get_phone_session",
             {"data": {"id": PHONE_ID, "status": st, "phone_number": "+46703339954",
                       "request_data": phone_rd}})
    resp("get_phone_extra_unknown_fields", "get_phone_session", {
        "data": {"id": PHONE_ID, "status": "finished", "phone_number": "+46703339954",
                 "result": {"verified_at": "2024-05-01T12:00:00Z"}, "attempts": 2,
                 "request_data": {**phone_rd, "locale": "sv", "relay_state": "x",
                                  "redirect_success": "https://example.com/ok",
                                  "something_new": {"a": 1}}}})
    for st in ("pending", "dispatched", "delivered", "failed", "queued", "expired"):
        resp(f"send_sms_status_{st}", "send_sms", {"data": {"id": SMS_ID, "status": st}})
    resp("send_sms_extra_unknown_fields", "send_sms",
         {"data": {"id": SMS_ID, "status": "pending", "created_at": "2024-05-01T12:00:00Z",
                   "links": {"self": "/core/api/sessions/" + SMS_ID}}, "request_id": "r1"})
    for st in ("created", "pending", "accepted", "queued", "expired"):
        resp(f"start_phone_status_{st}", "start_phone_verification",
             {"data": {"id": PHONE_ID, "status": st,
                       "redirect_url": "https://test-gateway.zignsec.com/2fa-ui/2fa/phone/"
                       + PHONE_ID}})
    resp("start_phone_extra_unknown_fields", "start_phone_verification",
         {"data": {"id": PHONE_ID, "status": "created", "expires_in": 300,
                   "redirect_url": "http://127.0.0.1:4010/2fa-ui/2fa/phone/" + PHONE_ID}})
    return {
        "description": (
            "From the ZignSec v5 seed documents. requests: the SDK call `op(args)` (snake_case "
            "names, the sender spelled `from`; csrf_token, when present, also goes in the "
            "x-csrf-token header) must POST exactly `wire_body` (absent optionals omitted; "
            "max_message_parts defaults to 1); every request's args are valid. responses: "
            "the 2xx `body` of `op` must parse to `expect` (null for absent fields; unknown "
            "statuses kept verbatim and not final; unknown fields ignored). Final statuses: "
            "SMS delivered/failed; phone finished/accepted/failed/cancelled."
        ),
        "requests": requests,
        "responses": responses,
    }


# ---------------------------------------------------------------------------
# 5. Bad inputs
# ---------------------------------------------------------------------------

UUID = "26f5cc23-dbbb-45bb-a210-2818e70637bd"
DEFAULTS = {
    "send_sms": {"to": "+46701234567", "from": "ZignSec", "message": "Your code is 12345"},
    "start_phone_verification": {"phone_number": "+46701234567"},
    "start_email_verification": {"email_address": "jane@example.com", "locale": "En",
                                 "redirect_success": "https://example.com/ok",
                                 "redirect_failure": "https://example.com/fail"},
    "get_sms_session": {"session_id": UUID},
    "get_email_session": {"session_id": UUID},
    "wait_email_session": {"session_id": UUID},
    "get_phone_session": {"session_id": UUID},
    "wait_sms_session": {"session_id": UUID},
    "wait_phone_session": {"session_id": UUID},
}
HUGE = {"$repeat": ["a", 10_000_000]}


def gen_bad_inputs():
    cases = []

    def bad(op, field, label, value, **extra):
        args = dict(DEFAULTS[op])
        args.update(extra)
        args[field] = value
        cases.append({"name": f"{op}.{field}.{label}", "op": op, "args": args,
                      "kind": "validation", "field": field})

    phones = [
        ("no_plus", "46701234567"),
        ("leading_zero", "+046701234567"),
        ("double_zero_prefix", "0046701234567"),
        ("six_digits", "+123456"),
        ("sixteen_digits", "+1234567890123456"),
        ("letters", "+4670123456a"),
        ("all_letters", "+abcdefghij"),
        ("spaces", "+46 70 123 45 67"),
        ("dashes", "+46-70-123-45-67"),
        ("parentheses", "+46(70)1234567"),
        ("dots", "+46.70.1234567"),
        ("plus_only", "+"),
        ("empty", ""),
        ("double_plus", "++46701234567"),
        ("plus_in_middle", "46+701234567"),
        ("leading_space", " +46701234567"),
        ("trailing_space", "+46701234567 "),
        ("trailing_newline", "+46701234567\n"),
        ("nul", "+46701234567\u0000"),
        ("control_char", "+4670\u00011234567"),
        ("arabic_indic_digits", "+٤٦٧٠١٢٣٤٥٦٧"),
        ("fullwidth_digits", "+４６７０１２３４５６７"),
        ("devanagari_digits", "+४६७०१२३४५६७"),
        ("fullwidth_plus", "＋46701234567"),
        ("tel_uri", "tel:+46701234567"),
        ("extension_suffix", "+46701234567;ext=1"),
        ("huge", {"$repeat": ["1", 10_000_000]}),
        ("huge_letters", HUGE),
    ]
    for label, v in phones:
        bad("send_sms", "to", label, v)
        bad("start_phone_verification", "phone_number", label, v)

    senders = [
        ("empty", ""),
        ("twelve_chars", "ZignSecLong1"),
        ("space", "Zign Sec"),
        ("dash", "Zign-Sec"),
        ("underscore", "Zign_Sec"),
        ("dot", "Zign.Sec"),
        ("non_ascii_letter", "Zignsëc"),
        ("fullwidth_letters", "ＺｉｇｎＳｅｃ"),
        ("arabic_digits", "١٢٣٤٥"),
        ("emoji", "Zign😀"),
        ("nul", "Zign\u0000Sec"),
        ("newline", "ZignSec\n"),
        ("tab", "Zign\tSec"),
        ("plus_only", "+"),
        ("short_e164", "+123456"),
        ("long_e164", "+1234567890123456"),
        ("e164_leading_zero", "+0123456789"),
        ("e164_with_letters", "+12345abc89"),
        ("huge", HUGE),
    ]
    for label, v in senders:
        bad("send_sms", "from", label, v)

    messages = [
        ("empty", "", {}),
        ("nul_only", "\u0000", {}),
        ("nul_inside", "Your code\u0000 is 12345", {}),
        ("nul_at_end", "Your code is 12345\u0000", {}),
        ("huge", HUGE, {"max_message_parts": 10}),
        ("over_64_kib", {"$repeat": ["a", 65_537]}, {"max_message_parts": 10}),
        ("gsm7_161_max_1", "a" * 161, {"max_message_parts": 1}),
        ("gsm7_161_default_max", "a" * 161, {}),
        ("gsm7_159_plus_euro_max_1", "a" * 159 + "€", {"max_message_parts": 1}),
        ("gsm7_307_max_2", "a" * 307, {"max_message_parts": 2}),
        ("gsm7_152_euro_152_max_2", "a" * 152 + "€" + "a" * 152, {"max_message_parts": 2}),
        ("gsm7_1531_max_10", "a" * 1531, {"max_message_parts": 10}),
        ("gsm7_euro_765_max_10", "€" * 765, {"max_message_parts": 10}),
        ("ucs2_71_max_1", "ж" * 71, {"max_message_parts": 1}),
        ("ucs2_70_gsm_plus_cedilla_max_1", "a" * 70 + "ç", {"max_message_parts": 1}),
        ("ucs2_emoji_36_max_1", "😀" * 36, {"max_message_parts": 1}),
        ("ucs2_66_emoji_66_max_2", "ж" * 66 + "😀" + "ж" * 66, {"max_message_parts": 2}),
        ("ucs2_671_max_10", "ж" * 671, {"max_message_parts": 10}),
        ("ucs2_emoji_335_is_670_units_max_10", "😀" * 335, {"max_message_parts": 10}),
    ]
    for label, v, extra in messages:
        bad("send_sms", "message", label, v, **extra)

    for label, v in [("zero", 0), ("minus_one", -1), ("eleven", 11), ("hundred", 100),
                     ("i64_max", 9223372036854775807), ("i64_max_plus_1", 9223372036854775808),
                     ("i64_min", -9223372036854775808), ("u64_max", 18446744073709551615),
                     ("one_and_a_half", 1.5), ("half", 0.5), ("minus_half", -0.5),
                     ("ten_point_five", 10.5), ("huge_float", 1e300)]:
        bad("send_sms", "max_message_parts", label, v)

    urls = [
        ("empty", ""),
        ("huge", {"$repeat": ["https://a.example/", 600_000]}),
        ("over_2048_bytes", "https://example.com/" + "a" * 2029),
        ("javascript", "javascript:alert(1)"),
        ("data", "data:text/html,<script>alert(1)</script>"),
        ("ftp", "ftp://example.com/hook"),
        ("file", "file:///etc/passwd"),
        ("wss", "wss://example.com/hook"),
        ("mailto", "mailto:ops@example.com"),
        ("relative_path", "/hooks/zignsec"),
        ("relative_no_slash", "hooks/zignsec"),
        ("host_without_scheme", "example.com/hook"),
        ("scheme_relative", "//example.com/hook"),
        ("https_no_host", "https://"),
        ("bad_port", "https://example.com:99999/hook"),
        ("http_example_com", "http://example.com/hook"),
        ("http_uppercase_scheme", "HTTP://example.com/hook"),
        ("http_private_10", "http://10.0.0.1/hook"),
        ("http_private_192_168", "http://192.168.1.1/hook"),
        ("http_metadata_169_254", "http://169.254.169.254/latest/meta-data/"),
        ("http_ipv6_not_loopback", "http://[::2]/hook"),
        ("http_ipv4_mapped_loopback", "http://[::ffff:127.0.0.1]/hook"),
        ("http_unspecified", "http://0.0.0.0/hook"),
        ("http_localhost_suffix_domain", "http://localhost.evil.com/hook"),
        ("http_127_in_domain", "http://127.0.0.1.nip.io/hook"),
        ("credentials_user_pass", "https://user:pass@example.com/hook"),
        ("credentials_user_only", "https://user@example.com/hook"),
        ("credentials_password_only", "https://:secret@example.com/hook"),
        ("credentials_on_loopback", "http://user:pass@127.0.0.1/hook"),
        ("space_in_path", "https://example.com/a b"),
        ("space_in_host", "https://exa mple.com/hook"),
        ("leading_space", " https://example.com/hook"),
        ("trailing_newline", "https://example.com/hook\n"),
        ("crlf_injection", "https://example.com/hook\r\nX-Injected: 1"),
        ("tab", "https://example.com/\thook"),
        ("nul", "https://example.com/hook\u0000"),
        ("bell_in_host", "https://exa\u0007mple.com/hook"),
        ("nbsp", "https://example.com/\u00a0hook"),
        ("just_text", "not a url"),
    ]
    for label, v in urls:
        bad("send_sms", "webhook", label, v)
        for f in ("webhook", "redirect_success", "redirect_failure"):
            bad("start_phone_verification", f, label, v)

    relay = [
        ("empty", ""),
        ("nul", "\u0000"),
        ("nul_inside", "user\u0000id"),
        ("1025_ascii", "r" * 1025),
        ("1025_non_ascii_chars", "é" * 1025),
        ("1025_emoji_chars", "😀" * 1025),
        ("huge", HUGE),
    ]
    for label, v in relay:
        bad("send_sms", "relay_state", label, v)
        bad("start_phone_verification", "relay_state", label, v)

    for label, v in [("empty", ""), ("one_char", "E"), ("36_chars", "a" * 36),
                     ("space", "en US"), ("dot", "en.US"), ("slash", "sv/SE"),
                     ("path_traversal", "../etc"), ("newline", "en\n"), ("non_ascii", "én"),
                     ("nul", "en\u0000"), ("accept_language_list", "en-US;q=0.9"),
                     ("comma", "en,sv"), ("huge", HUGE)]:
        bad("start_phone_verification", "locale", label, v)

    for label, v in [("empty", ""), ("space", "abc def"), ("newline", "abc\n"),
                     ("crlf_header_injection", "abc\r\nX-Injected: 1"), ("tab", "abc\tdef"),
                     ("non_ascii", "tökén"), ("nul", "abc\u0000"), ("del_char", "abc\u007f"),
                     ("4097_chars", "t" * 4097), ("huge", HUGE)]:
        bad("start_phone_verification", "csrf_token", label, v)

    session_ids = [
        ("empty", ""),
        ("dot_dot_slash", "../../etc/passwd"),
        ("dot_dot_slash_uuid", "../" + UUID),
        ("encoded_slash", "..%2f..%2fcore%2fapi"),
        ("encoded_dots", "%2e%2e"),
        ("encoded_dots_uuid_length", "%2e%2e%2f" + UUID[9:]),
        ("query", UUID + "?x=1"),
        ("fragment", UUID + "#frag"),
        ("trailing_dot_dot", UUID + "/.."),
        ("trailing_slash", UUID + "/"),
        ("slash_inside_36_chars", UUID[:35] + "/"),
        ("question_inside_36_chars", UUID[:35] + "?"),
        ("braces", "{" + UUID + "}"),
        ("urn", "urn:uuid:" + UUID),
        ("simple_32_hex", UUID.replace("-", "")),
        ("37_chars", UUID + "0"),
        ("35_chars", UUID[:35]),
        ("non_hex_char", UUID[:35] + "g"),
        ("hyphens_misplaced", "26f5cc23d-bbb-45bb-a210-2818e70637bd"),
        ("leading_space", " " + UUID),
        ("trailing_newline", UUID + "\n"),
        ("nul_inside_36_chars", UUID[:35] + "\u0000"),
        ("space_inside_36_chars", UUID[:35] + " "),
        ("fullwidth_hex_digit", UUID[:35] + "ｄ"),
        ("not_a_uuid", "hello"),
        ("huge", HUGE),
    ]
    assert len(UUID[:35] + "/") == 36 and len("26f5cc23d-bbb-45bb-a210-2818e70637bd") == 36
    assert len("%2e%2e%2f" + UUID[9:]) == 36
    for op in ("get_sms_session", "get_phone_session", "wait_sms_session",
               "wait_phone_session", "get_email_session", "wait_email_session"):
        for label, v in session_ids:
            bad(op, "session_id", label, v)

    # Email addresses (API.md "Operations"): local@domain, at most 254 characters; a
    # local part of 1 to 64 characters without spaces, quotes (") or control
    # characters, no leading/trailing/doubled dot; a domain of DNS labels with a dot.
    emails = [
        ("empty", ""),
        ("no_at", "jane.example.com"),
        ("two_ats_local_empty", "@example.com"),
        ("no_domain", "jane@"),
        ("domain_without_dot", "jane@localhost"),
        ("double_dot_local", "a..b@x.se"),
        ("leading_dot_local", ".jane@x.se"),
        ("trailing_dot_local", "jane.@x.se"),
        ("space_in_local", "ja ne@x.se"),
        ("leading_space", " jane@x.se"),
        ("trailing_newline", "jane@x.se\n"),
        ("quoted_local", '"jane"@x.se'),
        ("quote_inside", 'ja"ne@x.se'),
        ("control_char", "ja\u0001ne@x.se"),
        ("nul", "jane@x.se\u0000"),
        ("local_65_chars", "a" * 65 + "@x.se"),
        ("address_255_chars", "a" * 64 + "@" + ("b" * 60 + ".") * 3 + "b" * 4 + ".se"),
        ("domain_label_starts_with_dash", "jane@-x.se"),
        ("domain_label_ends_with_dash", "jane@x-.se"),
        ("domain_double_dot", "jane@x..se"),
        ("domain_underscore", "jane@x_y.se"),
        ("domain_label_64_chars", "jane@" + "a" * 64 + ".se"),
        ("domain_space", "jane@x .se"),
        ("huge", HUGE),
    ]
    assert len(emails[16][1]) == 255, len(emails[16][1])
    for label, v in emails:
        bad("start_email_verification", "email_address", label, v)
    for field in ("locale", "redirect_success", "redirect_failure"):
        bad("start_email_verification", field, "empty", "")
    bad("start_email_verification", "redirect_success", "http_non_loopback", "http://example.com/ok")
    bad("start_email_verification", "redirect_failure", "relative", "/fail")
    bad("start_email_verification", "locale", "space", "E n")
    bad("start_email_verification", "webhook", "http_non_loopback", "http://example.com/hook")
    bad("start_email_verification", "relay_state", "empty", "")
    bad("start_email_verification", "csrf_token", "newline", "tok\nen")

    assert len(cases) >= 150, len(cases)

    language_cases = []
    lone = [
        ("lone_high", "\\ud800"),
        ("lone_low", "\\udc00"),
        ("reversed_pair", "\\ude00\\ud83d"),
        ("high_at_end", "Your code is 12345 \\ud83d"),
    ]
    fields = [("send_sms", "to"), ("send_sms", "from"), ("send_sms", "message"),
              ("send_sms", "relay_state"), ("send_sms", "webhook"),
              ("start_phone_verification", "phone_number"),
              ("start_phone_verification", "locale"),
              ("start_phone_verification", "redirect_success"),
              ("start_phone_verification", "redirect_failure"),
              ("start_phone_verification", "relay_state"),
              ("start_phone_verification", "webhook"),
              ("start_phone_verification", "csrf_token"),
              ("get_sms_session", "session_id"), ("get_phone_session", "session_id"),
              ("wait_sms_session", "session_id"), ("wait_phone_session", "session_id")]
    for op, field in fields:
        for label, v in lone:
            args = dict(DEFAULTS[op])
            args[field] = {"$lone_surrogate": v}
            language_cases.append({
                "name": f"{op}.{field}.{label}", "op": op, "field": field, "args": args,
                "note": "Not valid Unicode text: Python/Node reject it before anything is "
                        "sent (a validation error naming the field, or TypeError, as the "
                        "binding documents); C passes the WTF-8/CESU bytes (invalid UTF-8) "
                        "and gets ZS_ERR_INVALID_ARGUMENT."})

    uuid_upper = UUID.upper()
    valid_cases = []

    def good(name, op, **kw):
        args = dict(DEFAULTS[op])
        args.update(kw)
        valid_cases.append({"name": name, "op": op, "args": args})

    good("send_sms.defaults", "send_sms")
    good("start_email_verification.defaults", "start_email_verification")
    good("start_email_verification.short", "start_email_verification", email_address="a@b.se")
    good("start_email_verification.idna_domain", "start_email_verification",
         email_address="jane@räksmörgås.se")
    good("start_email_verification.punycode_domain", "start_email_verification",
         email_address="jane@xn--rksmrgs-5wao1o.se")
    good("start_email_verification.plus_tag", "start_email_verification",
         email_address="jane+2fa@example.com")
    good("start_email_verification.apostrophe", "start_email_verification",
         email_address="o'brien@example.ie")
    good("start_email_verification.local_64_chars", "start_email_verification",
         email_address="a" * 64 + "@x.se")
    good("start_email_verification.address_254_chars", "start_email_verification",
         email_address="a" * 64 + "@" + ("b" * 60 + ".") * 3 + "b" * 3 + ".se")
    good("start_email_verification.loopback_redirects", "start_email_verification",
         redirect_success="http://127.0.0.1:8080/ok", redirect_failure="http://localhost/fail")
    assert len(valid_cases[-2]["args"]["email_address"]) == 254
    good("send_sms.to_7_digits", "send_sms", to="+1234567")
    good("send_sms.to_15_digits", "send_sms", to="+123456789012345")
    good("send_sms.from_1_char", "send_sms", **{"from": "Z"})
    good("send_sms.from_11_chars", "send_sms", **{"from": "ZignSec2024"})
    good("send_sms.from_digits_only", "send_sms", **{"from": "12345"})
    good("send_sms.from_e164", "send_sms", **{"from": "+123456789"})
    good("send_sms.message_160_gsm7", "send_sms", message="a" * 160)
    good("send_sms.message_70_ucs2", "send_sms", message="ж" * 70)
    good("send_sms.message_1530_max_10", "send_sms", message="a" * 1530, max_message_parts=10)
    good("send_sms.message_control_chars_allowed", "send_sms", message="line\tone\u0001")
    good("send_sms.max_parts_10", "send_sms", max_message_parts=10)
    good("send_sms.relay_state_1024_chars", "send_sms", relay_state="😀" * 1024)
    good("send_sms.webhook_https", "send_sms", webhook="https://example.com/hook?a=1#x")
    good("send_sms.webhook_2048_bytes", "send_sms",
         webhook="https://example.com/" + "a" * 2028)
    good("send_sms.webhook_http_localhost", "send_sms", webhook="http://localhost:8080/hook")
    good("send_sms.webhook_http_127", "send_sms", webhook="http://127.0.0.1/hook")
    good("send_sms.webhook_http_127_other", "send_sms", webhook="http://127.10.20.30:9/hook")
    good("send_sms.webhook_http_ipv6_loopback", "send_sms", webhook="http://[::1]:8080/hook")
    good("start_phone_verification.all_optionals", "start_phone_verification",
         locale="sv-SE", redirect_success="https://example.com/ok",
         redirect_failure="https://example.com/fail", relay_state="r", webhook=
         "https://example.com/h", csrf_token="!" + "~" * 4095)
    good("start_phone_verification.locale_2", "start_phone_verification", locale="En")
    good("start_phone_verification.locale_35", "start_phone_verification",
         locale="a_b-" * 8 + "abc")
    good("get_sms_session.uppercase_uuid", "get_sms_session", session_id=uuid_upper)
    assert len(valid_cases[-2]["args"]["locale"]) == 35
    assert len(("https://example.com/" + "a" * 2028).encode()) == 2048

    return {
        "description": (
            "Inputs every SDK must reject with a validation error naming `field`, before "
            "anything is sent. `args` are the op's arguments (snake_case, the sender spelled "
            "`from`), complete and valid except the one bad field; absent optionals are "
            "omitted and max_message_parts defaults to 1. A value {\"$repeat\": [s, n]} "
            "means s repeated n times. Type errors (a string for a number, null) are out of "
            "scope. language_cases hold values that are not Unicode text: "
            "{\"$lone_surrogate\": s} means s with its \\uXXXX escapes decoded to UTF-16 code "
            "units (so it contains a lone surrogate). valid_cases are boundary values that "
            "must pass validation."
        ),
        "cases": cases,
        "language_cases": language_cases,
        "valid_cases": valid_cases,
    }


# ---------------------------------------------------------------------------
# Auth schemes and key rotation (played against zignsec-mock started with `mock`)
# ---------------------------------------------------------------------------

def gen_auth():
    A, B, X = "sk_test_key_A_4f1d2c9e", "sk_test_key_B_7a3e5b1d", "sk_test_revoked_0c9f8e"
    cases = []

    def case(name, mock_keys, mock_scheme, client, expect):
        cases.append({"name": name,
                      "mock": {"api_keys": mock_keys, "auth_scheme": mock_scheme},
                      "client": client, "expect": expect})

    for scheme in ("authorization", "product-key"):
        other = "product-key" if scheme == "authorization" else "authorization"
        case(f"{scheme}_only_gateway_accepts_{scheme}", [A], scheme,
             {"api_key": A, "auth_scheme": scheme},
             {"kind": "ok", "first_call_requests": 1, "second_call_requests": 1})
        case(f"{scheme}_only_gateway_refuses_{other}", [A], scheme,
             {"api_key": A, "auth_scheme": other},
             {"kind": "authentication", "first_call_requests": 1})
    case("default_scheme_is_authorization", [A], "authorization", {"api_key": A},
         {"kind": "ok", "first_call_requests": 1, "second_call_requests": 1})
    case("revoked_primary_rotates_to_secondary_and_sticks", [A, B], "any",
         {"api_key": X, "secondary_api_key": B},
         {"kind": "ok", "first_call_requests": 2, "second_call_requests": 1})
    case("rotation_with_product_key", [A, B], "product-key",
         {"api_key": X, "secondary_api_key": B, "auth_scheme": "product-key"},
         {"kind": "ok", "first_call_requests": 2, "second_call_requests": 1})
    case("working_primary_never_tries_secondary", [A, B], "any",
         {"api_key": A, "secondary_api_key": X},
         {"kind": "ok", "first_call_requests": 1, "second_call_requests": 1})
    case("both_keys_refused_two_requests_then_authentication", [A], "any",
         {"api_key": X, "secondary_api_key": "sk_test_also_revoked_9d"},
         {"kind": "authentication", "first_call_requests": 2})
    case("rotation_is_not_a_retry", [A, B], "any",
         {"api_key": X, "secondary_api_key": B, "max_retries": 0},
         {"kind": "ok", "first_call_requests": 2, "second_call_requests": 1})
    return {
        "description": (
            "Auth schemes and key rotation. For each case start zignsec-mock with one "
            "`--api-key` per entry of mock.api_keys and `--auth-scheme mock.auth_scheme`, "
            "build a client with `client` (snake_case option names; base URL the mock's), "
            "then call send_sms (to +46701234567, from ZignSec, message 'Your code is "
            "12345') twice. The first call must end as expect.kind ('ok' or an error "
            "kind); expect.first_call_requests is the POSTs the mock saw for it (a 401 "
            "is retried at once, once, with the other key, not counted against "
            "max_retries); when expect.kind is 'ok', the second call must succeed with "
            "expect.second_call_requests POSTs (the working key is kept). No key may "
            "appear in any error text."),
        "cases": cases,
    }


# ---------------------------------------------------------------------------
# 6. Phone numbers (normalize_phone)
# ---------------------------------------------------------------------------

MAX_PHONE_INPUT_CHARS = 64

# (region, country code, national trunk prefix, national significant number, label).
# Every NSN here is valid by construction: it is a libphonenumber example number or
# matches the region's published ranges (SE mobile 7[02369] + 7 digits; NO mobile
# [49] + 7; DK 8 digits from 2-9; FI mobile 4x/50; Stockholm 8, Gothenburg 31,
# Malmö 40, Oslo 2x, Copenhagen 3x, Helsinki 9 area codes).
VALID_NUMBERS = [
    ("SE", "46", "0", "701234567", "se_mobile_070"),
    ("SE", "46", "0", "721234567", "se_mobile_072"),
    ("SE", "46", "0", "731234567", "se_mobile_073"),
    ("SE", "46", "0", "761234567", "se_mobile_076"),
    ("SE", "46", "0", "791234567", "se_mobile_079"),
    ("SE", "46", "0", "812345678", "se_landline_stockholm"),
    ("SE", "46", "0", "8123456", "se_landline_stockholm_short"),
    ("SE", "46", "0", "313901234", "se_landline_gothenburg"),
    ("SE", "46", "0", "401234567", "se_landline_malmo"),
    ("NO", "47", "", "41234567", "no_mobile_4"),
    ("NO", "47", "", "91234567", "no_mobile_9"),
    ("NO", "47", "", "21234567", "no_landline_oslo"),
    ("DK", "45", "", "20123456", "dk_mobile"),
    ("DK", "45", "", "32123456", "dk_landline"),
    ("FI", "358", "0", "401234567", "fi_mobile_040"),
    ("FI", "358", "0", "501234567", "fi_mobile_050"),
    ("FI", "358", "0", "412345678", "fi_mobile_041"),
    ("FI", "358", "0", "91234567", "fi_landline_helsinki"),
    ("GB", "44", "0", "7400123456", "gb_mobile"),
    ("GB", "44", "0", "1212345678", "gb_landline"),
    ("DE", "49", "0", "15123456789", "de_mobile"),
    ("DE", "49", "0", "30123456", "de_landline_berlin"),
    ("US", "1", "", "2015550123", "us_number"),
]


def grouped(digits, sizes, sep=" "):
    """digits split into groups of the given sizes (the last group takes the rest)."""
    out, i = [], 0
    for n in sizes:
        if i >= len(digits):
            break
        out.append(digits[i:i + n])
        i += n
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(out)


def gen_phone_numbers():
    cases = []

    def ok(name, number, region, e164):
        assert e164.startswith("+") and e164[1:].isdigit() and 8 <= len(e164) <= 16
        cases.append(dict(name=name, number=number, default_region=region,
                          expect="ok", e164=e164))

    def bad(name, number, region, field="number"):
        cases.append(dict(name=name, number=number, default_region=region,
                          expect="validation", field=field))

    for region, cc, trunk, nsn, label in VALID_NUMBERS:
        e164 = "+" + cc + nsn
        national = trunk + nsn
        ok(f"{label}.national_compact", national, region, e164)
        ok(f"{label}.national_spaced", grouped(national, [3, 3, 2, 2]), region, e164)
        ok(f"{label}.national_dashes", grouped(national, [3, 3, 2], "-"), region, e164)
        ok(f"{label}.national_dots", grouped(national, [3, 3, 2], "."), region, e164)
        ok(f"{label}.plus_compact", e164, None, e164)
        ok(f"{label}.plus_spaced", "+" + cc + " " + grouped(nsn, [2, 3, 2, 2]), None, e164)
        ok(f"{label}.double_zero_spaced", "00" + cc + " " + grouped(nsn, [2, 3, 2, 2]), None,
           e164)
        ok(f"{label}.double_zero_with_own_region", "00" + cc + nsn, region, e164)
        other = "SE" if region != "SE" else "NO"
        ok(f"{label}.plus_with_other_region", "+" + cc + nsn, other, e164)
        ok(f"{label}.lowercase_region", national, region.lower(), e164)

    # The contract's own examples and common ways of writing Swedish numbers.
    ok("contract.national_se", "070-123 45 67", "SE", "+46701234567")
    ok("contract.plus_spaced", "+46 70 123 45 67", None, "+46701234567")
    ok("se.parentheses_area_code", "(08) 123 456 78", "SE", "+46812345678")
    ok("se.dash_after_area_code", "08-123 456 78", "SE", "+46812345678")
    ok("se.slash_after_prefix", "070/123 45 67", "SE", "+46701234567")
    ok("se.plus_with_spaces_and_dash", "+46 70-123 45 67", None, "+46701234567")
    ok("se.plus_trunk_zero_in_parentheses", "+46 (0)70-123 45 67", None, "+46701234567")
    ok("se.double_zero_parentheses", "(0046) 70 123 45 67", None, "+46701234567")
    ok("se.surrounding_whitespace", "  070 123 45 67\t", "SE", "+46701234567")
    ok("no.grouped_pairs", "41 23 45 67", "NO", "+4741234567")
    ok("no.from_sweden_double_zero", "00 47 41 23 45 67", "SE", "+4741234567")
    ok("dk.grouped_pairs", "20 12 34 56", "DK", "+4520123456")
    ok("dk.plus_no_spaces_region_se", "+4520123456", "SE", "+4520123456")
    ok("fi.helsinki_spaced", "09 1234 567", "FI", "+35891234567")
    ok("fi.plus_mobile_spaced", "+358 40 123 4567", None, "+358401234567")
    ok("us.parentheses", "(201) 555-0123", "US", "+12015550123")
    ok("us.plus_one_dashes", "+1-201-555-0123", None, "+12015550123")
    padded = "+46" + " " * (MAX_PHONE_INPUT_CHARS - len("+46701234567")) + "701234567"
    assert len(padded) == MAX_PHONE_INPUT_CHARS
    ok("length.exactly_max_chars", padded, None, "+46701234567")

    # Invalid numbers: too short, too long, wrong prefix, unknown country code.
    bad("se.too_short", "070 123", "SE")
    bad("se.too_short_plus", "+46 70 12", None)
    bad("se.mobile_too_long", "070-123 45 678", "SE")
    bad("se.far_too_long", "+46 70 123 45 67 89 01 23", None)
    bad("se.unassigned_prefix_071", "071-123 45 67", "SE")
    bad("se.mobile_with_region_no", "070-123 45 67", "NO")
    bad("no.starts_with_1", "1234 5678", "NO")
    bad("no.too_short", "4123 456", "NO")
    bad("dk.starts_with_1", "12 34 56 78", "DK")
    bad("dk.too_short", "2012 345", "DK")
    bad("dk.too_long", "20 12 34 56 7", "DK")
    bad("fi.too_short_plus", "+358 40 12", None)
    bad("unknown_country_code", "+999 123 456 789", None)
    bad("plus_zero", "+0 70 123 45 67", None)
    bad("double_zero_then_zero", "000 70 123 45 67", None)
    # Not numbers at all.
    bad("letters.vanity", "070-CALL-NOW", "SE")
    bad("letters.one_letter", "+46 70 123 45 6a", None)
    bad("letters.us_vanity", "1-800-FLOWERS", "US")
    bad("letters.words", "ett två tre", "SE")
    bad("letters.extension", "+46 70 123 45 67 ext. 12", None)
    bad("symbols.hash", "#31#0701234567", "SE")
    bad("symbols.star", "*0701234567", "SE")
    bad("symbols.nul", "0701234567\u0000", "SE")
    bad("symbols.plus_not_leading", "46+701234567", "SE")
    bad("symbols.double_plus", "++46701234567", None)
    bad("symbols.fullwidth_digits", "０７０１２３４５６７", "SE")
    bad("empty", "", "SE")
    bad("empty_no_region", "", None)
    bad("only_spaces", "   ", "SE")
    bad("only_plus", "+", None)
    bad("only_separators", "-- ()", "SE")
    bad("length.one_over_max_chars", padded + " ", None)
    bad("length.huge", "0" * 10_000, "SE")
    # A national number needs a region.
    bad("no_region.national_se", "070-123 45 67", None)
    bad("no_region.national_no", "41 23 45 67", None)
    bad("no_region.digits_with_country_code", "46701234567", None)
    # Regions the metadata does not know, or not alpha-2 at all.
    for label, region in [("unknown_xx", "XX"), ("unknown_zz", "ZZ"), ("alpha3", "SWE"),
                          ("one_letter", "S"), ("empty", ""), ("numeric_001", "001"),
                          ("digit_in_code", "S1"), ("spaces", " SE"), ("non_ascii", "SÉ")]:
        bad(f"region.{label}", "070-123 45 67", region, field="default_region")
    bad("region.bad_even_for_plus_number", "+46701234567", "XX", field="default_region")

    assert len(cases) >= 200, len(cases)
    return {
        "description": (
            "normalize_phone(number, default_region) -> E.164, judged valid by "
            "libphonenumber's metadata. expect \"ok\": the result must equal e164. expect "
            "\"validation\": a validation error naming field (\"number\" or "
            "\"default_region\"), whose message does not contain the trimmed number when "
            "it has more than 4 characters. default_region null means none. International "
            "forms start with + or 00 (00 is always the international prefix); national "
            "forms need default_region (ISO 3166-1 alpha-2, any letter case). Digits may be "
            "separated by spaces, - . ( ) /; letters and other characters are refused. "
            "Input over max_input_chars characters is refused before parsing."
        ),
        "max_input_chars": MAX_PHONE_INPUT_CHARS,
        "cases": cases,
    }


# ---------------------------------------------------------------------------
# 7. One-time codes (the language-neutral rules)
# ---------------------------------------------------------------------------

OTP_SECRET = "otp-vector-secret-0123456789abcdef"
OTP_OTHER_SECRET = "otp-vector-other-secret-fedcba9876543210"
OTP_T0_MS = 1_700_000_000_000
OTP_TO = "+46701234567"
OTP_OTHER_TO = "+46701234568"
OTP_DEFAULTS = dict(digits=6, ttl_ms=300_000, max_attempts=5)
OTP_REASONS = ["ok", "wrong_code", "expired", "too_many_attempts", "used", "invalid"]


def otp_option_error(secret, digits, ttl_ms, max_attempts):
    """The option a config error names, or None: the ranges of API.md."""
    if len(secret.encode("utf-8")) < 16:
        return "secret"
    if not 4 <= digits <= 10:
        return "digits"
    if not 1_000 <= ttl_ms <= 86_400_000:
        return "ttl"
    if not 1 <= max_attempts <= 20:
        return "max_attempts"
    return None


class OtpModel:
    """The check rules of API.md as a state machine over one challenge.

    A challenge is modelled by its state (attempts, spent, expiry); a check of a
    challenge whose text was changed, or with another secret or recipient, is
    invalid and changes nothing.
    """

    def __init__(self, digits, ttl_ms, max_attempts):
        self.digits, self.ttl_ms, self.max_attempts = digits, ttl_ms, max_attempts

    def issue(self, at_ms):
        return dict(attempts=0, spent=False, expiry=at_ms + self.ttl_ms)

    def check(self, state, right, at_ms, genuine):
        """(result, new state) for one check; `right` says the typed code matches."""
        if not genuine:
            return dict(ok=False, reason="invalid", attempts_left=0), state
        if state["spent"]:
            return dict(ok=False, reason="used", attempts_left=0), state
        if at_ms >= state["expiry"]:
            return dict(ok=False, reason="expired", attempts_left=0), state
        if state["attempts"] >= self.max_attempts:
            return dict(ok=False, reason="too_many_attempts", attempts_left=0), state
        new = dict(state, attempts=state["attempts"] + 1, spent=right)
        if right:
            return dict(ok=True, reason="ok", attempts_left=0), new
        return dict(ok=False, reason="wrong_code",
                    attempts_left=self.max_attempts - new["attempts"]), new


# How a step types the code: "$right" is the issued code; the others are derived
# from it (see README). Anything else is typed literally.
OTP_CODE_FORMS = {
    "$right": True,
    "$right_spaced": True,        # a space after every 2nd digit: "12 34 56"
    "$right_hyphenated": True,    # a hyphen after the 3rd digit: "123-456"
    "$right_padded": True,        # a space before and after: " 123456 "
    "$wrong": False,              # the last digit plus 1, mod 10
    "$right_plus_digit": False,   # the code and one more "0"
    "$right_minus_digit": False,  # the code without its last digit
    "$right_with_letter": False,  # the last digit replaced by "x"
}
OTP_CHALLENGE_FORMS = {
    "latest": True,          # the challenge the last check returned (or the issued one)
    "issued": True,          # the challenge issue returned, ignoring later checks
    "tampered_first": False, # the latest with its first character replaced
    "tampered_last": False,  # the latest with its last character replaced
    "truncated": False,      # the latest without its last character
    "extended": False,       # the latest with "A" appended
    "empty": False,          # ""
}


def gen_otp():
    option_cases = []

    def opt(name, secret=OTP_SECRET, **over):
        o = dict(OTP_DEFAULTS, **over)
        bad_option = otp_option_error(secret, o["digits"], o["ttl_ms"], o["max_attempts"])
        c = dict(name=name, secret=secret, **o, expect="config" if bad_option else "ok")
        if bad_option:
            c["option"] = bad_option
        option_cases.append(c)

    opt("defaults")
    opt("secret_15_bytes", secret="a" * 15)
    opt("secret_16_bytes", secret="a" * 16)
    opt("secret_16_bytes_of_8_chars", secret="å" * 8)
    opt("secret_7_chars_of_14_bytes", secret="å" * 7)
    opt("secret_empty", secret="")
    for d in (3, 4, 6, 8, 10, 11, 0):
        opt(f"digits_{d}", digits=d)
    for t in (0, 999, 1_000, 300_000, 86_400_000, 86_400_001):
        opt(f"ttl_ms_{t}", ttl_ms=t)
    for m in (0, 1, 5, 20, 21):
        opt(f"max_attempts_{m}", max_attempts=m)

    template_cases = []
    code = "012345"

    def tpl(name, template):
        n = template.count("{code}")
        c = dict(name=name, template=template, code=code)
        if n == 1:
            c.update(expect="ok", message=template.replace("{code}", code, 1))
        else:
            c.update(expect="validation", field="template")
        template_cases.append(c)

    tpl("default", "Your code is {code}")
    tpl("code_first", "{code} is your ZignSec code")
    tpl("code_alone", "{code}")
    tpl("unicode_around", "Din kod är {code} 😀")
    tpl("double_braces", "{{code}}")
    tpl("missing", "Your code is")
    tpl("empty", "")
    tpl("twice", "{code} and again {code}")
    tpl("three_times", "{code}{code}{code}")
    tpl("wrong_case", "Your code is {CODE}")
    tpl("spaces_inside", "Your code is { code }")
    tpl("no_braces", "Your code is code")

    flows = []

    def flow(name, steps, options=None, note=""):
        o = dict(OTP_DEFAULTS, **(options or {}))
        model = OtpModel(o["digits"], o["ttl_ms"], o["max_attempts"])
        issued = model.issue(OTP_T0_MS)
        latest = issued
        out_steps = []
        for st in steps:
            code_form = st.get("code", "$right")
            right = OTP_CODE_FORMS.get(code_form, False)
            challenge_form = st.get("challenge", "latest")
            genuine = (OTP_CHALLENGE_FORMS[challenge_form]
                       and st.get("to", OTP_TO) == OTP_TO
                       and st.get("secret", "same") == "same")
            at = OTP_T0_MS + st.get("after_ms", 0)
            source = issued if challenge_form == "issued" else latest
            result, new_state = model.check(source, right, at, genuine)
            if genuine:
                latest = new_state
            out_steps.append(dict(
                code=code_form, challenge=challenge_form, to=st.get("to", OTP_TO),
                secret=st.get("secret", "same"), after_ms=st.get("after_ms", 0),
                expect=result,
            ))
        flows.append(dict(name=name, options=o, note=note, steps=out_steps))

    flow("right_code_then_used", [{}, {}])
    flow("right_code_spaced", [{"code": "$right_spaced"}])
    flow("right_code_hyphenated", [{"code": "$right_hyphenated"}])
    flow("right_code_padded", [{"code": "$right_padded"}])
    flow("wrong_then_right", [{"code": "$wrong"}, {}])
    flow("wrong_length_and_letters_count_as_attempts",
         [{"code": "$right_plus_digit"}, {"code": "$right_minus_digit"},
          {"code": "$right_with_letter"}, {"code": ""}, {}])
    flow("max_attempts_wrong_then_right_is_too_many",
         [{"code": "$wrong"}] * 3 + [{}], options=dict(max_attempts=3))
    flow("one_attempt_only", [{"code": "$wrong"}, {}], options=dict(max_attempts=1))
    flow("twenty_attempts", [{"code": "$wrong"}] * 19 + [{}], options=dict(max_attempts=20))
    flow("just_before_expiry", [{"after_ms": 299_999}])
    flow("at_expiry", [{"after_ms": 300_000}])
    flow("after_expiry", [{"after_ms": 300_001}, {"after_ms": 86_400_000}])
    flow("wrong_then_expired", [{"code": "$wrong", "after_ms": 1_000},
                                {"after_ms": 300_000}])
    flow("expired_is_checked_before_attempts",
         [{"code": "$wrong"}, {"after_ms": 300_000}], options=dict(max_attempts=1))
    flow("used_is_checked_before_expiry", [{}, {"after_ms": 300_000}])
    flow("short_ttl", [{"after_ms": 999}, {"after_ms": 1_000}], options=dict(ttl_ms=1_000))
    flow("four_digits", [{"code": "$wrong"}, {}], options=dict(digits=4))
    flow("ten_digits", [{"code": "$right_spaced"}], options=dict(digits=10))
    flow("other_recipient_is_invalid_and_not_counted",
         [{"to": OTP_OTHER_TO}, {"to": OTP_OTHER_TO, "code": "$wrong"}, {}])
    flow("other_secret_is_invalid", [{"secret": "other"}, {}])
    flow("tampered_truncated_extended_empty_are_invalid",
         [{"challenge": "tampered_first"}, {"challenge": "tampered_last"},
          {"challenge": "truncated"}, {"challenge": "extended"}, {"challenge": "empty"}, {}])
    flow("replaying_the_issued_challenge_resets_attempts",
         [{"code": "$wrong"}, {"code": "$wrong"}, {"code": "$wrong", "challenge": "issued"}],
         note="The challenge carries its own attempt count: an app that does not store "
              "back check.challenge lets a user retry forever. Always store it back.")
    flow("replaying_the_issued_challenge_after_ok_passes_again",
         [{}, {"challenge": "issued"}],
         note="Spent is recorded in the returned challenge only; store it back.")

    return {
        "description": (
            "One-time codes: the parts every language checks the same way. option_cases: "
            "Otp(secret, digits, ttl_ms, max_attempts) is built (expect \"ok\") or fails "
            "with a config error naming option (expect \"config\"); the secret is counted "
            "in UTF-8 bytes. template_cases: render(template, code) gives message, or a "
            "validation error naming template. flows: issue a code for to at t0_ms, then run "
            "the checks in order, each at t0_ms + after_ms, with the code and challenge forms "
            "the README defines; each check must give exactly expect {ok, reason, "
            "attempts_left}. Unless a step says otherwise the latest returned challenge is "
            "checked, for to, with the same secret."
        ),
        "secret": OTP_SECRET,
        "other_secret": OTP_OTHER_SECRET,
        "to": OTP_TO,
        "other_to": OTP_OTHER_TO,
        "t0_ms": OTP_T0_MS,
        "reasons": OTP_REASONS,
        "default_template": "Your code is {code}",
        "challenge_pattern": "^[A-Za-z0-9_-]+$",
        "option_cases": option_cases,
        "template_cases": template_cases,
        "flows": flows,
    }


def main():
    write("sms_parts.json", gen_sms_parts())
    write("webhooks.json", gen_webhooks())
    write("gateway_errors.json", gen_gateway_errors())
    write("seeds.json", gen_seeds())
    write("bad_inputs.json", gen_bad_inputs())
    write("auth.json", gen_auth())
    write("phone_numbers.json", gen_phone_numbers())
    write("otp.json", gen_otp())


if __name__ == "__main__":
    main()
