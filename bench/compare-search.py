#!/usr/bin/env python3
"""Compare OncoNav's trial index with bm25s and tantivy on the same corpus and queries.

The corpus is scaled from a real ClinicalTrials.gov JSONL the way TrialBenchmark does it
(new NCT IDs, "(Cohort k)" title prefix); each study becomes one text built from the same
fields and weights as TrialIndex (title and conditions x3, interventions and keywords x2,
summary and criteria x1). Each query runs `--repetitions` times after a warm-up; the
table shows p50 per query and p50/p99 overall.

Swift figures come from the Swift benchmark's output: pass `--swift-log FILE` (the output
of `ONCONAV_BENCH=N swift test -c release -Xswiftc -enable-testing --filter fullScale`)
or `--run-swift` to run it from the repository root (slow: it builds in release).

    pip install bm25s tantivy
    python3 bench/compare-search.py --scale 50000 --run-swift

Python engines hold the whole tokenised corpus in memory: 50,000 studies need a few GB;
500,000 need tens of GB, so the default scale is 50,000.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

QUERIES = ["CAR-T lymphoma", "NSCLC EGFR", "multiple myeloma BCMA", "melanoma TIL", "glioblastoma",
           "acute myeloid leukemia CD33", "breast cancer HER2 positive", "oncolytic virus", "pembrolizumab", "NK cell"]


def default_corpus():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.path.normpath(os.path.join(here, "..", "..", "shared", "data", "ctgov-v2-oncology", "studies.jsonl"))


def study_text(study):
    p = study.get("protocolSection", {})
    ident = p.get("identificationModule", {})
    cond = p.get("conditionsModule", {})
    arms = p.get("armsInterventionsModule", {})
    derived = study.get("derivedSection", {})
    title = " ".join(filter(None, [ident.get("briefTitle"), ident.get("officialTitle"), ident.get("acronym"), ident.get("nctId")]))
    conditions = " ".join(cond.get("conditions", []) + [m.get("term", "") for m in derived.get("conditionBrowseModule", {}).get("meshes", [])])
    interventions = " ".join([i.get("name", "") + " " + " ".join(i.get("otherNames", [])) for i in arms.get("interventions", [])]
                             + [m.get("term", "") for m in derived.get("interventionBrowseModule", {}).get("meshes", [])])
    keywords = " ".join(cond.get("keywords", []))
    summary = p.get("descriptionModule", {}).get("briefSummary", "")
    criteria = p.get("eligibilityModule", {}).get("eligibilityCriteria", "")
    return " ".join([title] * 3 + [conditions] * 3 + [interventions] * 2 + [keywords] * 2 + [summary, criteria])


def load_corpus(path, scale):
    originals = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    ids, texts = [], []
    for i in range(scale):
        study = originals[i % len(originals)]
        variant = i // len(originals)
        nct = study["protocolSection"]["identificationModule"]["nctId"]
        text = study_text(study)
        if variant > 0:
            old = nct
            nct = "NCT9%07d" % (i % 10_000_000)
            text = ("(Cohort %d) " % variant) + text.replace(old, nct)
        ids.append(nct)
        texts.append(text)
    return ids, texts


def clean(query):
    return re.sub(r"[^0-9A-Za-z]+", " ", query).strip()


def timed(fn, repetitions):
    fn()  # warm-up
    times = []
    for _ in range(repetitions):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def run_bm25s(ids, texts, queries, repetitions):
    import bm25s
    start = time.perf_counter()
    tokens = bm25s.tokenize(texts, stopwords="en", show_progress=False)
    retriever = bm25s.BM25()
    retriever.index(tokens, show_progress=False)
    build = time.perf_counter() - start
    per_query = {}
    for q in queries:
        q_tokens = bm25s.tokenize([clean(q)], stopwords="en", show_progress=False)

        def search():
            try:
                retriever.retrieve(q_tokens, k=20, show_progress=False)
            except ValueError:
                pass  # a query whose words are all unknown
        per_query[q] = timed(search, repetitions)
    return build, per_query


def run_tantivy(ids, texts, queries, repetitions):
    import tantivy
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True)
    builder.add_text_field("body", stored=False)
    schema = builder.build()
    directory = tempfile.mkdtemp(prefix="onconav-tantivy-")
    index = tantivy.Index(schema, path=directory)
    start = time.perf_counter()
    writer = index.writer(heap_size=512 * 1024 * 1024)
    for nct, text in zip(ids, texts):
        writer.add_document(tantivy.Document(id=nct, body=text))
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    build = time.perf_counter() - start
    searcher = index.searcher()
    per_query = {}
    for q in queries:
        query = index.parse_query(clean(q), ["body"])
        per_query[q] = timed(lambda: searcher.search(query, 20), repetitions)
    return build, per_query


def swift_figures(log_text):
    """Per-query p50 and the report lines from the Swift benchmark's output."""
    per_query = {}
    for line in log_text.splitlines():
        m = re.match(r"^\s{2}(.+?)\s+p50\s+([\d.]+) ms\s+(\d+) matches", line)
        if m:
            per_query[m.group(1).strip()] = float(m.group(2))
    summary = [l for l in log_text.splitlines() if l.startswith(("corpus:", "import:", "index build:", "queries ("))]
    return per_query, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=default_corpus(), help="JSONL of API v2 studies (default: shared oncology set)")
    parser.add_argument("--scale", type=int, default=50_000, help="number of studies after scaling (default 50000)")
    parser.add_argument("--repetitions", type=int, default=20)
    parser.add_argument("--queries", nargs="*", default=QUERIES)
    parser.add_argument("--swift-log", help="output of the Swift benchmark run at the same scale")
    parser.add_argument("--run-swift", action="store_true", help="run the Swift benchmark (release build) first")
    parser.add_argument("--skip", nargs="*", default=[], choices=["bm25s", "tantivy"])
    args = parser.parse_args()

    swift_q, swift_summary = {}, []
    if args.run_swift:
        repo = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
        env = dict(os.environ, ONCONAV_BENCH=str(args.scale))
        out = subprocess.run(["swift", "test", "-c", "release", "-Xswiftc", "-enable-testing", "--filter", "fullScale"],
                             cwd=repo, env=env, capture_output=True, text=True)
        swift_q, swift_summary = swift_figures(out.stdout + out.stderr)
    elif args.swift_log:
        swift_q, swift_summary = swift_figures(open(args.swift_log, encoding="utf-8").read())

    print(f"corpus: {args.corpus}, scaled to {args.scale} studies", flush=True)
    start = time.perf_counter()
    ids, texts = load_corpus(args.corpus, args.scale)
    print(f"loaded in {time.perf_counter() - start:.1f} s", flush=True)

    results = {}
    if "bm25s" not in args.skip:
        results["bm25s"] = run_bm25s(ids, texts, args.queries, args.repetitions)
        print(f"bm25s index built in {results['bm25s'][0]:.1f} s", flush=True)
    if "tantivy" not in args.skip:
        results["tantivy"] = run_tantivy(ids, texts, args.queries, args.repetitions)
        print(f"tantivy index built in {results['tantivy'][0]:.1f} s", flush=True)

    engines = ["OncoNav (Swift)"] + list(results)
    print()
    print("p50 latency per query (ms)")
    print("query".ljust(32) + "".join(e.rjust(18) for e in engines))
    for q in args.queries:
        row = q.ljust(32)
        row += (f"{swift_q[q]:.2f}" if q in swift_q else "n/a").rjust(18)
        for e in results:
            row += f"{statistics.median(results[e][1][q]):.2f}".rjust(18)
        print(row)
    print()
    for e in results:
        every = sorted(t for times in results[e][1].values() for t in times)
        p99 = every[min(len(every) - 1, round((len(every) - 1) * 0.99))]
        print(f"{e}: all queries p50 {statistics.median(every):.2f} ms, p99 {p99:.2f} ms, build {results[e][0]:.1f} s")
    for line in swift_summary:
        print("OncoNav (Swift): " + line)


if __name__ == "__main__":
    sys.exit(main())
