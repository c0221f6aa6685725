from kiosk.idnumber import check, check_digit, mask, mask_name, sex_of

VALID = "11010519491231002X"


def test_known_valid_number() -> None:
    assert check(VALID).valid
    assert check(VALID.lower()).valid  # lower-case x is normalised
    assert sex_of(VALID) == "女"


def test_check_digit_weights() -> None:
    assert check_digit("11010519491231002") == "X"


def test_wrong_check_digit_is_explained() -> None:
    verdict = check("110105194912310021")
    assert not verdict.valid
    assert "校验位" in verdict.reason


def test_wrong_length_and_dates() -> None:
    assert "18位" in check("1234").reason
    assert "出生日期" in check("110105194902300000").reason  # 30 February


def test_permits_accepted() -> None:
    body = "81000019800101001"
    assert check(body + check_digit(body)).valid


def test_masks() -> None:
    assert mask(VALID) == "110***********002X"
    assert mask_name("王秀英") == "王*英"
    assert mask_name("王英") == "王*"
    assert mask_name("欧阳秀英") == "欧**英"
