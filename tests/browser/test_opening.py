"""In a real browser: anyone opens the admission check from the menu's page, asks whether a
foreign investor may hold 60 % of a value-added telecom business in an FTZ in 2023, and reads
the answer with the measure and the edition; the negative-list page draws its index chart."""

import pytest

pytestmark = [pytest.mark.browser]


def test_the_admission_check_answers_a_question(loaded_live_server, page):
    server = loaded_live_server
    page.goto(server.url + "/opening/")
    page.wait_for_selector("#chart-openness[data-rendered=true]")
    page.click("text=准入查询 >> nth=-1")
    page.wait_for_selector("#check-form")
    page.fill("input[name=activity]", "增值电信业务")
    page.fill("input[name=foreign_share]", "60")
    page.select_option("select[name=place]", "ftz")
    page.fill("input[name=day]", "2023-03-01")
    page.click("#check-run")
    page.wait_for_selector("#check-answer")
    assert page.inner_text("#check-verdict") == "限制"
    explanation = page.inner_text("#check-explanation")
    assert "增值电信业务的外资股比不超过50%" in explanation
    assert "不符合该条件" in explanation
    assert "2021年版" in page.inner_text("#check-answer")
