"""`scrutiny bench latency` times HTTP against `scrutiny serve` in a process of its own, as users
run it, on the bundled sample index."""

import httpx
import pytest

from eval.bench_latency import bench_latency, served
from indexes import IndexSettings, open_index
from indexes.errors import IndexLockedError


@pytest.mark.slow
def test_the_served_process_holds_the_index_and_answers(sample_index_copy):
    with served(sample_index_copy) as (url, ready):
        assert 0 < ready < 120
        found = httpx.get(f"{url}/search", params={"q": "Medway"}, timeout=30).raise_for_status().json()
        assert found["results"]
        # Another process holds the embedded index: this one cannot open it.
        with pytest.raises(IndexLockedError):
            with open_index(IndexSettings(index_path=sample_index_copy), purpose="test"):
                pass
    # Stopped with the block: the index is free again.
    with open_index(IndexSettings(index_path=sample_index_copy), purpose="test"):
        pass


@pytest.mark.slow
def test_a_latency_report_holds_every_measure(sample_index_copy):
    report = bench_latency(sample_index_copy, questions_count=3)
    for measure in ("raw_query_embedding", "raw_qdrant_hybrid_query", "search_in_process", "ask_in_process", "search_http", "ask_http"):
        assert report[measure]["n"] == 3 and report[measure]["p50_ms"] > 0, measure
    assert report["ready_seconds"] > 0
