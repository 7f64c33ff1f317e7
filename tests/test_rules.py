"""Every rule's example sentence parses as its rule says: the rule files are data with tests."""

from __future__ import annotations

import re

import pytest

from etl.classify import classify_category, classify_status, find_departments, find_partners
from etl.metrics import find_metrics, metric_value
from etl.normalize import fold
from etl.reader import plain_text
from etl.rules import load_rules, read_rule_files
from etl.totals import stated_totals

RAW = read_rule_files()
RULES = load_rules()


def _structure_rules(node=None) -> list[dict]:
    """Every rule in structure.yaml: each dict that holds a pattern, wherever it sits."""
    node = RAW["structure"] if node is None else node
    if isinstance(node, dict):
        if "pattern" in node:
            return [node]
        return [r for v in node.values() for r in _structure_rules(v)]
    if isinstance(node, list):
        return [r for v in node for r in _structure_rules(v)]
    return []


STRUCTURE_RULES = _structure_rules()


def _ids(entries, key="id"):
    return [e[key] for e in entries]


def test_every_rule_has_id_description_and_example():
    groups = {
        "units": RAW["units"]["units"]
        + RAW["units"]["qualifiers"]
        + RAW["units"]["exclusions"]
        + RAW["units"]["roles"],
        "reader": RAW["reader"]["furniture"]
        + [RAW["reader"]["traditional"], RAW["reader"]["pinyin_gloss"]]
        + [RAW["reader"]["docx_numbering"]],
        "structure": STRUCTURE_RULES,
        "taxonomy": RAW["taxonomy"]["categories"],
        "status": RAW["status"]["rules"],
        "departments": RAW["departments"]["units"] + RAW["departments"]["partners"]["patterns"],
        "totals": RAW["totals"]["totals"]
        + RAW["totals"]["not_totals"]
        + RAW["totals"]["single_figure"]
        + RAW["totals"]["stated_counts"],
        "indicators": RAW["indicators"]["exclusions"],
        "status_cue": [RAW["status"]["default_cue"]],
        "ledger": RAW["ledger"]["columns"]
        + RAW["ledger"]["statuses"]
        + RAW["ledger"]["warnings"]
        + RAW["ledger"]["deadlines"]
        + RAW["ledger"]["sheets"]
        + RAW["ledger"]["totals"]
        + RAW["ledger"]["summary_columns"]
        + list(RAW["ledger"]["rows"].values())
        + [
            RAW["ledger"][key]
            for key in (
                "count_column",
                "title",
                "title_skip",
                "filled_date",
                "title_year",
                "area_sheet",
                "undated",
                "date_formats",
            )
        ],
        "warnings": RAW["warnings"]["warnings"],
    }
    for name, entries in groups.items():
        for e in entries:
            # A warning without fields has {} as its example arguments.
            assert e.get("id") and e.get("description") and e.get("example") is not None, (name, e)
    for e in RAW["indicators"]["indicators"]:
        assert e["code"] and e["description"] and e["example"] and e["zh"] and e["en"]


def test_headline_indicators_are_catalogue_codes_in_the_order_shown():
    from views.vocabulary import headline_indicators

    (rule,) = RAW["indicators"]["headline"]
    assert rule["id"] and rule["description"]
    catalogue = {i.code: i for i in RULES.indicators}
    codes = headline_indicators()
    assert codes == (
        "gas_hazards_closed",
        "heating_network_renovated",
        "funds_recovered",
        "rules_revised",
    )
    assert len(set(codes)) == len(codes) and set(codes) <= set(catalogue)
    # The example names them as the overview shows them, in the same order.
    names = [catalogue[c].zh for c in codes]
    assert [n for n in names if n in rule["example"]] == names
    assert sorted(names, key=rule["example"].index) == names


@pytest.mark.parametrize(
    "rule", RAW["units"]["units"] + RAW["units"]["qualifiers"], ids=lambda r: r["id"]
)
def test_unit_and_qualifier_examples(rule):
    found = find_metrics(fold(rule["example"]), RULES)
    assert found, rule["example"]
    m = found[-1]
    want = rule["expect"]
    assert metric_value(m) == pytest.approx(want["value"])
    assert (m.unit, m.unit_normalized, m.qualifier) == (
        want["unit"],
        want["unit_normalized"],
        want["qualifier"],
    )


@pytest.mark.parametrize("rule", RAW["units"]["exclusions"], ids=lambda r: r["id"])
def test_exclusion_examples(rule):
    values = [metric_value(m) for m in find_metrics(fold(rule["example"]), RULES)]
    assert values == rule["expect_values"]


@pytest.mark.parametrize("rule", RAW["reader"]["furniture"], ids=lambda r: r["id"])
def test_furniture_examples_are_dropped(rule):
    assert (
        plain_text(["正文第一段。", rule["example"], "正文第二段。"])
        == "正文第一段。\n正文第二段。"
    )


def test_docx_numbering_example_draws_its_marker():
    from etl.docx_numbering import draw_count

    rule = RAW["reader"]["docx_numbering"]
    ex = rule["example"]
    count = draw_count(ex["count"], ex["format"], rule["formats"])
    assert ex["lvlText"].replace("%1", count) == rule["expect"]
    for name, spec in rule["formats"].items():  # every format writes its first count
        assert (draw_count(1, name, rule["formats"]) == "") == (spec["kind"] in ("none", "bullet"))


@pytest.mark.parametrize("key", ["traditional", "pinyin_gloss"])
def test_traditional_mirror_examples_fold_to_what_the_cues_read(key):
    rule = RAW["reader"][key]
    assert fold(rule["example"]) == rule["expect"]


@pytest.mark.parametrize("rule", RAW["taxonomy"]["categories"], ids=lambda r: r["id"])
def test_taxonomy_examples(rule):
    assert classify_category(fold(rule["example"]), RULES) == rule["id"]


@pytest.mark.parametrize(
    "rule", [r for r in RAW["status"]["rules"] if r.get("not_cues")], ids=lambda r: r["id"]
)
def test_status_not_cues_are_not_this_rules(rule):
    """Words a rule's cue must not be read in (an attributive 已完成的问题 says nothing done)."""
    for case in rule["not_cues"]:
        status, _cue = classify_status(fold(case["example"]), "findings", RULES)
        assert status == case["expect"] != rule["status"], case["example"]


@pytest.mark.parametrize("rule", RAW["status"]["rules"], ids=lambda r: r["id"])
def test_status_examples(rule):
    from etl.classify import status_decision

    section = (rule.get("sections") or ["findings"])[0]
    status, _cue = classify_status(fold(rule["example"]), section, RULES)
    assert status == rule["status"]
    if rule.get("default"):  # where no words decide, the cue names the rule in both languages
        decided = status_decision("", section, RULES)
        assert decided.default and decided.status == rule["status"]
        assert decided.rule == rule["id"] and rule["zh"] and rule["description"]
        assert rule["id"] in decided.cue and rule["zh"] in decided.cue
        assert rule["description"] in decided.cue


def test_default_cue_example():
    from etl.classify import default_cue

    rule = RAW["status"]["default_cue"]
    (named,) = [r for r in RULES.status_rules if r.id == rule["example"]]
    assert default_cue(named, RULES) == rule["expect"]


@pytest.mark.parametrize("rule", RAW["departments"]["units"], ids=lambda r: r["id"])
def test_department_examples(rule):
    assert rule["name"] in find_departments(fold(rule["example"]), RULES)


def test_own_body_words_example():
    rule = RAW["departments"]["own_body_words"]
    assert find_departments(fold(rule["example"]), RULES, rule["home"]) == rule["expect"]


@pytest.mark.parametrize("rule", RAW["departments"]["partners"]["patterns"], ids=lambda r: r["id"])
def test_partner_examples(rule):
    assert rule["expect"] in find_partners(fold(rule["example"]), [], RULES)


def _examples(rule: dict) -> list[tuple[str, object]]:
    """A rule's example and expectation, and those of its `also` list."""
    return [(rule["example"], rule["expect"])] + [
        (a["example"], a["expect"]) for a in rule.get("also", [])
    ]


@pytest.mark.parametrize("rule", RAW["indicators"]["indicators"], ids=lambda r: r["code"])
def test_indicator_examples(rule):
    from etl.classify import match_indicator

    for example, expect in _examples(rule):
        text = fold(example)
        hits = [
            (metric_value(m), match_indicator(m, text, RULES)) for m in find_metrics(text, RULES)
        ]
        assert (pytest.approx(expect), rule["code"]) in [(v, c) for v, c in hits], example


@pytest.mark.parametrize("rule", RAW["indicators"]["exclusions"], ids=lambda r: r["id"])
def test_indicator_exclusion_examples(rule):
    """Each figure of the example feeds the indicator listed for it (null: none); the rule
    itself is what keeps the excluded one out."""
    from etl.classify import match_indicator

    text = fold(rule["example"])
    got = [match_indicator(m, text, RULES) for m in find_metrics(text, RULES)]
    assert got == rule["expect"]
    assert rule["indicator"] in rule["expect"] and None in rule["expect"]


@pytest.mark.parametrize("rule", RAW["totals"]["stated_counts"], ids=lambda r: r["id"])
def test_stated_count_examples(rule):
    """In a sentence stating the problems, their counts are the report's stated totals
    (role `stated`), the other figures of the sentence stay results."""
    from etl.totals import in_spans, stated_count_spans

    for example, expect in _examples(rule):
        text = fold(example)
        spans = stated_count_spans(text, RULES)
        roles = [
            "stated" if in_spans(spans, m.start, m.end) else m.role
            for m in find_metrics(text, RULES)
        ]
        assert roles == expect, example


def test_a_count_of_problems_outside_a_totals_sentence_is_not_a_stated_total():
    from etl.totals import stated_count_spans

    assert stated_count_spans(fold("燃气隐患已整改108项,已完成整改12个点位"), RULES) == []


@pytest.mark.parametrize("rule", RAW["totals"]["totals"], ids=lambda r: r["id"])
def test_totals_examples(rule):
    for example, expect in _examples(rule):
        got = stated_totals(fold(example), RULES)[rule["key"]]
        assert got == pytest.approx(expect), example


@pytest.mark.parametrize("rule", RAW["structure"]["markers"], ids=lambda r: r["id"])
def test_marker_examples(rule):
    from etl.skeleton import _marker

    marked = _marker(fold(rule["example"]), RULES)
    assert marked and marked[0] == rule["id"]


def test_structure_has_no_bare_pattern():
    """Every pattern in structure.yaml sits in a rule with its id, description and example:
    no string stands anywhere else than in one of those fields."""
    fields = {"id", "pattern", "description", "example", "expect", "level", "alone"}

    def bare(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                if isinstance(value, str | int) and key not in fields:
                    yield f"{path}.{key}"
                yield from bare(value, f"{path}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                if isinstance(value, str):
                    yield f"{path}[{i}]"
                yield from bare(value, f"{path}[{i}]")

    assert list(bare(RAW["structure"], "structure")) == []
    for rule in STRUCTURE_RULES:
        assert rule.get("id") and rule.get("description") and rule.get("example"), rule


@pytest.mark.parametrize("rule", STRUCTURE_RULES, ids=lambda r: r["id"])
def test_structure_patterns_match_their_examples(rule):
    """Each pattern finds its example; `expect` is its first group (or the match, or a
    count of matches when it is a number) unless a parser test below reads it otherwise."""
    import re

    rx = re.compile(rule["pattern"])
    example = fold(rule["example"])
    m = rx.search(example)
    assert m, (rule["id"], example)
    want = rule.get("expect")
    parsed = ("suffix", "prefix", "quoted", "title_label", "body_label", "status_line")
    if want is None or rule["id"] in parsed:
        return
    if isinstance(want, int):
        assert len(list(rx.finditer(example))) == want
    else:
        assert (m.group(1) if rx.groups else m.group(0)) == want


@pytest.mark.parametrize("key", ["quoted", "suffix", "prefix", "label"])
def test_title_examples(key):
    from etl.skeleton import finding_title

    rule = RAW["structure"]["titles"][key]
    assert finding_title(fold(rule["example"]), RULES)[0] == rule["expect"]


def test_body_label_and_status_line_examples():
    label, status = RAW["structure"]["body_labels"], RAW["structure"]["status_line"]
    m = RULES.rx("body_labels").match(fold(label["example"]))
    assert fold(label["example"])[m.end() :] == label["expect"]
    assert RULES.rx("status_line").match(status["example"]).group(2) == status["expect"]


@pytest.mark.parametrize("rule", RAW["structure"]["finding_cues"], ids=lambda r: r["id"])
def test_finding_cue_examples_read_as_findings(rule):
    from etl.skeleton import finding_score, organisation_score

    heading = fold(rule["example"]).split("、", 1)[-1].split(")", 1)[-1]
    assert finding_score(heading, RULES) >= 1
    assert organisation_score(heading, RULES) == 0


@pytest.mark.parametrize("rule", RAW["structure"]["organisation_cues"], ids=lambda r: r["id"])
def test_organisation_cue_examples_read_as_organisation(rule):
    from etl.skeleton import finding_score, organisation_score

    heading = fold(rule["example"]).split("、", 1)[-1].split(")", 1)[-1]
    assert organisation_score(heading, RULES) >= 1
    assert finding_score(heading, RULES) == 0


@pytest.mark.parametrize("rule", RAW["structure"]["tail_parts"], ids=lambda r: r["id"])
def test_tail_part_examples(rule):
    from etl.skeleton import _tail_part

    assert _tail_part(fold(rule["example"]), RULES) == rule["id"]


@pytest.mark.parametrize("rule", RAW["units"]["roles"], ids=lambda r: r["id"])
def test_role_examples(rule):
    """Each figure of the example has the role `expect` lists; targets feed no indicator."""
    from etl.classify import match_indicator

    for entry in [rule, *rule.get("also", [])]:
        text = fold(entry["example"])
        found = find_metrics(text, RULES)
        assert [m.role for m in found] == entry["expect"], entry["example"]
        indicators = [match_indicator(m, text, RULES) for m in found]
        assert all(i is None for m, i in zip(found, indicators, strict=True) if m.role == "target")
        if "expect_indicators" in entry:
            assert indicators == entry["expect_indicators"], entry["example"]


def test_a_target_and_its_progress_count_once():
    from etl.extract import extract

    x = extract(
        "一、反馈问题整改情况\n1.关于“违规发放补贴”的问题\n"
        "整改情况:追缴违规资金15.6万元,已追缴12.3万元。\n"
    )
    funds = [mt for mt in x.metrics if mt.indicator == "funds_recovered"]
    assert [mt.value for mt in funds] == [123000]
    assert [mt.role for mt in x.metrics] == ["target", "result"]


def test_a_result_after_the_count_found_feeds_its_indicator_once(tmp_path):
    """排查燃气隐患150处，整改完成120处 (full-width comma, as reports are written): 150 is
    owed, 120 is done and counts for the hazards the first clause names, in its own unit,
    through a real load; places checked and their own things fixed stay as they were."""
    from conftest import loaded_indicator_totals

    from etl.extract import extract

    text = (
        "一、反馈问题整改情况\n1.关于“燃气安全监管不到位”的问题\n"
        "整改情况:开展燃气安全专项检查，排查燃气隐患150处，整改完成120处。"
        "摸排燃气隐患40处，已整改36个。检查燃气企业50处，整改完成12处。\n"
    )
    x = extract(text)
    assert [(mt.raw, mt.role, mt.unit, mt.indicator) for mt in x.metrics] == [
        ("150处", "target", "处", None),
        ("120处", "result", "处", "gas_hazards_closed"),
        ("40处", "target", "处", None),
        ("36个", "result", "个", "gas_hazards_closed"),
        ("50处", "result", "处", None),  # places checked: work done, not owed
        ("12处", "result", "处", None),  # names nothing found before it: no hazards
    ]
    totals = loaded_indicator_totals(tmp_path, text, "燃气.txt")
    assert totals.loc["gas_hazards_closed", "total"] == 156
    assert totals.loc["gas_hazards_closed", "n_metrics"] == 2


@pytest.mark.parametrize("rule", RAW["totals"]["single_figure"], ids=lambda r: r["id"])
def test_single_figure_examples(rule):
    """Each figure of the example is one of its kind; together they state no one total."""
    import re

    example = fold(rule["example"])
    assert len(re.findall(rule["pattern"], example)) == rule["expect"]
    assert stated_totals(example, RULES)[rule["key"]] is None


@pytest.mark.parametrize("rule", RAW["totals"]["not_totals"], ids=lambda r: r["id"])
def test_not_totals_examples_give_no_total(rule):
    assert not any(stated_totals(fold(rule["example"]), RULES).values())


@pytest.mark.parametrize("rule", RAW["structure"]["sections"], ids=lambda r: r["id"])
def test_section_examples(rule):
    from etl.skeleton import classify_heading

    assert classify_heading(rule["example"].split("、", 1)[1], RULES) == rule["id"]


def test_category_scores_equal_counting_each_keyword(seed_extraction):
    """The one-scan scoring gives what counting every keyword separately gives."""
    from etl.classify import category_scores

    def naive(text):
        scores = dict.fromkeys((c.id for c in RULES.categories), 0.0)
        for c in RULES.categories:
            for keyword, weight in c.keywords:
                scores[c.id] += weight * text.count(keyword)
        return scores

    texts = [m.text for m in seed_extraction.measures] + [f.title for f in seed_extraction.findings]
    texts.append("提升城市治理现代化水平,安全生产和国有资产管理")
    for text in texts:
        assert category_scores(fold(text), RULES) == pytest.approx(naive(fold(text)))


def test_an_older_rules_folder_falls_back_to_the_bundled_later_files(tmp_path):
    import shutil

    from etl.rules import LATER_FILES, RULE_FILES, RULES_DIR

    for name in RULE_FILES:
        if name not in LATER_FILES:
            shutil.copy(RULES_DIR / f"{name}.yaml", tmp_path / f"{name}.yaml")
    raw = read_rule_files(tmp_path)
    assert raw["ledger"] == RAW["ledger"] and raw["compare"] == RAW["compare"]


@pytest.mark.parametrize("entry", RAW["warnings"]["warnings"], ids=lambda e: e["id"])
def test_warning_messages_render_in_both_languages(entry):
    from etl.warnings import render, warn

    w = warn(entry["id"], **entry["example"])
    assert w.code == entry["id"] and w.args == entry["example"]
    for lang in ("zh", "en"):
        text = render(entry["id"], entry["example"], lang)
        assert text and "{" not in text
        for value in entry["example"].values():
            assert str(value) in text


@pytest.mark.parametrize(
    "entry", [e for e in RAW["warnings"]["warnings"] if "recount" in e], ids=lambda e: e["id"]
)
def test_recounted_warnings_say_both_counts_only_when_they_differ(entry):
    from etl.warnings import recounted, render

    recount = entry["recount"]
    assert recounted()[entry["id"]] in {s.id for s in RULES.statuses}
    for lang in ("zh", "en"):
        both = render(entry["id"], recount["example"], lang)
        assert both == recount[lang].format(**recount["example"]) and "{" not in both
        same = {**recount["example"], "now": recount["example"]["n"]}
        assert render(entry["id"], same, lang) == render(entry["id"], entry["example"], lang)


def test_warnings_corrections_settle_name_known_statuses_and_settle_only_then():
    """rules/warnings.yaml `recount` and `measure_status`: a known status each; a report's
    count settles when no measure has the status, a measure's warning when its measure
    has another status (or it lies in none: then never)."""
    from etl.warnings import is_settled, settled_by

    settle = settled_by()
    assert settle["status_unknown"] == ("report", "unknown")
    assert settle["ledger_status_blank"] == ("measure", "unknown")
    assert {s for _k, s in settle.values()} <= {s.id for s in RULES.statuses}
    assert is_settled("status_unknown", {"completed": 3}, None)
    assert not is_settled("status_unknown", {"completed": 2, "unknown": 1}, "completed")
    assert is_settled("ledger_status_blank", {"unknown": 2}, "in_progress")
    assert not is_settled("ledger_status_blank", {}, "unknown")
    assert not is_settled("ledger_status_blank", {}, None)
    assert not is_settled("stated_vs_counted", {}, "completed")


# What each warning asks of a person: `review` where a number may be wrong or missing until
# someone checks it, `info` where the reader did as it should and says so.
INFO_CODES = {
    "ledger_sheets_read",
    "ledger_sheet_hidden",
    "ledger_sheet_cover",
    "ledger_sheet_instructions",
    "ledger_sheet_summary",
    "ledger_sheet_duplicate",
    "ledger_total_row",
    "ledger_note_row",
    "ledger_header_repeated",
    "ledger_departments_from_text",
    "ledger_departments_from_text_no_body",
    "header_missing",
    "status_default",
}


@pytest.mark.parametrize("entry", RAW["warnings"]["warnings"], ids=lambda e: e["id"])
def test_every_warning_has_a_level(entry):
    from etl.warnings import LEVELS, level_of, warn

    if "level_from" in entry:  # takes the level of the code an argument names
        field = entry["level_from"]
        assert field in entry["example"] and "level" not in entry
        named = entry["example"][field]
        assert warn(entry["id"], **entry["example"]).level == level_of(named)
        return
    assert entry["level"] in LEVELS
    assert entry["level"] == ("info" if entry["id"] in INFO_CODES else "review")
    assert warn(entry["id"], **entry["example"]).level == entry["level"]


def test_more_warnings_of_a_kind_take_that_kinds_level():
    from etl.warnings import warn

    assert warn("ledger_more", kind="ledger_status_blank", n=120).level == "review"
    assert warn("ledger_more", kind="ledger_total_row", n=3).level == "info"
    assert warn("ledger_more", kind="no_such_code", n=3).level == "review"


def test_an_unknown_warning_code_is_refused():
    from etl.warnings import warn

    with pytest.raises(KeyError):
        warn("no_such_code")


def test_party_organ_suffix_example():
    from etl.classify import unit_without_party_organ

    rule = RAW["departments"]["party_organ_suffix"]
    assert rule["id"] and rule["description"]
    assert unit_without_party_organ(rule["example"], RULES) == rule["expect"]
    assert unit_without_party_organ("区园林绿化服务中心", RULES) == "区园林绿化服务中心"


def test_party_prefix_goes_with_the_party_organ():
    from etl.classify import own_offices, unit_without_party_organ

    rule = RAW["departments"]["party_prefix"]
    assert rule["id"] and rule["description"]
    assert unit_without_party_organ(rule["example"], RULES) == rule["expect"]
    # A body that is itself the party's keeps its name; so does a unit without an organ.
    assert unit_without_party_organ("中共某县县委", RULES) == "中共某县县委"
    assert own_offices("中国共产党某市水务局党委", RULES) == "某市水务局"


@pytest.mark.parametrize("entry", RAW["totals"]["reconcile"], ids=lambda e: e["id"])
def test_every_reconcile_rule_names_a_stated_total_and_a_count(entry):
    from etl.model import TOTAL_KEYS

    assert entry["key"] in TOTAL_KEYS and entry["description"] and entry["example"]
    kind, _, code = entry["counted"].partition(":")
    if kind == "indicator":
        assert code in {i.code for i in RULES.indicators}
    elif kind == "items_status":
        assert code in RULES.status_ids
    else:
        assert entry["counted"] in ("items", "items_done")


@pytest.mark.parametrize("entry", RAW["status"]["statuses"], ids=lambda e: e["id"])
def test_status_vocabulary_entries(entry):
    assert entry["zh"] and entry["en"] and entry["colour"].startswith("#") and entry["badge"]
    assert entry["description"] and entry["example"]
    # only what is finished counts as completed: nothing open is done
    assert not (entry["done"] and entry["open"])


def test_every_status_rule_decides_a_status_of_the_vocabulary():
    for rule in RAW["status"]["rules"] + RAW["ledger"]["statuses"]:
        assert rule["status"] in RULES.status_ids, rule["id"]


def test_folder_skip_leaves_hidden_and_lock_files_out_of_a_folder(tmp_path):
    from pipeline import expand_paths

    rule = RAW["reader"]["folder_skip"]
    assert rule["id"] and rule["description"]
    assert RULES.raw["reader"]["folder_skip"] and re.match(rule["pattern"], rule["example"])
    for name in ("台账.xlsx", rule["example"], ".DS_Store.txt", "._台账.xlsx", "sub/r.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "r.txt").write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in expand_paths([tmp_path])] == [
        "sub/r.txt",
        "台账.xlsx",
    ]
    # A file named on its own is read, whatever its name.
    assert expand_paths([tmp_path / rule["example"]]) == [tmp_path / rule["example"]]


def test_garbled_example_reads_as_one_of_its_encodings():
    from etl.reader import decode_bytes

    rule = RAW["reader"]["garbled"]
    assert rule["id"] and rule["description"] and 0 < rule["private_use_share"] < 1
    raw = rule["example"].encode(rule["try"][0])
    assert decode_bytes(raw) == (rule["try"][0], rule["example"])


def test_counts_of_tasks_are_no_stated_totals_of_problems():
    rule = RAW["totals"]["counts_of_tasks"]
    assert rule["id"] and rule["description"]
    for example, expect in _examples(rule):
        got = {k: v for k, v in stated_totals(fold(example), RULES).items() if v is not None}
        assert got == expect, example


@pytest.mark.parametrize(
    "entry", [e for e in RAW["warnings"]["warnings"] if "settled" in e], ids=lambda e: e["id"]
)
def test_a_settled_warning_says_it_was_corrected_by_hand(entry):
    """rules/warnings.yaml `settled`: the wording of a warning a correction settled, for a
    warning said of its measure's status (`measure_status`) only."""
    from etl.warnings import render

    assert entry.get("measure_status")
    for lang, said in (("zh", "已人工更正"), ("en", "corrected by hand")):
        settled = render(entry["id"], {**entry["example"], "settled": True}, lang)
        assert settled == entry["settled"][lang].format(**entry["example"]) and said in settled
        assert render(entry["id"], entry["example"], lang) == entry[lang].format(**entry["example"])
