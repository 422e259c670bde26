#!/usr/bin/env python3
"""Writes queries.jsonl (30 paraphrase queries over replication_items.csv) and checks them:
every judged code exists, and no query shares a 2-character (CJK bigram) word with the title of
any item it grades 3."""
import csv
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

Q = [
    # (query, {code: grade}, note)
    ("委托书要找公家机构出证明，能不能只去一趟就拿到",
     {"2019-investment-01": 3, "2019-investment-02": 1}, "sc-5；出证明文书=公证，只去一趟=最多跑一次；合作制机构只是办理方"),
    ("我们研发了一款血糖仪，自己没有工厂，能不能找别人代工、证照挂在我们公司名下",
     {"2019-investment-05": 3, "2019-investment-06": 2}, "ministry-2019；血糖仪=医疗器械，证照归研发方=注册人制度；药品持有人制度同理"),
    ("新药研发公司没药厂，批文放自己手里再找代工厂生产行不行",
     {"2019-investment-06": 3, "2019-investment-05": 2}, "bp-3；批文在研发方手里=上市许可持有人"),
    ("厂里要增容加一台变压器，跟电网公司打交道手续多、时间长",
     {"2019-investment-07": 3, "2019-investment-10": 3}, "bp-3；增容/变压器=供电、用电"),
    ("拿地以后多久能领到施工许可证",
     {"2019-investment-08": 3, "2019-investment-15": 3, "2019-investment-14": 1}, "bp-3；施工许可证=工程建设项目审批"),
    ("买了个二手商铺，新房本要等多久才到手",
     {"2019-investment-09": 3, "2019-investment-17": 1}, "bp-3；房本=不动产登记"),
    ("厂房盖好了，规划、消防、测绘各查一遍太折腾，能不能一起来验收",
     {"2019-investment-14": 3, "2019-investment-08": 2, "2019-investment-15": 2}, "bp-3；一起验收=竣工测验合一"),
    ("开便利店又卖零食又卖感冒药，能不能一张证就搞定",
     {"2019-investment-16": 3}, "bp-3；零食+药=食品药品，一张证=全通版许可证"),
    ("用手机小程序能领营业执照吗",
     {"2019-investment-19": 3, "2019-investment-03": 1}, "bp-3；手机小程序=微信；执照"),
    ("老国企引进民营资本，员工持股怎么弄",
     {"2019-investment-13": 3, "2019-investment-12": 1}, "bp-3；民营资本进国企=混合所有制改革"),
    ("船上装的是易燃易爆的化工品，报关和报海事要分开填两回吗",
     {"2019-trade-01": 3, "2019-trade-02": 2}, "sc-5；易燃易爆=危险货物，分开填=合并申报"),
    ("外轮靠港给边检、海事交的资料能不能只填一遍",
     {"2019-trade-02": 3, "2019-trade-01": 1}, "sc-5；外轮=国际航行船舶，只填一遍=一单多报"),
    ("给远洋船加免税油，能从隔壁港口的油库调过来吗",
     {"2019-trade-03": 3, "2019-supervision-06": 1}, "sc-5；免税油=保税燃料油，隔壁港口=跨港区"),
    ("周末想让关员来验货，网上怎么约时间",
     {"2019-trade-04": 3}, "sc-5；约时间=预约；关员=海关"),
    ("货不够装满一整列火车，几家的货能拼在一起发往欧洲吗",
     {"2019-trade-05": 3, "2019-finance-04": 1}, "sc-5；拼一列火车去欧洲=中欧班列集拼集运"),
    ("从中东直接买外版越野车运回来卖，不经过品牌授权的经销商，合法吗",
     {"2019-trade-07": 3, "2019-supervision-14": 3}, "ministry-2019 / bp-3；外版车不经授权经销商=平行进口汽车"),
    ("小公司没东西抵押，纳税记录好能贷到款吗",
     {"2019-finance-01": 3, "2019-finance-03": 2}, "ministry-2019；凭纳税等守信记录贷款=信易贷"),
    ("专利贷款",
     {"2019-finance-03": 3, "2019-finance-01": 1}, "bp-3；短关键词；专利换贷款=知识价值信用融资"),
    ("出租设备收来的租金能不能打包成债券卖掉回笼资金",
     {"2019-finance-02": 3}, "bp-3；租金打包成债券=租赁资产证券化"),
    ("火车运来的货还没到，拿着运输单据能先去银行押汇吗",
     {"2019-finance-06": 3, "2019-finance-04": 3, "2019-trade-05": 1}, "bp-3；火车运输单据押汇=铁路提单信用证、铁银通"),
    ("网店卖货给东南亚顾客，收款想直接用咱们自己的货币，不换美元",
     {"2019-finance-05": 3}, "bp-3；网店卖到国外=跨境电商，本币收款=人民币业务"),
    ("从国外买的大豆在海港卸下换小船走长江运进内地，要查几回虫害",
     {"2019-supervision-05": 3, "2019-supervision-04": 2}, "sc-5；大豆=粮食，海港换船走长江=江海联运，查虫害=检疫"),
    ("商标被人仿冒了，打官司是不是要拖一两年",
     {"2019-supervision-13": 3}, "bp-3；商标纠纷快审=知识产权案件快审"),
    ("工厂货卖到国外，税款返还老是要等好几个月",
     {"2019-tax-04": 3, "2019-tax-05": 2}, "sc-5；税款返还=出口退税；服务前置、简化流程都能缩短等待"),
    ("我在好几个单位兼职，交过的个税记录能一下子查全吗",
     {"2019-tax-01": 3}, "sc-5；个人的个税记录汇总=自然人一人式税收档案"),
    ("公司到外省接了个工地，预缴税还得跑当地税务局吗",
     {"2019-tax-02": 3}, "sc-5；外省=跨区域，不用跑=网上办"),
    ("第一次申报晚了几天，会不会直接罚款",
     {"2019-tax-06": 3}, "bp-3；首次轻微违规不罚=容缺容错"),
    ("老挝研究生在咱们这里念完书，想留下来自己开店，身份手续怎么弄",
     {"2019-mobility-09": 3, "2019-mobility-10": 1}, "ministry-2019；留学生毕业后创业的居留许可"),
    ("老外在这边租房、看病、办证碰到问题，有没有专门能问的地方",
     {"2019-mobility-12": 3}, "ministry-2019；专门能问的地方=移民事务服务中心（站点）"),
    ("公司请的老外每年都得续一次在华身份，能不能一下子批好几年",
     {"2019-mobility-07": 3, "2019-mobility-05": 2}, "ministry-2019；第三次申请可批5年的工作类居留许可；人才居留许可最长5年"),
]


def bigrams(s):
    return {s[i:i + 2] for i in range(len(s) - 1)
            if re.fullmatch(r'[\u4e00-\u9fff]{2}', s[i:i + 2])}


def main():
    items = {r['code']: r for r in csv.DictReader(open(os.path.join(HERE, 'data', 'replication_items.csv'), encoding='utf-8'))}
    bad = 0
    for q, judg, note in Q:
        for code, g in judg.items():
            if code not in items:
                print('unknown code', code, q)
                bad += 1
            elif g == 3:
                common = bigrams(q) & bigrams(items[code]['title'])
                if common:
                    print('overlap', sorted(common), '|', q, '|', items[code]['title'])
                    bad += 1
    print(len(Q), 'queries,', sum(len(j) for _, j, _ in Q), 'judgements,', bad, 'problems')
    with open(os.path.join(HERE, 'queries.jsonl'), 'w', encoding='utf-8') as fh:
        for q, judg, note in Q:
            fh.write(json.dumps({'query': q, 'judgements': judg, 'note': note}, ensure_ascii=False) + '\n')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    main()
