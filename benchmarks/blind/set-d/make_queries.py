#!/usr/bin/env python3
"""Writes queries.jsonl (25 paraphrase queries over data/replication_items.csv) and checks every id exists."""
import csv, json
Q = [
 ("公司起名能不能自己定，不用等工商核准", {"2019-investment-03": 3, "2019-investment-19": 1}, "sc-5；名称自主申报=自己起名；微信办照只是办照渠道"),
 ("房产过户办证现在快一点了吗", {"2019-investment-09": 3, "2019-investment-17": 2, "2019-investment-14": 1}, "bp-3；房产证=不动产登记；抵押权变更也是不动产登记；竣工测验合一涉及竣工后测绘"),
 ("房子押给银行以后换贷款行手续麻烦", {"2019-investment-17": 3, "2019-investment-09": 2}, "bp-3；押给银行=抵押权；换行=变更登记"),
 ("盖厂房报批流程怎么简化", {"2019-investment-08": 3, "2019-investment-15": 3, "2019-investment-14": 2}, "bp-3；报批=审批；两条工程建设审批改革都直接对应，竣工验收合一部分相关"),
 ("新工厂拉电接电要等多久", {"2019-investment-07": 3, "2019-investment-10": 3}, "bp-3；拉电=供电/用电"),
 ("老外想在咱们这儿长期定居要什么条件", {"2019-mobility-01": 3, "2019-mobility-02": 3, "2019-mobility-03": 3, "2019-mobility-04": 1, "2019-mobility-05": 1, "2019-mobility-06": 1}, "ministry-2019；长期定居=永久居留；5年居留许可部分相关"),
 ("海外在校生放假到咱们这边公司见习办什么证件", {"2019-mobility-11": 3, "2019-mobility-10": 1, "2019-mobility-09": 1}, "ministry-2019；实习签证直接对应；毕业后创业居留部分相关"),
 ("洋专家能不能同时在两个地方上班", {"2019-mobility-08": 3, "2019-mobility-07": 1}, "ministry-2019；同时在两家单位=兼职"),
 ("给住在本地的老外答疑解难的窗口", {"2019-mobility-12": 3}, "ministry-2019；答疑=政策咨询；地方=服务中心（站点）"),
 ("小老板没抵押凭口碑借钱", {"2019-finance-01": 3, "2019-finance-03": 2, "2019-supervision-07": 1}, "ministry-2019/bp-3；口碑=信用；知识价值信用融资同类；信用监管平台部分相关"),
 ("火车托运的单据能不能拿去银行换钱", {"2019-finance-04": 3, "2019-finance-06": 3, "2019-trade-05": 1}, "bp-3；运单金融化与提单信用证融资都对应；班列集拼只涉铁路运输"),
 ("国企职工在单位里自己搞项目分红", {"2019-investment-12": 3, "2019-investment-13": 1}, "bp-3；自己搞项目=内创业；混改部分相关"),
 ("老重工城市的国营厂引进私人老板入股", {"2019-investment-13": 3, "2019-investment-11": 1, "2019-investment-12": 1}, "bp-3；引进民间资本改股份=混合所有制改革；码头股权整合与国企内创业部分相关"),
 ("远洋轮能不能在别的港口加免税油", {"2019-trade-03": 3, "2019-supervision-06": 2}, "sc-5；加油=燃料油供应；保税油检验监管相关"),
 ("办通关手续能不能提前挂号", {"2019-trade-04": 3}, "sc-5；约好时间=预约"),
 ("外轮靠港一次把资料报给各个部门", {"2019-trade-02": 3, "2019-trade-01": 2}, "sc-5；一次报给各部门=一单多报；危险货物合并申报部分相关"),
 ("易燃易爆化学品装船运输怎么查", {"2019-trade-01": 3, "2019-supervision-03": 1}, "sc-5；易燃易爆化学品=危险货物；船舶安全检查部分相关"),
 ("国外运来的小麦大豆怎么防疫", {"2019-supervision-04": 3, "2019-supervision-05": 3}, "sc-5；小麦大豆=粮食；防疫检查=检疫"),
 ("渔船之间闹矛盾谁来调解", {"2019-supervision-09": 3, "2019-supervision-10": 2}, "bp-3；海上调解=海上枫桥；海洋执法改革相关"),
 ("商标专利官司能不能早点判下来", {"2019-supervision-13": 3}, "bp-3；官司=案件；商标专利=知识产权"),
 ("海淘买的东西海关怎么管", {"2019-supervision-15": 3, "2019-finance-05": 2}, "bp-3；海淘=跨境电商零售进口；通丝路是跨境电商人民币结算"),
 ("外贸工厂卖到国外的货退钱能早点到账", {"2019-tax-04": 3, "2019-tax-05": 3, "2019-tax-03": 1}, "sc-5/bp-3；退钱=出口退税；涉税时限压缩部分相关"),
 ("在外地设了分公司报税不想来回跑", {"2019-tax-02": 3, "2019-tax-03": 1}, "sc-5；外地=跨区域；报税=涉税事项"),
 ("不走总代理的便宜洋车怎么管", {"2019-trade-07": 3, "2019-supervision-14": 3}, "ministry-2019/bp-3；平价进口车=平行进口汽车"),
 ("扫一个二维码办好几样事", {"2019-supervision-11": 3}, "bp-3；二维码=码；办好几样事=集成服务"),
]
ids = {r["code"] for r in csv.DictReader(open(__import__("pathlib").Path(__file__).resolve().parents[3] / "zimao/data/replication_items.csv", encoding="utf-8"))}
with open("queries.jsonl", "w", encoding="utf-8") as fh:
    for q, j, note in Q:
        for k in j:
            assert k in ids, k
        fh.write(json.dumps({"query": q, "judgements": j, "note": note}, ensure_ascii=False) + "\n")
print(len(Q), "queries")
