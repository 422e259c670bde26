"""Build tests/dev4/gold.jsonl from hand-written entries (run: python tests/dev4/build_gold.py).

The development set for the contract's section *Which effect statements count*
(docs/extraction.md): before-values in an earlier clause or sentence (过去…；现在…, 以前…如今…,
此前…。改革后…), multiplicative phrasings (是改革前的3倍多, 仅为原来的四分之一, 降至原来的30%,
翻了一番), each side in its own unit (约三个月 → 三周左右), ranges as before-values, before/after
tables, spoken pairs, targets, absolute savings, and statements that are no effect (a present
value alone, comparisons with the province, indicator growth, a score, two different counted
things). Four documents in four genres; gold follows the contract, not any extractor output.
Only effects are annotated: the set measures the effect grammar.

The entries' markup (Q, Z, D, E…: a span named by a substring of the document, ⟦marked⟧ in a
context when it is not unique, or picked by `occ=N`) is tests/devsets/markup.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DOCS = HERE / "docs"
sys.path.insert(0, str(HERE.parent.parent))
from tests.devsets.markup import DEC, E, INC, build, write  # noqa: E402


FACTS: dict[str, list[tuple]] = {}

FACTS["01_reform_review.txt"] = [
    E("11份材料、跑3个部门；现在通过“一表申请”，只需提交4份", "申请材料", DEC, 11, 4, "份"),
    E("3个部门；现在通过“一表申请”，只需提交4份材料、对接1个", "对接部门", DEC, 3, 1, "个"),
    E("45天，如今实行联合验收，12天", "竣工验收时间", DEC, 45, 12, "天"),
    E("两个月。改革后，审核时间压缩到10天左右", "进口许可证审核周期", DEC, 2, 10, "天",
      pct=-83.33, before_unit="个月"),
    E("由原来的约三个月缩短为三周左右", "船舶登记办理时间", DEC, 3, 3, "周", pct=-76.67,
      before_unit="个月"),
    E("由过去的4至6次减少到1次", "往返窗口次数", DEC, 4, 1, "次", before_max=6),
    E("仅为原来的四分之一", "单证审核时长", DEC, pct=-75),
    E("是改革前的3倍多", "窗口每小时处理报关单数量", INC, pct=200),
    E("翻了一番", "查验场地作业能力", INC, pct=100),
    E("降至原来的30%", "排队等候时间", DEC, pct=-70),
    E("节省代理费约1500元", "代理费", DEC, unit="元", abs_=1500),
    E("减少跑动约3.6万次", "跑动次数", DEC, unit="万次", abs_=3.6),
    E("压缩至15个工作日", "施工许可办理时间", DEC, after=15, unit="个工作日"),
    E("降低三成", "企业开办费用", DEC, pct=-30),
]

FACTS["02_press_transcript.txt"] = [
    E("三四天；现在大部分货物两三个小时", "申报到放行时间", DEC, 3, 2, "个小时", pct=-97.22,
      before_unit="天", before_max=4, after_max=3),
    E("七八份纸质单证，现在只要在网上传两三份", "纸质单证", DEC, 7, 2, "份", before_max=8,
      after_max=3),
    E("五个，如今合并成两个", "查验环节", DEC, 5, 2, "个"),
    E("八百多元，现在降到六百元左右", "港杂费", DEC, 800, 600, "元"),
    E("翻了一番", "码头日装卸能力", INC, pct=100),
    E("从原来的大半天缩短到一个多小时", "夜间通关等待时间", DEC, after=1, unit="个小时"),
    E("由十几份精简到五份", "备案材料", DEC, 10, 5, "份"),
    E("压缩两成", "进口整体通关时间", DEC, pct=-20),
    E("压到1小时", "出口通关时间", DEC, after=1, unit="小时"),
]

FACTS["03_before_after_tables.txt"] = [
    E("7个环节\t2个环节", "开办餐饮店", DEC, 7, 2, "个"),
    E("60个工作日\t20个工作日", "办理施工许可", DEC, 60, 20, "个工作日"),
    E("45天\t20天", "注销登记", DEC, 45, 20, "天"),
    E("15\t3", "首次登记", DEC, 15, 3, "个工作日"),
    E("10\t1", "转移登记", DEC, 10, 1, "个工作日"),
    E("由原来的28项压减至12项", "报建材料", DEC, 28, 12, "项"),
]

FACTS["04_ocr_notice.txt"] = [
    E("由原来的15个工\n作日压缩至5个工作日", "外商投资企业设立登记时间", DEC, 15, 5, "个工作日"),
    E("從6個減為2個", "企业开办环节", DEC, 6, 2, "个"),
    E("由过去的2\n0天缩短至7天", "退货周期", DEC, 20, 7, "天"),
    E("缩短了一半以上", "报关单修改审核时间", DEC, pct=-50),
    E("较改革\n前压缩了45%", "进口货物通关时间", DEC, pct=-45),
    E("节省费用约１，２００元", "费用", DEC, unit="元", abs_=1200),
    E("是改革前的2倍", "办事大厅日均受理量", INC, pct=100),
]

FACTS["05_mixed_briefing.txt"] = [
    E("由5天压缩至1天", "企业开办时间", DEC, 5, 1, "天"),
    E("减少了一半以上", "注销登记材料", DEC, pct=-50),
    E("2.5小时；改革后降到40分钟", "货物抵港到提离时间", DEC, 2.5, 40, "分钟", pct=-73.33,
      before_unit="小时"),
    E("精简了3个", "审批环节", DEC, unit="个", abs_=3),
    E("从法定的20个工作日压缩到承诺的8个工作日", "办理时限", DEC, 20, 8, "个工作日"),
    E("降低了约三分之一", "企业通关成本", DEC, pct=-33.33),
    E("提高了1.5倍", "报关行日办理业务量", INC, pct=150),
    E("由原来的一周缩短为1天", "工作许可办结时间", DEC, 1, 1, "天", pct=-85.71, before_unit="周"),
    E("压减了近七成", "船员换班审批时间", DEC, pct=-70),
    E("二十多个，现在只盖两个", "盖章数", DEC, 20, 2, "个"),
    E("40\t15", "施工许可", DEC, 40, 15, "天"),
    E("30\t7", "竣工验收", DEC, 30, 7, "天"),
]


if __name__ == "__main__":
    # only effects, and paired effects across clauses interleave
    gold = build(FACTS, DOCS, may_overlap=("effect",))
    write(gold, HERE / "gold.jsonl")
