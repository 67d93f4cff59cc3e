"""Each day of a course takes its own vials from the verified plan, and no more."""

from collections import Counter
from decimal import Decimal

from ivig.clinical.infusion.day_vials import check_day_vial, day_needs, describe, still_needed

# Privigen ITP 1 g/kg for 25 kg: 25 g a day = 1 x 20 g + 1 x 5 g.
DAY = [{"size_g": 20, "count": 1, "volume_ml": 200}, {"size_g": 5.0, "count": 1, "volume_ml": 50}]
NEEDED = day_needs(DAY)


def test_it_reads_the_days_sizes_and_counts():
    assert day_needs(DAY) == {Decimal(20): 1, Decimal(5): 1}
    assert describe(NEEDED) == "1 × 20 g + 1 × 5 g"


def test_it_accepts_the_days_vials_and_then_nothing_more():
    first = check_day_vial(1, NEEDED, Counter(), Decimal("20"))
    extra = check_day_vial(1, NEEDED, Counter({Decimal(20): 1, Decimal(5): 1}), Decimal("20.0"))

    assert first.allowed
    assert not extra.allowed
    assert "belongs to another day" in extra.message
    assert "Day 1 needs 1 × 20 g + 1 × 5 g; already scanned: 1 × 20 g + 1 × 5 g." in extra.message


def test_it_refuses_a_size_the_day_does_not_use():
    check = check_day_vial(2, NEEDED, Counter(), Decimal("10"))

    assert not check.allowed and "day 2 uses no 10 g vial" in check.message


def test_it_counts_a_part_vial_as_one_vial():
    part = day_needs([{"size_g": 5, "count": 1, "volume_ml": 50}])  # 1.2 g prescribed from a 5 g vial

    assert check_day_vial(1, part, Counter(), Decimal(5)).allowed
    assert not check_day_vial(1, part, Counter({Decimal(5): 1}), Decimal(5)).allowed


def test_it_lists_what_is_still_needed_largest_first():
    assert still_needed(NEEDED, Counter({Decimal(20): 1})) == {Decimal(5): 1}
    assert still_needed(NEEDED, Counter({Decimal(20): 1, Decimal(5): 1})) == {}


def test_it_refuses_every_vial_when_the_plan_lists_none_for_the_day():
    assert not check_day_vial(1, {}, Counter(), Decimal(5)).allowed
