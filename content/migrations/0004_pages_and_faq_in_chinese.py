"""The Simplified Chinese of the pages and the FAQ that 0003 seeded, in the terms the message catalogue uses
(学员, 道德与行为准则, 合格培训服务提供方, 理事会).

A Chinese value is written only where the row has none and its English is still what 0003 wrote: an edit in the
admin is never overwritten, and a text the committee has reworded keeps falling back to its English (the page
says so) until someone translates the new wording. Also run by the demo seed (content.demo) on a database that a
test has flushed since.
"""

from importlib import import_module

from django.db import migrations

# The English as seeded, read from the migration that wrote it rather than copied here.
SEEDED = import_module("content.migrations.0003_seed_pages_and_faq")

# slug: (title, summary, body)
PAGES_ZH_HANS = {
    "about": ("关于 IPMA", "全球性的非营利专业导师组织。", """
国际专业导师协会（IPMA）是一家非营利的专业机构。协会为导师实践制定全球标准，并为各行各业的导师以及各类机构的导师项目提供认证。

- **面向全球：**IPMA 不受地域限制，活跃于 51 个以上的国家。
- **统一标准：**认证以[专业导师九项核心能力](/pages/core-competencies/)和共同的[道德与行为准则](/code-of-ethics/)为基础。
- **培训独立：**IPMA 本身不开展培训。培训由合格培训服务提供方（QTSP）实施；IPMA 制定课程大纲、组织考试并颁发证书。

## IPMA 的治理

协会由理事会管理。理事会选举产生高级职员（会长、候任会长和秘书长兼司库），任期两年，负责日常工作。认证委员会负责审核申请、考试成绩和续期。现任人员请见[领导层](/leadership/)。
"""),
    "individual-accreditation": ("个人认证", "谁应当获得认证、为什么要认证，以及取得证书的五个步骤。", """
IPMA 为个人导师提供四个级别的认证，从助理导师到大师级导师。证书有效期为五年，通过持续专业发展进行续期。

## 谁应当获得认证？

企业高管、教育工作者和教师、人力资源专业人士、咨询师和顾问、教练、新任导师、正在转换职业的人士，以及任何其他行业或专业领域的导师。

## 为什么要获得认证？

- **公信力：**认证表明您达到了由独立机构制定的标准。
- **认可：**认证使您的导师工作在同行中脱颖而出。
- **竞争优势：**雇主看重经过认证的导师所提供的高质量指导。
- **人脉网络：**认证导师彼此结识、分享经验、开展合作。
- **个人发展：**准备认证的过程会促使您反思并改进自己的实践。

## 五个步骤

1. **学习与考试：**跟随培训合作伙伴学习[课程大纲](/curriculum/)的八个主题，并通过考试。
2. **工作经验：**每个级别都要求一定年限的工作经验。
3. **导师经验：**在门户中记录您的导师服务时数。
4. **道德：**采纳[道德与行为准则](/code-of-ethics/)。
5. **申请：**在门户中申请您的[级别](/levels/)并缴纳[费用](/fees/)。
"""),
    "core-competencies": ("专业导师九项核心能力", "每一项 IPMA 认证所依据的能力。", """
每一项 IPMA 认证，以及 QTSP 为此提供的培训，都建立在**专业导师九项核心能力**之上。这些能力描述了一名有效的导师为指导和支持学员所做的工作，并通过[课程大纲](/curriculum/)的八个主题进行考核：教练技能；导师辅导技能；督导技能；知识管理；隐性知识管理；导师辅导中的商业技能；工具、方法与技术；道德与行为准则。

各主题在考试中所占的权重随级别而变化，体现了不同级别对导师的要求。
"""),
    "ccr-pdu": ("持续认证要求（CCR）与 PDU", "如何通过获得并申报专业发展单位来续期证书。", """
IPMA 证书的有效期为五年。如需续期，持证人须参加持续认证要求（CCR）计划：获得**专业发展单位（PDU）**（每一小时符合条件的学习或贡献计一个 PDU），并在门户中申报。

## 需要多少 PDU？

每个级别在每个五年周期内要求一定数量的 PDU。具体数字由委员会确定；门户会在每位持证人的证书页面上显示当前要求（默认为助理导师 30 个、专业导师 45 个、高级导师 60 个、大师级导师 75 个）。

## 获得与申报

- 参加 IPMA 网络研讨会和年会：相应的 PDU 会自动为您记录。
- 其他活动（培训、授课、写作）须附证明材料申报；委员会会对一部分申报进行抽查。

## 续期

证书到期前，持证人会收到提醒。PDU 达到要求后，即可在门户中续期；证书到期后有一段较短的宽限期，宽限期结束后认证即告失效。
"""),
    "training-partners": ("培训合作伙伴（QTSP）", "合格培训服务提供方能获得什么、需要承诺什么，以及如何申请。", """
IPMA 本身不培训导师：所有培训均由**合格培训服务提供方（QTSP）**提供。

## QTSP 能获得什么

- **公信力与信任：**您的培训项目以 IPMA 品牌和九项核心能力为依托。
- **收入增长：**通过 IPMA 的名录和网络获得更多客户。
- **专属资源：**面向合作伙伴的工具、培训和交流网络。
- **曝光度：**列入[培训合作伙伴名录](/partners/)和培训日历。
- **持续支持：**IPMA 提供长期支持。

## QTSP 需要承诺什么

按照 IPMA 的标准讲授课程，在门户中准确维护受训者名单（出勤、时数和结业情况），并接收分配给自己的快速通道考生。

## 如何申请

创建账户，然后在控制面板中申请成为培训合作伙伴。委员会将审核您的申请。
"""),
    "organization-accreditation": ("机构认证", "导师项目的认证、ESG 认可以及标志的使用。", """
IPMA 为各类机构的导师项目提供认证：企业、中小学和大学、公共机构以及非营利组织。经认证的项目在支持专业成长方面达到了 IPMA 的质量与成效标准。

- **标准：**委员会审核项目的设计、导师的遴选与培训、配对、督导、道德规范和评估。
- **ESG 认可：**认证是对机构在导师辅导方面所承担社会责任的认可。
- **标志：**经认证的项目将获得证书，并可在认证有效期内使用 IPMA 认证标志；项目会列入公开[名录](/directory/)。

认证有效期为五年，期间每年提交一次报告，期满后续期。
"""),
    "who-can-join": ("谁可以加入", "凡是对导师辅导感兴趣的人，都可以成为会员。", """
本协会的会员资格向所有人开放。如果您属于以下人士，加入尤其值得：

- 导师项目或组织的代表，来自企业、政府、教育、社区或非营利领域；
- 导师项目负责人；
- 教育工作者，从中小学到研究生教育；
- 人力资源负责人或培训专业人士；
- 组织发展或员工发展负责人；
- 导师辅导研究人员、导师培训师或顾问；
- 导师、教练、学员或被指导者；
- 或者只是对导师辅导和本协会的使命感兴趣。

会员在认证、网络研讨会和年会上享受会员价，可阅读仅限会员的文章，并会收到通讯。详见[会员资格](/membership/)。
"""),
    "leadership": ("领导层", "本协会如何领导。", """
本协会由**理事会**领导。理事会有 10 至 15 名成员，最多可达二十名。理事会每年至少召开两次会议，也可在两次会议之间作出决定。

**执行委员会**由理事会选举产生的高级职员组成：会长、候任会长和秘书长兼司库。高级职员任期两年。
"""),
}

# group slug: title
FAQ_GROUPS_ZH_HANS = {
    "accreditation": "关于认证",
    "certificate-holders": "面向持证人",
}

# entry slug: (question, answer)
FAQ_ENTRIES_ZH_HANS = {
    "what-are-ipma-accreditations": (
        "什么是 IPMA 认证？",
        "IPMA 认证是依据国际标准、在四个级别之一上对您的专业导师技能和专业水平进行验证的资格认证。"),
    "why-choose-ipma": (
        "为什么选择 IPMA 认证？",
        "它表明您达到了严格的导师标准，能提升您的公信力，拓展您的职业人脉，并体现您对持续发展的投入。"),
    "which-level": (
        "哪个级别适合我？",
        "这取决于您的导师服务时数、从事导师工作的年限以及所受的培训。请比较各[级别](/levels/)及其要求。"),
    "already-certified": (
        "我已持有 IPMA 证书，接下来该做什么？",
        "通过[持续认证要求（CCR）计划](/pages/ccr-pdu/)保持证书有效：获得并申报 PDU，并在证书到期前续期。"
        "您也可以申请更高一级的认证。"),
    "how-long-valid": ("证书的有效期是多久？", "自签发之日起五年。"),
}


def _translate(row, values: dict[str, tuple[str, str]]) -> list[str]:
    """Set each field's Chinese (values: field -> (English as seeded, Chinese)); the names of the fields set."""
    changed = []
    for field, (english, chinese) in values.items():
        if (getattr(row, f"{field}_en") or "").strip() == english.strip() and not getattr(row, f"{field}_zh_hans"):
            setattr(row, f"{field}_zh_hans", chinese.strip())
            changed.append(f"{field}_zh_hans")
    return changed


def _save(row, values: dict[str, tuple[str, str]]) -> None:
    if changed := _translate(row, values):
        row.save(update_fields=changed)


def translate(apps, schema_editor):
    Page = apps.get_model("content", "Page")
    FaqGroup = apps.get_model("content", "FaqGroup")
    FaqEntry = apps.get_model("content", "FaqEntry")
    pages = {page.slug: page for page in Page.objects.filter(slug__in=PAGES_ZH_HANS)}
    for slug, _nav_group, _order, title, summary, body in SEEDED.PAGES:
        if (page := pages.get(slug)) is not None:
            title_zh, summary_zh, body_zh = PAGES_ZH_HANS[slug]
            _save(page, {"title": (title, title_zh), "summary": (summary, summary_zh), "body": (body, body_zh)})
    groups = {group.slug: group for group in FaqGroup.objects.filter(slug__in=FAQ_GROUPS_ZH_HANS)}
    entries = {entry.slug: entry for entry in FaqEntry.objects.filter(slug__in=FAQ_ENTRIES_ZH_HANS)}
    for group_slug, group_title, _position, seeded_entries in SEEDED.FAQ:
        if (group := groups.get(group_slug)) is not None:
            _save(group, {"title": (group_title, FAQ_GROUPS_ZH_HANS[group_slug])})
        for slug, question, answer in seeded_entries:
            if (entry := entries.get(slug)) is not None:
                question_zh, answer_zh = FAQ_ENTRIES_ZH_HANS[slug]
                _save(entry, {"question": (question, question_zh), "answer": (answer, answer_zh)})


class Migration(migrations.Migration):
    dependencies = [("content", "0003_seed_pages_and_faq")]
    operations = [migrations.RunPython(translate, migrations.RunPython.noop)]
