"""JSON records as real dumps write them (issue 11): parsed before Unicode
normalisation, field names in the wild (``data``, ``article_url``,
``target_timestamp``, Korean public-data names), date shapes, a file with no
known text field that says which fields it has, ``import --field``, and a
summary line that counts every rejected record.

The records are invented, shaped like the real ones.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import PYTHON, rewrite, subprocess_env
from pressreader import cli, ingest
from pressreader.ingest import RejectedInput, records
from pressreader.ingest.feed import iso_date
from pressreader.library import Library, loading

OPENS = "The ministry opened a new regional office in the northern province on Monday."
CLOSES = "The ministry closed its old regional office in the southern province on Tuesday."
TALKS = "The foreign minister held talks with her counterpart on trade and energy."


def _load(text: str, suffix: str = ".json", **kwargs: object) -> ingest.Loaded:
    return ingest.load_text(text, suffix=suffix, **kwargs)  # type: ignore[arg-type]


def _texts(loaded: ingest.Loaded) -> list[str]:
    return [" ".join(p.text for p in article.paragraphs) for article in loaded.articles]


# ------------------------------------------------------- parse, then normalise


def test_an_escape_followed_by_a_combining_mark_is_valid_json() -> None:
    # "\n" then U+0307: NFC of the raw text made it "\ṅ", an invalid escape.
    text = '[{"title": "Office opens", "text": "' + OPENS + '\\n\u0307 More follows."}]'
    loaded = _load(text)
    (article,) = loaded.articles
    assert article.title == "Office opens"
    assert article.paragraphs[0].text.startswith(OPENS)
    assert not loaded.problems


def test_json_lines_with_the_same_escape_lose_no_line() -> None:
    lines = [
        json.dumps({"title": "One", "text": OPENS}),
        '{"title": "Two", "text": "' + CLOSES + '\\t\u0301"}',
        json.dumps({"title": "Three", "text": TALKS}),
    ]
    loaded = _load("\n".join(lines) + "\n", suffix=".jsonl")
    assert [article.title for article in loaded.articles] == ["One", "Two", "Three"]
    assert loaded.problems == []


def test_values_are_normalised_after_parsing() -> None:
    decomposed = "Cafe\u0301 talks"  # e + combining acute: NFC makes it é
    record = {"title": decomposed, "text": OPENS, "source": decomposed, "tags": [decomposed]}
    (article,) = _load(json.dumps(record, ensure_ascii=False)).articles
    assert article.title == article.source == "Café talks"
    assert article.tags == ("Café talks",)


def test_an_escape_sequence_in_a_value_does_not_swallow_the_next_field() -> None:
    # A raw OSC introducer in one value and a BEL in the next: cleaning the whole
    # document first took everything between them, the text field's name with it.
    text = '{"title": "\x1b]0;x", "text": "' + OPENS + '\x07"}'
    (article,) = _load(text).articles
    assert article.paragraphs[0].text == OPENS
    assert "\x1b" not in article.title and "\x07" not in article.paragraphs[0].text


def test_control_characters_between_records_are_still_dropped() -> None:
    text = (
        '[{"title": "One", "text": "' + OPENS + '"},\x00 {"title": "Two", "text": "' + CLOSES + '"}]\x00\x00'
    )
    assert [article.title for article in _load(text).articles] == ["One", "Two"]


def test_escapes_decoded_from_json_never_reach_the_article() -> None:
    record = {"title": "[bold red]x[/ \u001b[31mred", "text": OPENS + " \u001b]0;pwned\u0007 \u0000end."}
    (article,) = _load(json.dumps(record)).articles
    for value in (article.title, *(p.text for p in article.paragraphs)):
        assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in value), value
    assert article.title == "[bold red]x[/ red"


def test_yaml_front_matter_is_parsed_before_normalisation_and_without_controls() -> None:
    page = (
        '---\ntitle: "Talks in Seoul\\n\u0307"\nsource: "Press\x00 Office"\ndate: 2024-05-14\n---\n\n' + TALKS
    )
    (article,) = _load(page, suffix=".md").articles
    assert article.title.startswith("Talks in Seoul")
    assert article.source == "Press Office"
    assert article.date == "2024-05-14"


# ------------------------------------------------------------ field names


def test_a_dump_with_data_article_url_and_target_timestamp() -> None:
    dump = {
        "status": "ok",
        "message": "success",  # an API's status, not a release's text
        "data": [
            {
                "id": 1,
                "news_title": "Office opens",
                "data": OPENS,
                "article_url": "https://ministry.example.gov/news/1",
                "target_timestamp": 1691491737000,
            },
            {
                "id": 2,
                "subject": "Office closes",
                "data": CLOSES,
                "source_url": "https://ministry.example.gov/news/2",
                "version_date": "20230809105537",
            },
        ],
    }
    drafts = records.parse(json.dumps(dump))
    assert [(d.title, d.url, d.date) for d in drafts if isinstance(d, ingest.Draft)] == [
        ("Office opens", "https://ministry.example.gov/news/1", "2023-08-08"),
        ("Office closes", "https://ministry.example.gov/news/2", "2023-08-09"),
    ]


def test_a_wrapper_beside_a_description_is_still_a_wrapper() -> None:
    feed = {
        "title": "Ministry",
        "description": "All our releases.",
        "items": [{"story": OPENS, "issued": "2023.08.08"}],
    }
    (draft,) = records.parse(json.dumps(feed))
    assert isinstance(draft, ingest.Draft)
    assert (draft.paragraphs, draft.date) == ([OPENS], "2023-08-08")


def test_the_data_go_kr_response_shape() -> None:
    response = {
        "response": {
            "header": {"resultCode": "00", "resultMsg": "NORMAL SERVICE."},
            "body": {
                "items": {
                    "item": [
                        {"title": "보도자료", "DataContents": OPENS, "ApproveDate": "08/08/2023 10:55:37"}
                    ]
                }
            },
        }
    }
    (draft,) = records.parse(json.dumps(response, ensure_ascii=False))
    assert isinstance(draft, ingest.Draft)
    assert (draft.title, draft.paragraphs, draft.date) == ("보도자료", [OPENS], "2023-08-08")


def test_korean_public_data_field_names() -> None:
    record = {
        "제목": "금융위원회, 비대면 계좌 개설 허용",
        "내용": (
            "금융위원회는 오늘 비대면 실명확인 방식을 허용한다고 밝혔습니다. "
            "은행과 증권사는 이를 바로 적용할 수 있습니다."
        ),
        "등록일": "2023년 8월 8일",
        "기관명": "금융위원회",
        "링크": "https://www.fsc.go.kr/no010101/71573",
        "키워드": "금융, 계좌",
    }
    (article,) = _load(json.dumps([record], ensure_ascii=False)).articles
    assert article.title == "금융위원회, 비대면 계좌 개설 허용"
    assert (article.date, article.source, article.url) == (
        "2023-08-08",
        "금융위원회",
        "https://www.fsc.go.kr/no010101/71573",
    )
    assert article.tags == ("금융", "계좌")


def test_the_korean_package_shape_is_dated_by_version_date() -> None:
    record = {
        "doc_id": "보도자료_71573",
        "source": "fsc_crawler",
        "title": "이제 집이나 직장에서 계좌를 열 수 있습니다.",
        "text": (
            "제목: 이제 집이나 직장에서 계좌를 열 수 있습니다.\n\n"
            "금융위원회는 비대면 실명확인 방식을 허용한다고 밝혔습니다."
        ),
        "version_date": "2015-05-18",
        "collected_at": "2026-08-08",
        "url": "https://www.fsc.go.kr/no010101/71573",
    }
    (article,) = _load(json.dumps(record, ensure_ascii=False)).articles
    assert article.date == "2015-05-18"  # the release's, not the crawl's


def test_a_string_data_field_is_text_and_a_list_one_a_wrapper() -> None:
    (draft,) = records.parse(json.dumps({"title": "One", "data": OPENS}))
    assert isinstance(draft, ingest.Draft) and draft.paragraphs == [OPENS]
    wrapped = records.parse(
        json.dumps({"data": [{"title": "One", "text": OPENS}, {"title": "Two", "text": CLOSES}]})
    )
    assert [d.title for d in wrapped if isinstance(d, ingest.Draft)] == ["One", "Two"]


def test_author_is_not_the_source() -> None:
    (draft,) = records.parse(
        json.dumps({"text": OPENS, "author": "admin", "organization": "Ministry of Energy"})
    )
    assert isinstance(draft, ingest.Draft) and draft.source == "Ministry of Energy"


# ----------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("20230808105537", "2023-08-08"),
        (20230808105537, "2023-08-08"),
        ("202308081055", "2023-08-08"),
        ("20230808", "2023-08-08"),
        (20230808, "2023-08-08"),
        (20230808.0, "2023-08-08"),  # a number a spreadsheet wrote as a float
        ("2023.08.08", "2023-08-08"),
        ("2023. 8. 8.", "2023-08-08"),
        ("2023/08/08 10:55", "2023-08-08"),
        ("2023-8-8", "2023-08-08"),
        ("2023년 8월 8일 (화) 오전 10:55", "2023-08-08"),
        ("2023年8月8日", "2023-08-08"),
        ("2023年08月08日 10時55分", "2023-08-08"),
        (1691491737, "2023-08-08"),
        ("1691491737", "2023-08-08"),
        (1691491737000, "2023-08-08"),  # milliseconds
        ("1691491737000", "2023-08-08"),
        (1691491737.25, "2023-08-08"),
        ("Tue, 08 Aug 2023 10:55:37 +0900", "2023-08-08"),
        ("2023-08-08T23:30:00-05:00", "2023-08-08"),  # the date as written
        ("2023-08-08 10:55:37 KST", "2023-08-08"),
        ("WASHINGTON, Aug. 8, 2023 /PRNewswire/", "2023-08-08"),
        # impossible or incomplete: no date rather than a wrong one
        ("20231340", ""),
        ("20230230", ""),
        ("20230808256000", ""),  # hour 25
        ("2023-02-30", ""),
        ("2023년 13월 1일", ""),
        ("2023", ""),
        (2023, ""),
        ("August 2023", ""),  # dateutil would take today's day
        ("May 2023 report 12", ""),
        (0, ""),
        (-1, ""),
        (42, ""),
        ("0", ""),
        (float("nan"), ""),
        (10**30, ""),
    ],
)
def test_date_shapes(value: object, expected: str) -> None:
    assert iso_date(value) == expected


def test_a_mongo_export_date() -> None:
    record = {"text": OPENS, "createdAt": {"$date": {"$numberLong": "1691491737000"}}}
    (draft,) = records.parse(json.dumps(record))
    assert isinstance(draft, ingest.Draft) and draft.date == "2023-08-08"


# ------------------------------------------------------ no known text field


def test_a_file_with_no_text_field_names_the_fields_it_has() -> None:
    rows = [{"id": n, "data_html": OPENS, "target_timestamp": 1691491737000 + n} for n in range(3)]
    rows[1]["extra"] = "x"
    with pytest.raises(RejectedInput) as caught:
        _load(json.dumps(rows))
    reason = caught.value.reason
    assert reason.startswith("no text (expected a text, body or content field; the records have: ")
    assert "id, data_html, target_timestamp, extra" in reason  # most common first
    assert "--field text=NAME" in reason


def test_json_lines_with_no_text_field_name_their_fields_too() -> None:
    lines = "\n".join(json.dumps({"uid": n, "payload": OPENS}) for n in range(2))
    with pytest.raises(RejectedInput, match=r"the records have: uid, payload;"):
        _load(lines, suffix=".jsonl")


def test_one_record_without_text_names_its_fields() -> None:
    with pytest.raises(RejectedInput, match=r"; the record has: id, blob;"):
        records.parse(json.dumps({"id": 1, "blob": OPENS}))


def test_a_mapping_names_the_text_field() -> None:
    rows = [{"id": 1, "data_html": f"<p>{OPENS}</p>", "meta": {"stamp": "20230808105537"}}]
    loaded = _load(json.dumps(rows), fields={"text": "data_html", "date": "meta.stamp"})
    (article,) = loaded.articles
    assert (article.paragraphs[0].text, article.date) == (OPENS, "2023-08-08")


def test_a_mapped_field_wins_over_the_usual_names() -> None:
    row = {
        "title": "Listing page",
        "heading": "Office opens",
        "text": OPENS,
        "Published": "2020-01-01",
        "reg_date": "2023.08.08",
    }
    (draft,) = records.parse(json.dumps(row), fields={"title": "heading", "date": "REG-DATE"})
    assert isinstance(draft, ingest.Draft)
    assert (draft.title, draft.date) == ("Office opens", "2023-08-08")


def test_a_mapping_with_an_unknown_role_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        records.parse(json.dumps({"text": OPENS}), fields={"body": "data"})


# ----------------------------------------------------- through the command line


def _cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        code = cli.main([str(arg) for arg in args])
    except SystemExit as leaving:
        code = leaving.code if isinstance(leaving.code, int) else 2
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _dump(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    rows = [
        {"id": 1, "data": OPENS, "target_timestamp": 1691491737000, "article_url": "https://m.example.gov/1"},
        {
            "id": 2,
            "data": CLOSES,
            "target_timestamp": "20230809105537",
            "article_url": "https://m.example.gov/2",
        },
    ]
    # "data" as a string is text, found by itself: this dump uses other names.
    renamed = [{"id": r["id"], "body_html_raw": r["data"], "ts": r["target_timestamp"]} for r in rows]
    (folder / "dump.json").write_text(json.dumps(renamed), encoding="utf-8")
    return folder


def test_field_option_maps_remembers_and_rebuild_keeps_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    folder, index = _dump(tmp_path / "dump"), tmp_path / "lib"
    code, out, _ = _cli(capsys, "import", folder, "--json", "--index", index)
    assert code == 1
    (item,) = json.loads(out)["files"]
    assert item["status"] == "rejected" and "the records have: id, body_html_raw, ts" in item["reason"]

    # The file has not changed: the new mapping alone makes it read again.
    code, out, _ = _cli(
        capsys,
        "import",
        folder,
        "--field",
        "text=body_html_raw",
        "--field",
        "date=ts",
        "--json",
        "--index",
        index,
    )
    payload = json.loads(out)
    assert (code, payload["added"], payload["rejected"]) == (0, 1, 0)
    assert payload["files"][0]["articles"] == 2

    # Remembered: a plain import finds it unchanged, a changed file is read with the mapping.
    code, out, _ = _cli(capsys, "import", folder, "--json", "--index", index)
    assert (code, json.loads(out)["unchanged"]) == (0, 1)
    rewrite(folder / "dump.json", json.dumps([{"body_html_raw": TALKS, "ts": "2024年5月14日"}]))
    code, out, _ = _cli(capsys, "import", folder, "--json", "--index", index)
    assert (code, json.loads(out)["updated"]) == (0, 1)
    with Library.open(index) as library:
        assert [(hit.date, hit.title) for hit in library.search("minister").hits] == [
            ("2024-05-14", TALKS.rstrip("."))
        ]

    # A rebuild reads the file again with the mapping.
    code, out, _ = _cli(capsys, "rebuild", "--json", "--index", index)
    assert (code, json.loads(out)["articles"], json.loads(out)["rejected"]) == (0, 1, 0)
    with Library.open(index) as library:
        assert library.count() == 1 and library.search("minister").hits[0].date == "2024-05-14"

    # ROLE= goes back to the usual names: the file is read again, and rejected.
    code, out, _ = _cli(
        capsys, "import", folder, "--field", "text=", "--field", "date=", "--json", "--index", index
    )
    assert (code, json.loads(out)["rejected"]) == (1, 1)


def test_a_mapping_of_a_folder_reaches_the_worker_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(loading.WORKERS_ENV, "2")
    folder = tmp_path / "dump"
    folder.mkdir()
    for n in range(6):
        row = {"blob": f"Release number {n}: {OPENS}", "stamp": f"2023080{n + 1}"}
        (folder / f"r{n}.json").write_text(json.dumps([row]), encoding="utf-8")
    with Library.open(tmp_path / "lib") as library:
        report = library.import_paths([folder], fields={"text": "blob", "date": "stamp"})
        assert report.counts["added"] == 6, [(f.path, f.reason) for f in report.files]
        dates = sorted(hit.date for hit in library.search("release", limit=10).hits)
    assert dates == [f"2023-08-0{n + 1}" for n in range(6)]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("txt=data", "unknown role 'txt' (one of text, title, date, url, source, lang, tags)"),
        ("data", "expected ROLE=NAME"),
        ("=data", "expected ROLE=NAME"),
    ],
)
def test_a_bad_field_option_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str, message: str
) -> None:
    folder = _dump(tmp_path / "dump")
    code, out, err = _cli(capsys, "import", folder, "--field", option, "--index", tmp_path / "lib")
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "lib" / "fields.json").exists()


def test_two_fields_for_one_role_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = _dump(tmp_path / "dump")
    code, _, err = _cli(
        capsys, "import", folder, "--field", "text=a", "--field", "text=b", "--index", tmp_path / "lib"
    )
    assert code == 2 and "two fields for 'text'" in err


def test_the_real_entry_point_takes_field_options(tmp_path: Path) -> None:
    folder = _dump(tmp_path / "dump")
    done = subprocess.run(
        [
            PYTHON,
            "-m",
            "pressreader",
            "import",
            str(folder),
            "--field",
            "text=body_html_raw",
            "--json",
            "--index",
            str(tmp_path / "lib"),
        ],
        capture_output=True,
        env=subprocess_env(tmp_path),
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    payload = json.loads(done.stdout)
    assert (payload["added"], payload["files"][0]["articles"], payload["records_rejected"]) == (1, 2, 0)


# ------------------------------------------------------- the summary line


def test_the_summary_line_counts_rejected_records(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "lines"
    folder.mkdir()
    good = [json.dumps({"title": "One", "text": OPENS}), json.dumps({"title": "Two", "text": CLOSES})]
    (folder / "news.jsonl").write_text(f"{good[0]}\n{{not json\n{good[1]}\n", encoding="utf-8")
    index = tmp_path / "lib"

    code, out, _ = _cli(capsys, "import", folder, "--index", index)
    assert code == 1
    last = out.strip().splitlines()[-1]
    counts = "1 file(s): 1 added, 0 updated, 0 unchanged, 0 duplicate, 0 rejected"
    assert last == f"{counts}; 1 record(s) rejected in 1 of them"
    assert "record 2: not valid JSON" in out

    # The file has not changed: its rejected record is still reported, and counted.
    code, out, _ = _cli(capsys, "import", folder, "--json", "--index", index)
    payload = json.loads(out)
    assert (code, payload["unchanged"], payload["records_rejected"]) == (1, 1, 1)
    assert payload["files"][0]["records_rejected"] == 1
    assert "record 2: not valid JSON" in payload["files"][0]["reason"]


def test_a_clean_import_says_nothing_of_records(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "lines"
    folder.mkdir()
    (folder / "news.jsonl").write_text(json.dumps({"text": OPENS}) + "\n", encoding="utf-8")
    code, out, _ = _cli(capsys, "import", folder, "--index", tmp_path / "lib")
    assert code == 0 and "record" not in out.strip().splitlines()[-1]
    code, out, _ = _cli(capsys, "import", folder, "--json", "--index", tmp_path / "lib")
    assert (code, json.loads(out)["records_rejected"]) == (0, 0)


def test_records_keyed_by_their_ids() -> None:
    keyed = {
        "042bb7b5": {"articleBody": OPENS, "url": "https://m.example.gov/1"},
        "04a6711c": {"articleBody": CLOSES, "url": "https://m.example.gov/2"},
    }
    drafts = records.parse(json.dumps(keyed))
    assert [(d.record, d.url) for d in drafts if isinstance(d, ingest.Draft)] == [
        (1, "https://m.example.gov/1"),
        (2, "https://m.example.gov/2"),
    ]
    # Without text, the reason names the records' fields, not their ids.
    with pytest.raises(RejectedInput, match=r"the records have: blob, stamp;"):
        records.parse(json.dumps({"a1": {"blob": OPENS, "stamp": 1}, "b2": {"blob": CLOSES, "stamp": 2}}))


# ------------------------------------------- text fields as converters write them
def _paragraphs_of(text: str) -> list[str]:
    (article,) = _load(
        json.dumps({"title": "금융위원회 보도자료", "text": text}, ensure_ascii=False)
    ).articles
    return [p.text for p in article.paragraphs]


def test_html_escaped_into_fullwidth_brackets_is_read_as_html() -> None:
    # A Korean CMS turns "<" into "＜": the tags were shown and the release taken for English.
    text = (
        '＜p align="left"＞7월 5일 위원회에서 개최하는 세미나 관련 보도자료입니다.＜/p＞'
        "＜p＞＜br＞세부 내용은 첨부 파일을 참조하여 주시기 바랍니다.＜/p＞"
    )
    (article,) = _load(json.dumps({"title": "세미나 개최", "text": text}, ensure_ascii=False)).articles
    assert [p.text for p in article.paragraphs] == [
        "7월 5일 위원회에서 개최하는 세미나 관련 보도자료입니다.",
        "세부 내용은 첨부 파일을 참조하여 주시기 바랍니다.",
    ]
    assert article.lang == "ko"


def test_html_escaped_into_entities_is_read_as_html_and_a_bracketed_caption_stays() -> None:
    escaped = (
        "&lt;p&gt;The ministry opened an office.&lt;/p&gt;"
        "&lt;p&gt;Trade &amp;amp; energy were discussed.&lt;/p&gt;"
    )
    assert _paragraphs_of(escaped) == ["The ministry opened an office.", "Trade & energy were discussed."]
    # One escaped tag in a text about markup is that text; a bracketed caption names no element.
    assert _paragraphs_of("Never paste &lt;script&gt; into a form: the ministry's advice.") == [
        "Never paste <script> into a form: the ministry's advice."
    ]
    assert _paragraphs_of("&lt;AML 자격증별 취득자 추이 (명)&gt; 표를 참고하십시오.") == [
        "<AML 자격증별 취득자 추이 (명)> 표를 참고하십시오."
    ]


DOCLING = """제목: 저축은행 건전 발전방안 마련

## 모 두 말 씀

2026.2.23.( 월 ) 14:00 저축은행중앙회 회의실

<!-- image -->

| 구 분   |   첨단기금 | 민 간   |
|---------|------------|---------|
| 규모    |         50 | 25      |

※ KISA 누리집: [](https://www.kisa.or.kr/)www.kisa.or.kr, [보도자료](https://www.kisa.or.kr/402)

* 새출발기금 현장 점검 결과
** 채무자대리 지원실적
- 1 -
"""


def test_markdown_in_a_text_field_is_read_as_markdown() -> None:
    # What PDF and HWP converters write: headings, pipe tables, links, image comments.
    assert _paragraphs_of(DOCLING) == [
        "제목: 저축은행 건전 발전방안 마련",
        "모 두 말 씀",
        "2026.2.23.( 월 ) 14:00 저축은행중앙회 회의실",
        "구 분 · 첨단기금 · 민 간",
        "규모 · 50 · 25",
        "※ KISA 누리집: www.kisa.or.kr, 보도자료",
        # A footnote's star and a page number stay as written (list markers are text
        # here); a run of two stars goes with the rest of Markdown's emphasis markers.
        "* 새출발기금 현장 점검 결과 채무자대리 지원실적 - 1 -",
    ]


def test_a_few_inline_tags_keep_a_text_s_blank_line_paragraphs() -> None:
    text = f"{OPENS} <b>New</b>.\n\n{CLOSES}<!-- image -->\n\n{TALKS}"
    assert _paragraphs_of(text) == [f"{OPENS} New.", CLOSES, TALKS]


def test_a_long_hard_wrapped_attachment_is_split_into_its_items() -> None:
    lines = []
    for number in range(1, 13):
        lines += [
            f"○ 제{number}항 신용조회회사 또는 신용정보집중기관으로부터 개인신용정보를 제공받으려는 ",
            "자는 다음의 사항들을 알리고 서면 등의 방법으로 개인신용정보를 제공받을 ",
            "때마다 개별적으로 동의를 받아야 함",
        ]
    text = "[첨부: 가이드라인.pdf]\n" + "\n".join(lines)
    paragraphs = _paragraphs_of(text)
    assert len(paragraphs) == 12  # one paragraph an item (the attachment's name is dropped)
    assert paragraphs[0] == (
        "○ 제1항 신용조회회사 또는 신용정보집중기관으로부터 개인신용정보를 제공받으려는 자는 다음의 사항들을 "
        "알리고 서면 등의 방법으로 개인신용정보를 제공받을 때마다 개별적으로 동의를 받아야 함"
    )


def test_hard_wrapped_prose_splits_only_where_a_paragraph_ends() -> None:
    sentence = "The minister said the new office would serve exporters in the northern province. "
    wrapped = []
    for paragraph in range(6):
        words = (sentence * 4).split()
        line = ""
        for word in words:
            if len(line) + len(word) > 66:
                wrapped.append(line.rstrip())
                line = ""
            line += word + " "
        wrapped.append(f"{line.strip()} (part {paragraph}).")
    paragraphs = _paragraphs_of("\n".join(wrapped))
    assert len(paragraphs) == 6  # a full stop at the margin is not a paragraph's end
    assert all(p.endswith(f"(part {n}).") for n, p in enumerate(paragraphs))
