from councils.shapes import NAME


def test_a_name_shape_is_any_member_title_before_a_name_but_not_a_word_that_starts_like_one():
    for named in ("Miss Stone reported the figures.", "He thanked Dame Rachel.", "Cllr. Hood asked about it."):
        assert NAME.search(named), named
    for plain in ("Mission Statement agreed.", "Mrs was written alone.", "Drafting continues."):
        assert not NAME.search(plain), plain
