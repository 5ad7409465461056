"""Hostile and broken input: the API refuses it fast with problem+json or keeps legitimate text byte-exact, and the
text path (segmentation, offsets, the real Stanza pipeline) never crashes and never produces an invalid offset."""

from __future__ import annotations

import functools
import importlib.util
import io
import json
import socket
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis
from rq.job import Job
from rq.serializers import JSONSerializer
from stanza.models.tokenization import utils as tokenization_utils

from service.config import Settings
from service.offsets import to_utf16, utf16_table
from tests.integration.conftest import Stack
from tests.openapi_contract import validate_response, validate_schema
from workers import pipeline
from workers.article import BLOCK_KINDS, BOILERPLATE_KINDS, segment, utf16_offsets
from workers.config import WorkerSettings
from workers.pipeline import MAX_SENTENCE_WORDS
from workers.tasks import annotate

QUICK = 1.0  # seconds: a refusal must not make the client wait
LIMITS = Settings()
LINE_BREAKS = "\r\n\u2028\u2029"


def problem(response: Any, status: int, slug: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:500])
    assert response.mimetype == "application/problem+json"
    body = json.loads(response.get_data())
    assert body["status"] == status and body["title"] and body["detail"], body
    if slug:
        assert body["type"].endswith("/" + slug), body
    return body


def post_raw(client: FlaskClient, data: bytes | str, content_type: str | None = "application/json",
             path: str = "/v1/annotations", **kw: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    response = client.post(path, data=data, content_type=content_type, **kw)
    return response, time.perf_counter() - started


def stored_text(redis: Redis, job_id: str) -> str:
    """The text as a worker will receive it: through RQ's JSON serializer and Redis."""
    return Job.fetch(job_id, connection=redis, serializer=JSONSerializer).args[0]["text"]  # type: ignore[no-any-return]


# ------------------------------------------------------------------------------------------- sizes


def test_oversized_annotation_is_refused_from_its_content_length(client: FlaskClient) -> None:
    body = json.dumps({"text": "a" * LIMITS.max_annotation_bytes})
    response, took = post_raw(client, body)
    problem(response, 413, "payload-too-large")
    assert took < QUICK


def test_oversized_batch_is_refused_before_reading_the_body(client: FlaskClient) -> None:
    # A client that announces 1 GiB: the server answers from the header alone, it never reads (or waits for) it.
    started = time.perf_counter()
    response = client.post("/v1/batches", input_stream=_Unreadable(), content_type="application/json",
                           environ_overrides={"CONTENT_LENGTH": str(2**30)})
    problem(response, 413, "payload-too-large")
    assert time.perf_counter() - started < QUICK


class _Unreadable(io.BytesIO):
    def read(self, *_: Any) -> bytes:
        raise AssertionError("the body was read")

    readline = read  # type: ignore[assignment]


def test_text_over_the_limit_is_a_field_error_and_at_the_limit_is_accepted(client: FlaskClient) -> None:
    over = json.loads(post_raw(client, json.dumps({"text": "a" * 200_001}))[0].get_data())
    assert over["status"] == 422 and "text" in over["errors"], over
    # The worst case that must fit: 200,000 astral characters, each sent as a 12-byte surrogate-pair escape.
    response, took = post_raw(client, json.dumps({"text": "😀" * 200_000}))
    assert response.status_code == 202, response.get_data(as_text=True)[:300]
    assert took < 5


def test_oversized_bodies_through_gunicorn(bare_stack: Stack) -> None:
    """Over a real socket, with and without Content-Length (chunked): 413 problem+json, the server keeps serving."""
    big = json.dumps({"text": "a" * (LIMITS.max_annotation_bytes + 10)}).encode()
    for body in (big, _chunks(big)):
        started = time.perf_counter()
        response = bare_stack.http.post(f"{bare_stack.url}/v1/annotations", data=body,
                                 headers={"Content-Type": "application/json"}, timeout=30)
        assert response.status_code == 413, response.text[:300]
        assert response.headers["Content-Type"].startswith("application/problem+json")
        assert time.perf_counter() - started < 5
    assert bare_stack.http.get(f"{bare_stack.url}/v1/health", timeout=5).status_code == 200


def _chunks(data: bytes, size: int = 65536) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i:i + size]


def test_a_few_stalled_uploads_do_not_block_other_clients(bare_stack: Stack) -> None:
    """Slowloris: a request that announces a body and never sends it holds one gunicorn thread, not the server.

    gunicorn has API_THREADS (8) threads per process and no body-read timeout, so more stalled uploads than
    threads do block a process: docs/RELIABILITY.md says to put a buffering proxy in front."""
    port = int(bare_stack.url.rsplit(":", 1)[1])
    stalled = []
    for _ in range(4):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"POST /v1/annotations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 1000\r\n\r\n{\"text\": ")
        stalled.append(sock)
    try:
        started = time.perf_counter()
        response = bare_stack.http.post(f"{bare_stack.url}/v1/annotations", json={"text": "Masih dilayani."},
                                        timeout=10)
        assert response.status_code == 202 and time.perf_counter() - started < QUICK
    finally:
        for sock in stalled:
            sock.close()


# ---------------------------------------------------------------------------------- content types


@pytest.mark.parametrize("content_type", [
    None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
    "application/json-seq", "text/json", "application/javascript",
])
def test_not_json_is_415(client: FlaskClient, content_type: str | None) -> None:
    for path in ("/v1/annotations", "/v1/batches"):
        response, took = post_raw(client, '{"text": "Halo."}', content_type, path)
        problem(response, 415, "unsupported-media-type")
        assert took < QUICK


def test_json_with_parameters_or_a_suffix_is_json(client: FlaskClient) -> None:
    for content_type in ("application/json; charset=utf-8", "Application/JSON", "application/vnd.berita+json"):
        response, _ = post_raw(client, json.dumps({"text": f"Teks {content_type}."}), content_type)
        assert response.status_code == 202, (content_type, response.get_data(as_text=True))


# ------------------------------------------------------------------------------------ broken JSON


@pytest.mark.parametrize("body", [
    b"", b"{", b"{\"text\": }", b"{\"text\": \"a\",}", b"{'text': 'a'}", b"\x00", b"\x00{\"text\": \"a\"}",
    b"{\"text\": \"a\x00b\"}",  # a raw control character inside a string
    b"{\"text\": \"\xff\xfe\"}", b"{\"text\": \"\xc0\xaf\"}", b"{\"text\": \"\xf8\x88\x80\x80\x80\"}",  # not UTF-8
    b"{\"text\": \"a\"} {\"text\": \"b\"}", b"{\"text\": 1" + b"0" * 5000 + b"}",  # over Python's int digit limit
    b"[" * 100_000 + b"]" * 100_000, b"{\"a\":" * 100_000 + b"1" + b"}" * 100_000,
])
def test_malformed_json_is_400(client: FlaskClient, body: bytes) -> None:
    for path in ("/v1/annotations", "/v1/batches"):
        response, took = post_raw(client, body, path=path)
        problem(response, 400, "malformed-json")
        assert took < QUICK


@pytest.mark.parametrize("body", [b"null", b"[]", b"\"text\"", b"1", b"true", b"{\"text\": NaN}",
                                  b"{\"text\": Infinity}", b"{\"text\": [\"a\"]}", b"{\"text\": {}}"])
def test_well_formed_json_of_the_wrong_shape_is_422(client: FlaskClient, body: bytes) -> None:
    response, took = post_raw(client, body)
    problem(response, 422, "validation-error")
    assert took < QUICK


def test_deep_json_under_the_recursion_limit_is_a_field_error(client: FlaskClient) -> None:
    deep = "[" * 900 + "]" * 900
    for field in ("text", "title", "id", "tasks", "language"):
        response, took = post_raw(client, f'{{"text": "Halo.", "{field}": {deep}}}')
        body = problem(response, 422, "validation-error")
        assert field in body["errors"] and took < QUICK
    batch, _ = post_raw(client, f'{{"documents": [{deep}, {{"text": "Halo.", "title": {deep}}}, {{"text": "Ya."}}]}}',
                        path="/v1/batches")
    assert batch.status_code == 202
    statuses = [d["status"] for d in json.loads(batch.get_data())["jobs"]]
    assert statuses == ["rejected", "rejected", "queued"]


def test_hostile_headers_and_query_strings(client: FlaskClient) -> None:
    body = json.dumps({"text": "Halo."})
    for query in ("wait=%00", "wait=nan", "wait=inf", "wait=-0.1", "wait=30.5", "wait=1e400", "offsets=%ff",
                  "offsets=utf16%00"):
        response, took = post_raw(client, body, query_string=query)
        problem(response, 400, "invalid-parameter")
        assert took < QUICK
    for key in ("", "k" * 257):
        problem(post_raw(client, body, headers={"Idempotency-Key": key})[0], 422, "validation-error")
    for job_id in ("%00", "a:b", "x" * 5000, "%ED%A0%80", "*", "rq:job:x", "ann:workers:fake"):
        problem(client.get(f"/v1/jobs/{job_id}"), 404, "not-found")
        problem(client.get(f"/v1/batches/{job_id}"), 404, "not-found")
        problem(client.delete(f"/v1/jobs/{job_id}"), 404, "not-found")
    problem(client.get("/v1/jobs/..%2F..%2Fetc%2Fpasswd"), 404)  # no route: about:blank
    for page in ("page=0", "page=-1", "per_page=1001", "page=%00", "page=1e9999"):
        problem(client.get(f"/v1/batches/x?{page}"), 400, "invalid-parameter")


# ------------------------------------------------------------------- legitimate but unusual text


UNUSUAL = {
    "nul": "Teks dengan \x00 NUL di tengah.\x00",
    "lone high surrogate": "Jokowi \ud800 bertemu Kishida.",
    "lone low surrogate": "\udfff di awal, lalu Jakarta.",
    "reversed pair": "Pasangan terbalik \udc00\ud800 di sini.",
    "rtl": "Menlu Retno \u202eبغداد\u202c bertemu \u200fשלום\u200f di Doha.",
    "emoji zwj and flags": "Presiden 👩🏽‍⚖️ 🇮🇩 🇯🇵 tiba 😀.",
    "crlf and separators": "Baris satu.\r\nBaris dua.\rBaris tiga.\u2028Baris empat.\u2029\x85Akhir.",
    "bom and zero width": "\ufeffJakarta\u200b\u200c\u200d\u2060 hari ini.",
    "noncharacters": "A\ufffe\uffff\U0010ffff\U000e0001 B.",
    "combining": "Cafe\u0301 e\u0301\u0301\u0301\u0301 Z\u0351\u0352\u0353algo.",
}


@pytest.mark.parametrize("name", list(UNUSUAL))
def test_unusual_text_is_accepted_and_queued_byte_exact(client: FlaskClient, redis: Redis, name: str) -> None:
    text = UNUSUAL[name]
    payload = {"text": text, "id": f"id {text}", "title": text}
    response, took = post_raw(client, json.dumps(payload))  # ensure_ascii: lone surrogates travel as \u escapes
    assert response.status_code == 202, response.get_data(as_text=True)
    assert took < QUICK
    body = json.loads(response.get_data())
    validate_response("post", "/v1/annotations", 202, body)
    assert stored_text(redis, body["job_id"]) == text
    assert body["document_id"] == payload["id"]
    again = client.get(f"/v1/jobs/{body['job_id']}")
    assert again.status_code == 200 and json.loads(again.get_data())["document_id"] == payload["id"]


def test_a_surrogate_encoded_as_utf8_bytes_is_read_as_its_escape(client: FlaskClient, redis: Redis) -> None:
    """CESU-style bytes ED A0 80 are not UTF-8, but Python's JSON decoder reads them as "\\ud800", which the API
    accepts anyway: the stored text is the same as for the escape, and nothing downstream breaks on it."""
    response, _ = post_raw(client, b"{\"text\": \"a\xed\xa0\x80\"}")
    assert response.status_code == 202
    assert stored_text(redis, json.loads(response.get_data())["job_id"]) == "a\ud800"


def test_raw_utf8_and_a_bom_are_accepted(client: FlaskClient, redis: Redis) -> None:
    text = "Menlu Retno 👩🏽‍⚖️ “kata” di Doha — ok."
    for raw in (json.dumps({"text": text}, ensure_ascii=False).encode(),
                b"\xef\xbb\xbf" + json.dumps({"text": text + " BOM"}, ensure_ascii=False).encode()):
        response, _ = post_raw(client, raw)
        assert response.status_code == 202, response.get_data(as_text=True)
        assert stored_text(redis, json.loads(response.get_data())["job_id"]) in (text, text + " BOM")


def test_batch_results_with_lone_surrogates_stay_valid_utf8(client: FlaskClient, redis: Redis) -> None:
    """NDJSON is written as UTF-8: a lone surrogate echoed in a result (title, entity text) must be escaped."""
    documents = [{"id": "a", "text": "Jokowi \ud800 tiba.", "title": "Judul \udfff"}, {"id": "b", "text": "Biasa."}]
    created, _ = post_raw(client, json.dumps({"documents": documents}), path="/v1/batches")
    batch = json.loads(created.get_data())
    for entry, document in zip(batch["jobs"], documents, strict=True):
        _finish(redis, entry["job_id"], {"document": {"id": document["id"], "title": document.get("title")},
                                         "entities": [{"text": document["text"][:8]}]})
    response = client.get(f"/v1/batches/{batch['batch_id']}/results")
    assert response.status_code == 200
    lines = [json.loads(line) for line in response.get_data().decode("utf-8").splitlines()]
    assert [line["result"]["document"]["title"] for line in lines] == ["Judul \udfff", None]
    assert lines[0]["result"]["entities"][0]["text"] == "Jokowi \ud800"


def _finish(redis: Redis, job_id: str, result: dict[str, Any]) -> None:
    """Mark a queued job finished with `result` the way an RQ worker does, without running Stanza."""
    job = Job.fetch(job_id, connection=redis, serializer=JSONSerializer)
    job._result = result
    with redis.pipeline() as pipe:
        job._handle_success(result_ttl=600, pipeline=pipe)
        pipe.execute()


# ----------------------------------------------------------------------------- fuzzing the text path

# Pieces real news text is made of, plus everything that breaks naive text handling: NUL and C0/C1 controls,
# lone surrogates, RTL and bidi controls, astral emoji with ZWJ and skin tones, flags, combining marks, every
# line break flavour, and the cues the boilerplate rules look for.
PIECES = [
    "Presiden Joko Widodo", "bertemu", "Perdana Menteri Jepang", "di Tokyo", ", Senin (16/9/2019).", ".", "?!",
    "JAKARTA, KOMPAS.com -", "Seoul (ANTARA) -", "Baca juga:", "Baca Juga: Laga", "(Foto: ANTARA/Reno)",
    "Penulis: Reno", "Editor: Ani", "Sumber: Reuters", "“Kami sepakat,” kata Retno.", "\"", "'", "(", ")",
    "\x00", "\x01", "\x7f", "\x85", "\x9c", "\ud800", "\udbff", "\udc00", "\udfff", "\u202e", "\u202c", "\u200f",
    "\u200b", "\ufeff", "مرحبا بالعالم", "שלום", "😀", "👩🏽‍⚖️", "🇮🇩", "e\u0301", "\u0351\u0352",
    "\r\n", "\n", "\r", "\u2028", "\u2029", "\n\n", "\t", " ", "  ", "\u00a0", "\u3000", "Ω", "中文", "한국어",
]
ANY_CHAR = st.characters(exclude_categories=())  # every code point, surrogates included
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=300),
    st.lists(st.sampled_from(PIECES) | st.text(ANY_CHAR, max_size=5), max_size=60).map(" ".join),
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
)
FAST = settings(max_examples=2000, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_span(text: str, start: int, end: int) -> None:
    assert isinstance(start, int) and isinstance(end, int)
    assert 0 <= start < end <= len(text), (start, end, len(text))


def utf16_units(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")  # one code unit per lone surrogate, as in JavaScript


@FAST
@given(TEXTS)
def test_segment_never_crashes_and_its_spans_hold(text: str) -> None:
    article = segment(text)
    assert segment(text) == article  # deterministic
    previous = 0
    for block in article.blocks:
        check_span(text, block.start, block.end)
        assert block.start >= previous, article.blocks  # in order, not overlapping
        previous = block.end
        piece = text[block.start:block.end]
        assert block.kind in BLOCK_KINDS
        assert not any(c in LINE_BREAKS for c in piece), piece  # every line break is a hard boundary
        assert not piece[0].isspace() and not piece[-1].isspace(), piece
    previous = 0
    for span in article.boilerplate:
        check_span(text, span.start, span.end)
        assert span.start >= previous and span.kind in BOILERPLATE_KINDS
        previous = span.end
        assert all(b.end <= span.start or span.end <= b.start for b in article.blocks), (span, article.blocks)
    if article.dateline is not None:
        check_span(text, article.dateline.start, article.dateline.end)
        assert any(s.kind == "dateline" and (s.start, s.end) == (article.dateline.start, article.dateline.end)
                   for s in article.boilerplate)


@FAST
@given(TEXTS)
def test_utf16_offsets_match_javascript_string_indices(text: str) -> None:
    units = utf16_units(text)
    table = utf16_table(text)
    to16 = utf16_offsets(text)
    assert table[-1] == to16(len(text)) == len(units) // 2
    for i in range(len(text) + 1):
        assert table[i] == to16(i) == len(utf16_units(text[:i])) // 2
    article = segment(text)
    spans = [{"start": s.start, "end": s.end} for s in (*article.blocks, *article.boilerplate)]
    result = {"document": {"dateline": None}, "sentences": spans, "entities": [], "boilerplate": [], "events": [
        {"trigger": span, "source": span, "target": None} for span in spans]}
    before = json.dumps(result)
    converted = to_utf16(result, text)
    assert json.dumps(result) == before  # the stored (code point) result is left alone
    for span, out in zip(spans, converted["sentences"], strict=True):
        assert units[2 * out["start"]:2 * out["end"]] == utf16_units(text[span["start"]:span["end"]])
    for event in converted["events"]:
        assert event["trigger"] == event["source"]


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS.filter(bool))
def test_any_text_reaches_the_worker_byte_exact(client: FlaskClient, redis: Redis, text: str) -> None:
    body = json.dumps({"text": text, "tasks": ["entities"]})
    # The text the body means: two lone surrogates that form a pair ("\ud800\udc00") are one character in JSON.
    meant = json.loads(body)["text"]
    response, _ = post_raw(client, body)
    assert response.status_code in (200, 202), response.get_data(as_text=True)  # 200: the same text came up again
    assert stored_text(redis, json.loads(response.get_data())["job_id"]) == meant


@pytest.mark.parametrize("text", [
    "a" * 200_000, "Kata " * 40_000, ".!?,;:\"'()-" * 18_000, "\n" * 200_000, "\r\n" * 100_000,
    "😀" * 200_000, "\ud800" * 200_000, "Baca juga: " * 18_000, "JAKARTA, KOMPAS.com - " * 9_000,
    "Jakarta, 中文 مرحبا 😀 한국어 Ω " * 8_000,
])
def test_segment_is_linear_on_pathological_texts(text: str) -> None:
    started = time.perf_counter()
    article = segment(text)
    assert time.perf_counter() - started < 3, "segment() must stay linear"
    for span in (*article.blocks, *article.boilerplate):
        check_span(text, span.start, span.end)


# --------------------------------------------------------------------- the real models, fewer examples


@pytest.fixture(scope="module")
def models_loaded() -> None:
    """The real Stanza pipelines, loaded once for the module as a worker loads them before forking."""
    if not pipeline.installed():
        pipeline.load(WorkerSettings.from_env())


def check_result(text: str, result: dict[str, Any]) -> None:
    validate_schema("Result", result)
    assert result["document"]["char_count"] == len(text)
    previous = 0
    sentences = result["sentences"]
    for sentence in sentences:
        check_span(text, sentence["start"], sentence["end"])
        assert sentence["start"] >= previous, sentences  # in order, not overlapping
        previous = sentence["end"]
    for entity in result["entities"]:
        check_span(text, entity["start"], entity["end"])
        assert text[entity["start"]:entity["end"]] == entity["text"], entity
        sentence = sentences[entity["sentence"]]
        assert sentence["start"] <= entity["start"] and entity["end"] <= sentence["end"], (entity, sentence)
    for token in result.get("tokens", []):
        assert 0 <= token["start"] <= token["end"] <= len(text), token
        sentence = sentences[token["sentence"]]
        assert sentence["start"] <= token["start"] and token["end"] <= sentence["end"], (token, sentence)
    for event in result["events"]:
        for key in ("trigger", "source", "target", "location", "date", "reported_by"):
            span = event.get(key)
            if span:
                assert text[span["start"]:span["end"]] == span["text"], (key, event)
    for span in result["boilerplate"]:
        check_span(text, span["start"], span["end"])


@pytest.mark.integration
@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(TEXTS.filter(bool))
def test_the_real_pipeline_keeps_every_offset_valid(models_loaded: None, text: str) -> None:
    result = annotate({"text": text, "tasks": ["entities", "sentiment", "events", "syntax"],
                       "published_at": "2024-05-10"})
    check_result(text, result)


@pytest.mark.integration
@pytest.mark.parametrize("name", list(UNUSUAL))
def test_the_real_pipeline_on_unusual_text(models_loaded: None, name: str) -> None:
    text = "\n".join([UNUSUAL[name], "Presiden Joko Widodo bertemu Perdana Menteri Jepang di Tokyo.", UNUSUAL[name]])
    check_result(text, annotate({"text": text, "tasks": ["entities", "sentiment", "events", "syntax"]}))


@functools.cache
def _stanza_url_regex() -> Any:
    """Stanza's own update_pred_regex, from a fresh copy of its module (workers.pipeline replaces the shared one)."""
    spec = importlib.util.spec_from_file_location("stanza_tokenization_utils_original", tokenization_utils.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.update_pred_regex


URL_PIECES = ["http://www.kompas.com/a/b?c=1", "https://x.y", "www.tempo.co", "nama.org/path", "abc.com.", "foo.gov",
              "x@y.com", "redaksi@kompas.id", "@", ".", ",", "kata", "a.b", " ", "  ", "\t", "\n", "\"", "e-mail:"]


@settings(max_examples=500, deadline=None, database=None)
@given(st.lists(st.sampled_from(URL_PIECES), max_size=40).map("".join), st.randoms(use_true_random=False))
def test_the_bounded_url_regex_marks_what_stanzas_does(text: str, rng: Any) -> None:
    """workers.pipeline runs Stanza's URL/e-mail regex per run of non-space characters (linear instead of
    quadratic); on text without 1,000-character runs the token marks must be exactly Stanza's."""
    original = _stanza_url_regex()
    raw = list(text)
    pred = np.array([rng.randrange(5) for _ in raw], dtype=np.int64)
    assert (tokenization_utils.update_pred_regex(raw, pred.copy()) == original(raw, pred.copy())).all()


@pytest.mark.integration
def test_a_sentence_without_full_stops_is_parsed_in_pieces(models_loaded: None) -> None:
    """The parser is quadratic in sentence length: 3,000 words with no full stop must not become one sentence."""
    text = " ".join(["Presiden", "Joko", "Widodo", "bertemu", "warga", "di", "Jakarta"] * 430)
    started = time.perf_counter()
    result = annotate({"text": text, "tasks": ["entities", "syntax"]})
    assert time.perf_counter() - started < 60
    check_result(text, result)
    words: Counter[int] = Counter(token["sentence"] for token in result["tokens"])
    assert len(result["sentences"]) >= 3000 // MAX_SENTENCE_WORDS and max(words.values()) <= MAX_SENTENCE_WORDS + 5
